import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import fc from 'fast-check';
import { compileCatalogue, parseMatter } from '../../routing-rules/catalogue.js';
import { catalogueWordings, compileShippedCatalogue, loadCatalogue, loadMatterExamples, readLabelledRequests, requestFiles, requestLessons, withoutCommonTokens } from '../../routing-rules/catalogue-files.js';
import { labelOfTarget, labelOfUnit, targetOfLabel, UnitClassifier } from '../../routing-rules/classifier.js';
import { loadDefaultRules } from '../../routing-rules/default-rules.js';
import { compileRules, decide, type LearnedRouting } from '../../routing-rules/engine.js';
import { segmenterFor } from '../../routing-rules/segmenter.js';
import { ModelReading, modelTokens } from '../../routing-rules/tokens.js';
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
    const segmenter = segmenterFor(words);
    const classifier = new UnitClassifier();
    const tokensOf = (text: string): string[] => modelTokens(segmenter.tokenize(text));
    teach(classifier, 'dept:minzheng', ['优待金', '退伍优待金', '优待金领不到'].map(tokensOf));
    teach(classifier, 'township', ['路灯', '村里路灯', '路灯不亮'].map(tokensOf));
    const learned = (threshold: number): LearnedRouting => ({ classifier, threshold, minExamples: 3 });

    it('when the catalogue is sure, then it decides before the model', () => {
      expect(decide(rules, complaint('路灯不亮', '371302002'), undefined, learned(0.5)).matched?.source).to.equal('catalogue');
    });

    it('when only the model knows the matter, then what it learned in one county dispatches in another', () => {
      const decision = decide(rules, complaint('我的优待金没发', '371329001'), undefined, learned(0.8));
      expect(decision.matched).to.include({ source: 'model', unitCode: '371329-minzheng', ruleName: '中心派单学习' });
      expect(decision.suggestions[0]?.basis).to.match(/learned from 6 centre dispatches.*优待/);
    });

    describe("when the catalogue's words chose a unit its classifier ranks far down", () => {
      // Five units that take a property company's parking fees, each as likely as the others: the
      // words' 路灯 is one word of the request, the classifier's lessons read the rest of it.
      const others = ['dept:fangchan', 'dept:shichang', 'dept:wujia', 'dept:zhujian', 'dept:gongan'];
      const wordings = new UnitClassifier();
      teach(wordings, 'township', ['路灯', '村里路灯', '路灯不亮'].map(tokensOf));
      for (const label of others) teach(wordings, label, ['物业收停车费', '物业乱收停车费', '停车费物业涨价'].map(tokensOf));
      const request = complaint('物业把路灯底下划成车位收停车费，一个月一百五', '371302002');
      const withWordings = (disputes?: number) =>
        compileRules([], { catalogue: { ...catalogue, wordings: { classifier: wordings, threshold: 0.985, minExamples: 3, overrules: 0.997, ...(disputes === undefined ? {} : { disputes }) } }, segmenter: segmenterFor(words) });

      it('when it ranks the unit below `disputes` others, then the case waits for the centre and says why, with the classifier\'s and the words\' units in turn as suggestions', () => {
        const decision = decide(withWordings(5), request);

        expect(decision.matched).to.equal(null);
        expect(decision.disputed).to.equal('catalogue matter "路灯" (371302002) is ranked 6 by the catalogue\'s typical wordings and labelled requests');
        // The classifier's first unit, then the words', then the classifier's second.
        const [first, second, third] = decision.suggestions.map((s) => s.unitCode);
        expect(first).to.match(/^371302-(fangchan|shichang|wujia|zhujian|gongan)$/);
        expect(second).to.equal('371302002');
        expect(third).to.match(/^371302-/).and.not.equal(first);
      });

      it('when it ranks the unit within `disputes`, or no dispute is set, then the words decide', () => {
        expect(decide(withWordings(6), request).matched).to.include({ source: 'catalogue', unitCode: '371302002', ruleId: 'catalogue:light' });
        expect(decide(withWordings(), request).matched).to.include({ unitCode: '371302002' });
        expect(decide(withWordings(), request).disputed).to.equal(undefined);
      });

      it('when the classifier has learned nothing of the unit, then there is no dispute', () => {
        const untaught = new UnitClassifier();
        for (const label of others) teach(untaught, label, ['物业收停车费', '物业乱收停车费', '停车费物业涨价'].map(tokensOf));
        const rulesOf = compileRules([], { catalogue: { ...catalogue, wordings: { classifier: untaught, threshold: 0.985, minExamples: 3, overrules: 0.997, disputes: 1 } }, segmenter: segmenterFor(words) });
        expect(decide(rulesOf, request).matched).to.include({ unitCode: '371302002' });
      });
    });

    describe("when the catalogue's words decide nothing, then its classifier dispatches at `threshold` where it found any of them, and at `thresholdAlone` where it found none", () => {
      // Two matters share 路灯, so the words alone never lead by the margin.
      const shared = compileCatalogue([
        parseMatter({ id: 'light', name: '路灯', owner: 'township', words: ['路灯'] }, 't'),
        parseMatter({ id: 'light-town', name: '县城路灯', owner: 'chengguan', words: ['路灯'] }, 't'),
      ]);
      const wordings = new UnitClassifier();
      teach(wordings, 'dept:minzheng', ['优待金', '退伍优待金', '优待金领不到'].map(tokensOf));
      teach(wordings, 'township', ['村里路灯', '路灯不亮', '垃圾没人拉'].map(tokensOf));
      const sure = (text: string): number => {
        const only = compileRules([], { catalogue: { ...shared, wordings: { classifier: wordings, threshold: 1, minExamples: 3 } }, segmenter: segmenterFor(words) });
        const suggestion = decide(only, complaint(text, '371302002')).suggestions.find((s) => s.unitCode === '371302-minzheng');
        expect(suggestion, text).to.not.equal(undefined);
        return suggestion?.confidence ?? 0;
      };
      const routed = (text: string, threshold: number, thresholdAlone?: number) => {
        const learnedWordings = { classifier: wordings, threshold, minExamples: 3, ...(thresholdAlone === undefined ? {} : { thresholdAlone }) };
        return decide(compileRules([], { catalogue: { ...shared, wordings: learnedWordings }, segmenter: segmenterFor(words) }), complaint(text, '371302002')).matched?.unitCode ?? null;
      };
      const withWords = '路灯底下贴的优待金通知，优待金一直没发';
      const withoutWords = '退伍优待金一直没发';

      it('where it found some, at `threshold`', () => {
        const p = sure(withWords);
        expect(routed(withWords, p, p + (1 - p) / 2)).to.equal('371302-minzheng');
        expect(routed(withWords, p + (1 - p) / 2, p)).to.equal(null);
      });

      it('where it found none, at `thresholdAlone`, or at `threshold` when that is not set', () => {
        const p = sure(withoutWords);
        expect(routed(withoutWords, p, p + (1 - p) / 2)).to.equal(null);
        expect(routed(withoutWords, p / 2, p)).to.equal('371302-minzheng');
        expect(routed(withoutWords, p)).to.equal('371302-minzheng');
      });
    });

    it('when the model is below its threshold, or the threshold is 1, then the case waits with the model\'s suggestion', () => {
      expect(decide(rules, complaint('我的优待金没发', '371329001'), undefined, learned(1)).matched).to.equal(null);
      const decision = decide(rules, complaint('我的优待金没发', '371329001'), undefined, learned(0.9999));
      expect(decision.matched).to.equal(null);
      expect(decision.suggestions[0]?.unitCode).to.equal('371329-minzheng');
    });
  });
});

