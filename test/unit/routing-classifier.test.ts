import { expect } from 'chai';
import { compileCatalogue, parseMatter } from '../../routing-rules/catalogue.js';
import { labelOfUnit, targetOfLabel, UnitClassifier } from '../../routing-rules/classifier.js';
import { compileRules, decide, type LearnedRouting } from '../../routing-rules/engine.js';
import { segmenterFor } from '../../routing-rules/segmenter.js';
import type { RoutingCaseInput } from '../../routing-rules/rule.js';

const complaint = (content: string, divisionCode: string): RoutingCaseInput => ({ type: 'complaint', channel: 'hotline', urgency: 'normal', content, divisionCode });

function teach(classifier: UnitClassifier, label: string, texts: string[][]): void {
  for (const tokens of texts) classifier.add({ tokens, label });
}

describe('learned routing model', () => {
  it('when a dispatch is labelled, then the label is relative to the case\'s place', () => {
    const place = { countyCode: '371325', townshipCode: '371325105' };
    expect(labelOfUnit('371325105', place, '3713')).to.equal('township');
    expect(labelOfUnit('371325', place, '3713')).to.equal('county');
    expect(labelOfUnit('371325-renshe', place, '3713')).to.equal('dept:renshe');
    expect(labelOfUnit('3713-gongjijin', place, '3713')).to.equal('dept:gongjijin');
    expect(labelOfUnit('371302-renshe', place, '3713')).to.equal('unit:371302-renshe');
    expect(targetOfLabel('dept:renshe')).to.deep.equal({ kind: 'territorial', departmentSlug: 'renshe' });
  });

  it('when it has learned a matter, then it predicts its label with the tokens that weighed most', () => {
    const classifier = new UnitClassifier();
    teach(classifier, 'dept:minzheng', [['优待金', '退伍'], ['优待金', '发放'], ['退伍', '补助', '优待金']]);
    teach(classifier, 'township', [['垃圾', '清运'], ['垃圾', '臭'], ['垃圾', '清运', '苍蝇']]);
    const [best] = classifier.predict(['优待金', '没发'], 3);
    expect(best?.label).to.equal('dept:minzheng');
    expect(best?.probability).to.be.above(0.7);
    expect(best?.evidence).to.include('优待金');
  });

  it('when a label has fewer examples than the minimum, then it is never predicted', () => {
    const classifier = new UnitClassifier();
    teach(classifier, 'dept:linye', [['逮鸟']]);
    teach(classifier, 'township', [['垃圾'], ['垃圾'], ['垃圾']]);
    expect(classifier.predict(['逮鸟'], 3).map((p) => p.label)).to.deep.equal(['township']);
  });

  it('when an example is taken back (a corrected dispatch), then the model is as if it had never seen it', () => {
    const classifier = new UnitClassifier();
    teach(classifier, 'township', [['垃圾'], ['垃圾'], ['垃圾']]);
    const before = classifier.predict(['垃圾', '井盖'], 1);
    classifier.add({ tokens: ['井盖', '垃圾'], label: 'dept:chengguan' });
    classifier.remove({ tokens: ['井盖', '垃圾'], label: 'dept:chengguan' });
    expect(classifier.predict(['垃圾', '井盖'], 1)).to.deep.equal(before);
    expect(classifier.size).to.equal(3);
  });

  describe('in the decision order', () => {
    const words = ['路灯', '优待金'];
    const catalogue = compileCatalogue([parseMatter({ id: 'light', name: '路灯', owner: 'township', words: ['路灯'] }, 't')]);
    const rules = compileRules([], { catalogue, segmenter: segmenterFor(words) });
    const classifier = new UnitClassifier();
    teach(classifier, 'dept:minzheng', [['优待金'], ['优待金', '退伍'], ['优待金']]);
    teach(classifier, 'township', [['路灯'], ['路灯'], ['路灯', '不亮']]);
    const learned = (threshold: number): LearnedRouting => ({ classifier, threshold, minExamples: 3 });

    it('when the catalogue is sure, then it decides before the model', () => {
      expect(decide(rules, complaint('路灯不亮', '371302002'), undefined, learned(0.5)).matched?.source).to.equal('catalogue');
    });

    it('when only the model knows the matter, then what it learned in one county dispatches in another', () => {
      const decision = decide(rules, complaint('我的优待金没发', '371329001'), undefined, learned(0.8));
      expect(decision.matched).to.include({ source: 'model', unitCode: '371329-minzheng' });
      expect(decision.suggestions[0]?.basis).to.match(/learned from 6 centre dispatches.*优待金/);
    });

    it('when the model is below its threshold, or the threshold is 1, then the case waits with the model\'s suggestion', () => {
      expect(decide(rules, complaint('我的优待金没发', '371329001'), undefined, learned(1)).matched).to.equal(null);
      const decision = decide(rules, complaint('我的优待金没发', '371329001'), undefined, learned(0.9999));
      expect(decision.matched).to.equal(null);
      expect(decision.suggestions[0]?.unitCode).to.equal('371329-minzheng');
    });
  });
});