describe("the model's tokens", () => {
  const segmenter = segmenterFor([]);

  it('when a text is read, then its tokens are the pairs of adjacent characters, never across a place name, a number or punctuation', () => {
    const tokens = modelTokens(segmenter.tokenize('兰山区枣园镇下水管子堵了，138号'));

    expect(tokens).to.include.members(['b:下水', 'b:水管', 'b:管子', 'b:堵了']);
    expect(tokens.filter((t) => /兰|枣|园镇|号|，/.test(t))).to.deep.equal([]);
    expect(tokens.filter((t) => t === 'b:子堵' || t === 'b:了1')).to.have.lengthOf(1);
  });

  describe('when staff read the evidence of a suggestion, then they read the phrases of the case that hold its pairs', () => {
    const words = ['工地', '上', '半夜', '打桩', '，', '吵得', '全楼', '睡不着'];
    const cases: readonly (readonly [string, readonly string[], readonly string[]])[] = [
      ['a pair within a word reads as the word', ['b:打桩'], ['打桩']],
      ['a pair across two words reads as both', ['b:夜打'], ['半夜打桩']],
      ['pairs next to each other read as one phrase', ['b:吵得', 'b:得全'], ['吵得全楼']],
      ['the strongest evidence comes first, then by place in the text', ['b:睡不', 'b:工地'], ['睡不着', '工地']],
      ['phrases on either side of punctuation stay apart', ['b:打桩', 'b:吵得'], ['打桩', '吵得']],
      ['a pair the text lacks reads as nothing', ['b:路灯'], []],
    ];
    for (const [what, evidence, phrases] of cases) {
      it(what, () => expect(new ModelReading(words).phrases(evidence)).to.deep.equal(phrases));
    }

    it('and never a place name', () => {
      expect(new ModelReading(['兰山区', '路灯', '不亮']).phrases(['b:路灯', 'b:灯不'])).to.deep.equal(['路灯不亮']);
      expect(new ModelReading(['兰山区', '路灯']).phrases(['b:区路'])).to.deep.equal([]);
    });
  });
});

describe("the catalogue's typical wordings", () => {
  const matters = loadCatalogue();

  it('when loaded, then every matter has at least 16 wordings, each labelled with its owner as a centre dispatch to it would be', () => {
    const examples = loadMatterExamples(matters);
    const perMatter = new Map<string, number>();
    for (const { matterId } of examples) perMatter.set(matterId, (perMatter.get(matterId) ?? 0) + 1);

    expect(matters.filter((m) => (perMatter.get(m.id) ?? 0) < 16).map((m) => m.id)).to.deep.equal([]);
    for (const { id, target } of matters) expect(labelOfTarget(targetOfLabel(labelOfTarget(target))), id).to.equal(labelOfTarget(target));
    expect(labelOfTarget({ kind: 'territorial', departmentSlug: 'fangchan' })).to.equal('dept:fangchan');
    expect(labelOfTarget({ kind: 'territorial' })).to.equal('township');
    expect(labelOfTarget({ kind: 'territorial', level: 'county' })).to.equal('county');
    expect(labelOfTarget({ kind: 'unit', unitCode: '3713-gongjijin' })).to.equal('unit:3713-gongjijin');
  });

  it('when a wording names no matter of the catalogue, or has no text, then loading names its file and line', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wordings-'));
    try {
      fs.writeFileSync(path.join(dir, 'field.txt'), '# comment\nedu-enrolment|孩子上学的事\nno-such-matter|路灯不亮\n');
      expect(() => loadMatterExamples(matters, dir)).to.throw(/field\.txt:3: no matter "no-such-matter"/);
      fs.writeFileSync(path.join(dir, 'field.txt'), 'edu-enrolment|\n');
      expect(() => loadMatterExamples(matters, dir)).to.throw(/field\.txt:1: the text is empty/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("when the catalogue's words are too weak for a request, then its wordings dispatch it to the owner, and say so", () => {
    const request = complaint('物业公司把小区的绿地改成停车位往外卖，业主都不同意', '371312003');
    const wordsOnly = compileRules(loadDefaultRules(), { catalogue: compileCatalogue(matters) });
    const shipped = compileRules(loadDefaultRules(), { catalogue: compileShippedCatalogue(matters) });

    expect(decide(wordsOnly, request).matched).to.equal(null);
    const decision = decide(shipped, request);
    expect(decision.matched).to.include({ source: 'catalogue', unitCode: '371312-fangchan', ruleId: 'wordings:dept:fangchan', ruleName: '派单目录典型表述' });
    expect(decision.matched?.explanation).to.match(/^the catalogue's \d+ typical wordings and \d+ labelled requests, label dept:fangchan: .+ -> 371312-fangchan$/);
  });

  it("when a letter holds only its closing formula (希望有关部门核实处理), then the wordings decide nothing: tokens a third of the owners' wordings use are not learned", () => {
    const shipped = compileRules(loadDefaultRules(), { catalogue: compileShippedCatalogue(matters) });

    expect(decide(shipped, complaint('反映一个情况，希望有关部门核实处理', '371312003')).matched).to.equal(null);
    const lessons = [
      { label: 'a', tokens: ['b:希望', 'b:路灯'] },
      { label: 'b', tokens: ['b:希望', 'b:工资'] },
      { label: 'c', tokens: ['b:希望', 'b:低保'] },
      { label: 'd', tokens: ['b:低保'] },
      { label: 'e', tokens: ['b:井盖'] },
      { label: 'f', tokens: ['b:学区'] },
      { label: 'g', tokens: ['b:噪音'] },
    ];
    // Of seven owners, 希望 is in three (a third or more) and goes; 低保 is in two and stays.
    expect(withoutCommonTokens(lessons).map((l) => l.tokens)).to.deep.equal([['b:路灯'], ['b:工资'], ['b:低保'], ['b:低保'], ['b:井盖'], ['b:学区'], ['b:噪音']]);
  });

  it('when the wordings are below their threshold, then the case waits for the centre with the suggestions', () => {
    const wordings = catalogueWordings(matters);
    const strict = compileRules(loadDefaultRules(), { catalogue: compileCatalogue(matters, { wordings: { ...wordings, threshold: 1 } }) });
    const decision = decide(strict, complaint('物业公司把小区的绿地改成停车位往外卖，业主都不同意', '371312003'));

    expect(decision.matched).to.equal(null);
    expect(decision.suggestions.map((s) => s.unitCode)).to.include('371312-fangchan');
  });
});

describe("the catalogue's labelled requests", () => {
  const matters = loadCatalogue();
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'requests-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));
  /** A request file of texts that all accept one label. */
  const requestsFile = (label: string, texts: readonly string[]): string => {
    const file = path.join(dir, 'set-x.txt');
    fs.writeFileSync(file, texts.map((t) => `${label}|${t}`).join('\n'));
    return file;
  };

  it('when a line has no labels, then reading names its file and line', () => {
    const file = path.join(dir, 'set-x.txt');
    fs.writeFileSync(file, '# comment\ndept:renshe|工地欠俺三个月工资\n路灯不亮\n');
    expect(() => readLabelledRequests(file)).to.throw(/set-x\.txt:3: expected labels\|text/);
  });

  it("when a request is taught, then its label is the centre's wherever the centre may keep it, else the first it accepts that a matter owns, or the city's unit for a department only the city has", () => {
    const file = path.join(dir, 'set-x.txt');
    fs.writeFileSync(file, 'dept:zhijian,dept:shichang|电梯老是困人\ndept:gongjijin|公积金怎么提取\nmanual|俺有个事想问问\ntownship,dept:chengguan|村里的垃圾没人拉\ndept:fangchan,manual|房东不退押金\n');
    expect(requestLessons([file], matters).map((l) => l.label)).to.deep.equal(['dept:shichang', 'unit:3713-gongjijin', 'manual', 'township', 'manual']);
  });

  it('when a request holds a phone or identity number, then the lesson is the same as without it', () => {
    const file = path.join(dir, 'set-x.txt');
    fs.writeFileSync(file, 'dept:renshe|工地欠俺工资，电话13805391234，身份证371302198001011234\ndept:renshe|工地欠俺工资，电话，身份证\n');
    const [withNumbers, without] = requestLessons([file], matters);
    expect(withNumbers?.tokens).to.deep.equal(without?.tokens);
  });

  it('when the requests teach a wording the typical wordings lack, then the classifier dispatches it to their unit; without them the case waits', () => {
    const file = requestsFile('township', [
      '楼道窗户外头有个马蜂窝',
      '庄东头老槐树上的马蜂窝越来越大',
      '俺家房檐底下的马蜂窝谁来给摘了',
      '小区绿化带里有个马蜂窝，蛰了好几个人',
      '学校后墙外的树上有马蜂窝',
      '马蜂窝有脸盆那么大了，没人管',
    ]);
    const request = complaint('楼下那棵树上的马蜂窝一天比一天大，不敢开窗户', '371312003');
    const without = compileRules(loadDefaultRules(), { catalogue: compileShippedCatalogue(matters, []) });
    const taught = compileRules(loadDefaultRules(), { catalogue: compileShippedCatalogue(matters, [file]) });

    expect(decide(without, request).matched).to.equal(null);
    const decision = decide(taught, request);
    expect(decision.matched).to.include({ source: 'catalogue', unitCode: '371312003', ruleId: 'wordings:township' });
    expect(decision.matched?.explanation).to.match(/ and 6 labelled requests, label township: .*马蜂/);
  });

  it("when the words chose one unit and the classifier is at least WORDINGS_OVERRULE sure of another, then the classifier's unit takes the case and the basis says whose it overruled", () => {
    const file = requestsFile('dept:renshe', [
      '超市关门了，收银员的工资没发',
      '俺在超市当理货员，老板两个月没发工资',
      '超市老板跑了，欠俺们收银员三个月工钱',
      '商场里的超市倒闭，员工工资一分没给',
      '超市拖欠促销员工资，老板不接电话',
      '在镇上超市干了半年，工资只发了一个月',
    ]);
    const request = complaint('超市突然关门了，门上贴了转让，俺们收银员两个月工资都没发，老板手机关机', '371312003');
    const without = compileRules(loadDefaultRules(), { catalogue: compileShippedCatalogue(matters, []) });
    const taught = compileShippedCatalogue(matters, [file]);

    expect(decide(without, request).matched).to.include({ unitCode: '371312-shichang', ruleId: 'catalogue:market-food-safety' });
    const decision = decide(compileRules(loadDefaultRules(), { catalogue: taught }), request);
    expect(decision.matched).to.include({ source: 'catalogue', unitCode: '371312-renshe', ruleId: 'wordings:dept:renshe' });
    expect(decision.matched?.explanation).to.match(/overrules catalogue matter "食品安全" \(371312-shichang\) -> 371312-renshe$/);
    expect(decision.suggestions.map((s) => s.unitCode).slice(0, 2)).to.deep.equal(['371312-renshe', '371312-shichang']);

    const { classifier, threshold, minExamples } = taught.wordings as LearnedRouting;
    const wordsStand = compileRules(loadDefaultRules(), { catalogue: { ...taught, wordings: { classifier, threshold, minExamples } } });
    expect(decide(wordsStand, request).matched).to.include({ unitCode: '371312-shichang' });
  });

  it('when the classifier is at least WORDINGS_OVERRULE sure the centre keeps such a request, then the case waits for the centre, overruling the words, and says why', () => {
    const file = requestsFile('manual', [
      '借给朋友三万块钱，打了欠条，现在他不还了',
      '亲戚借了俺五万块钱，欠条在俺手里，两年了不还',
      '同事借钱打了欠条，人现在找不着了，电话拉黑了',
      '借给老乡两万块钱，欠条写得清清楚楚，他就是不还',
      '朋友借钱不还，欠条有，能不能帮俺要回来',
      '前年借给邻居一万块钱，有欠条，现在他说没钱',
      '借给朋友的钱要不回来，欠条打了，人跑了',
      '朋友借了钱把俺电话拉黑了，欠条还在俺这',
    ]);
    const request = complaint('俺借给朋友三万块钱，欠条也打了，现在人找不着了，电话也把俺拉黑了，咋办？', '371312003');
    const without = compileRules(loadDefaultRules(), { catalogue: compileShippedCatalogue(matters, []) });
    const taught = compileRules(loadDefaultRules(), { catalogue: compileShippedCatalogue(matters, [file]) });

    const before = decide(without, request);
    expect(before.matched?.unitCode).to.equal('371312-gongan');
    const decision = decide(taught, request);
    expect(decision.matched).to.equal(null);
    expect(decision.kept).to.match(/labelled requests, label manual: .*欠条.*; overrules catalogue matter ".+" \(371312-gongan\)$/);
    expect(decision.suggestions.map((s) => s.unitCode)).to.include('371312-gongan');
    expect(decide(taught, complaint('工地老板拖欠工资三个月了', '371312003')).matched?.unitCode).to.equal('371312-renshe');
  });

  it('when shipped, then every labelled request file reads and teaches its lessons', () => {
    const files = requestFiles();
    expect(files.length).to.be.at.least(7);
    expect(requestLessons(files, matters).length).to.be.above(1000);
  });
});

describe("a case's title", () => {
  it("when the title is the content's first words (as a webhook channel makes it), then they are read once and the decision is the content's", () => {
    const shipped = compileRules(loadDefaultRules(), { catalogue: compileShippedCatalogue(loadCatalogue()) });
    const content = '沂水县龙家圈街道某小区物业乱收费，停车费一年涨了两次。';
    const at = { ...complaint(content, '371323002'), channel: 'microblog' as const };

    const once = decide(shipped, at);
    expect(decide(shipped, { ...at, title: content.slice(0, 20) })).to.deep.equal(once);
    expect(decide(shipped, { ...at, title: content })).to.deep.equal(once);
    expect(decide(shipped, { ...at, title: '物业乱收费' }).suggestions).to.not.deep.equal(once.suggestions);
  });
});

describe('naive Bayes reads only the labels each token names', () => {
  // The textbook form: every label scored over every known token, each token's weight kept per label.
  function reference(examples: readonly { label: string; tokens: string[] }[], tokens: readonly string[], minExamples: number) {
    const labels = new Map<string, { examples: number; tokens: number; perToken: Map<string, number> }>();
    const vocabulary = new Set<string>();
    for (const { label, tokens: ts } of examples) {
      const counts = labels.get(label) ?? { examples: 0, tokens: 0, perToken: new Map<string, number>() };
      labels.set(label, counts);
      counts.examples += 1;
      for (const t of ts) {
        counts.tokens += 1;
        counts.perToken.set(t, (counts.perToken.get(t) ?? 0) + 1);
        vocabulary.add(t);
      }
    }
    const known = tokens.filter((t) => vocabulary.has(t));
    if (known.length === 0) return [];
    const scored = [...labels]
      .filter(([, c]) => c.examples >= minExamples)
      .map(([label, c]) => {
        const denominator = Math.log(c.tokens + vocabulary.size);
        const weights = new Map(known.map((t) => [t, Math.log((c.perToken.get(t) ?? 0) + 1) - denominator]));
        return { label, weights, logP: Math.log(c.examples / examples.length) + known.reduce((sum, t) => sum + (weights.get(t) as number), 0) };
      });
    if (scored.length === 0) return [];
    const top = Math.max(...scored.map((s) => s.logP));
    const total = scored.reduce((sum, s) => sum + Math.exp(s.logP - top), 0);
    return scored.sort((a, b) => b.logP - a.logP || (a.label < b.label ? -1 : 1)).slice(0, 3).map((s) => ({ label: s.label, probability: Math.exp(s.logP - top) / total }));
  }

  it('when random lessons are learned, some taken back, then its predictions equal the textbook computation', () => {
    const token = fc.constantFrom('b:路灯', 'b:工资', 'b:低保', 'b:井盖', 'b:学区', 'b:希望', 'b:噪音', 'b:物业');
    const lesson = fc.record({ label: fc.constantFrom('township', 'dept:renshe', 'dept:minzheng', 'dept:jiaoyu'), tokens: fc.array(token, { maxLength: 6 }) });
    fc.assert(
      fc.property(fc.array(lesson, { minLength: 1, maxLength: 30 }), fc.nat(), fc.array(token, { maxLength: 8 }), fc.integer({ min: 1, max: 3 }), (lessons, dropped, asked, minExamples) => {
        const classifier = new UnitClassifier();
        for (const l of lessons) classifier.add(l);
        const kept = lessons.filter((_, i) => i !== dropped % lessons.length);
        classifier.remove(lessons[dropped % lessons.length] as (typeof lessons)[number]);
        const got = classifier.predict(asked, minExamples).map(({ label, probability }) => ({ label, probability }));
        const want = reference(kept, asked, minExamples);
        expect(got).to.have.lengthOf(want.length);
        // Labels of equal probability may come in either order: the sums differ in the last bit.
        got.forEach((p, i) => {
          expect(p.probability).to.be.closeTo(want[i]?.probability as number, 1e-9);
          const same = want.find((w) => w.label === p.label) ?? want[want.length - 1];
          expect(p.probability).to.be.closeTo(same?.probability as number, 1e-9);
        });
      }),
      { numRuns: 500 },
    );
  });
});
