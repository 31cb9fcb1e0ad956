import { expect } from 'chai';
import fc from 'fast-check';
import { groupRepeats, type RepeatCandidate } from '../../models/insights/hot-topics/repeat-groups.js';
import { callerKey, characterBigrams, dice, DUPLICATE_SIMILARITY, textSimilarity } from '../../models/insights/hot-topics/similarity.js';

const day = (d: number): Date => new Date(Date.UTC(2026, 2, d));
let seq = 0;
const candidate = (divisionCode: string, category: string | null, terms: string[], d = 1): RepeatCandidate => {
  seq += 1;
  return { caseId: `case-${String(seq).padStart(3, '0')}`, receivedAt: day(d), divisionCode, category, terms };
};

describe('duplicate similarity', () => {
  it('when sets are compared, then Dice is twice the shared over both sizes, and two empty sets are identical', () => {
    expect(dice(new Set(['a', 'b', 'c']), new Set(['b', 'c', 'd']))).to.equal(4 / 6);
    expect(dice(new Set(), new Set())).to.equal(1);
    expect(dice(new Set(['a']), new Set())).to.equal(0);
  });

  it('when a text is cut into bigrams, then punctuation and spaces are ignored and case is folded', () => {
    expect([...characterBigrams('路灯，不亮 A')].sort()).to.deep.equal(['不亮', '亮a', '灯不', '路灯'].sort());
  });

  it('when a caller repeats a complaint with a word or two changed, then the texts are near-identical', () => {
    const first = '小区门口路灯坏了一个星期，晚上出行很不方便，希望尽快修好';
    const again = '小区门口的路灯坏了一个星期了，晚上出行很不方便，希望尽快修好！';

    expect(textSimilarity(first, again)).to.be.at.least(DUPLICATE_SIMILARITY);
  });

  it('when the same caller reports another matter, then the texts are not near-identical', () => {
    expect(textSimilarity('小区门口路灯坏了一个星期', '家门口下水道堵塞，污水漫到路面')).to.be.lessThan(0.2);
  });

  it('when similarity is computed both ways, then it is symmetric and within 0..1 (property)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 30 }), fc.string({ maxLength: 30 }), (a, b) => {
        const ab = textSimilarity(a, b);
        expect(ab).to.equal(textSimilarity(b, a));
        expect(ab).to.be.within(0, 1);
      }),
    );
  });

  it('when callers are keyed, then phone digits win (country code dropped), else the channel account, else nothing', () => {
    expect(callerKey('hotline', { phone: '+86 138-1234-5678' })).to.equal('phone:13812345678');
    expect(callerKey('hotline', { phone: '13812345678' })).to.equal('phone:13812345678');
    expect(callerKey('wechat', { channelUserId: 'openid-1' })).to.equal('wechat:openid-1');
    expect(callerKey('microblog', { channelUserId: 'openid-1' })).to.not.equal(callerKey('wechat', { channelUserId: 'openid-1' }));
    expect(callerKey('letter', {})).to.equal(null);
  });
});

describe('repeat grouping', () => {
  // IDF-like specificity: the matter words high, the generic ones below the key threshold (6.5).
  const SPECIFICITY: Record<string, number> = { 井盖: 12, 丢失: 9, 沂蒙路: 10, 危险: 7, 晚上: 6, 门口: 6.2, 广场舞: 11, 噪音: 9, 音响: 8 };
  const specificity = (t: string): number => SPECIFICITY[t] ?? 8;
  const manhole = ['井盖', '丢失', '沂蒙路', '危险'];

  it('when cases of one township and category share a specific term, then they form one group in order of receipt', () => {
    const cases = [candidate('371302001', '市政设施', manhole, 3), candidate('371302001', '市政设施', ['井盖', '晚上'], 1), candidate('371302001', '市政设施', ['井盖', '丢失', '门口'], 2)];

    const groups = groupRepeats(cases, specificity);

    expect(groups).to.have.length(1);
    expect(groups[0]).to.include({ divisionCode: '371302001', category: '市政设施', keyTerm: '井盖' });
    expect(groups[0]?.caseIds).to.deep.equal([cases[1]?.caseId, cases[2]?.caseId, cases[0]?.caseId]);
    expect(groups[0]?.firstReceivedAt).to.deep.equal(day(1));
    expect(groups[0]?.lastReceivedAt).to.deep.equal(day(3));
    expect(groups[0]?.commonTerms).to.deep.equal(['井盖', '丢失']);
  });

  it('when alike cases lie in different townships or categories, then they are not grouped', () => {
    const cases = [
      candidate('371302001', '市政设施', manhole),
      candidate('371302002', '市政设施', manhole),
      candidate('371302001', '环境卫生', manhole),
      candidate('371302001', null, manhole),
    ];

    expect(groupRepeats(cases, specificity, { minCases: 2, minKeySpecificity: 6.5 })).to.deep.equal([]);
  });

  it('when cases without a category share a township and a term, then they are grouped on the text alone', () => {
    const cases = [candidate('371302001', null, manhole), candidate('371302001', null, manhole), candidate('371302001', null, manhole)];

    expect(groupRepeats(cases, specificity)).to.have.length(1);
  });

  it('when cases of one place and category are about different matters, then each matter is its own group', () => {
    const noise = ['广场舞', '噪音', '晚上', '音响'];
    const cases = [manhole, noise, manhole, noise, manhole, noise].map((terms, i) => candidate('371302001', '市政设施', terms, i + 1));

    const groups = groupRepeats(cases, specificity);

    expect(groups.map((g) => [g.keyTerm, g.caseIds.length])).to.have.deep.members([['井盖', 3], ['广场舞', 3]]);
  });

  it('when cases share only generic words, then they are not the same complaint', () => {
    const cases = [candidate('371302001', '市政设施', ['门口', '晚上', '井盖']), candidate('371302001', '市政设施', ['门口', '晚上', '噪音']), candidate('371302001', '市政设施', ['门口', '晚上', '音响'])];

    expect(groupRepeats(cases, specificity)).to.deep.equal([]);
  });

  it('when a case holds two recurring terms, then it joins the more specific one only', () => {
    const cases = [
      candidate('371302001', '市政设施', ['井盖', '危险'], 1),
      candidate('371302001', '市政设施', ['井盖', '危险'], 2),
      candidate('371302001', '市政设施', ['井盖', '危险'], 3),
      candidate('371302001', '市政设施', ['危险', '音响'], 4),
    ];

    const groups = groupRepeats(cases, specificity);

    expect(groups.map((g) => [g.keyTerm, g.caseIds.length])).to.deep.equal([['井盖', 3]]);
  });

  it('when a group is smaller than minCases, then it is left out; larger groups come first', () => {
    const cases = [
      ...Array.from({ length: 4 }, () => candidate('371302001', '市政设施', manhole)),
      ...Array.from({ length: 2 }, () => candidate('371302002', '市政设施', manhole)),
      ...Array.from({ length: 3 }, () => candidate('371302003', '市政设施', manhole)),
    ];

    expect(groupRepeats(cases, specificity).map((g) => [g.divisionCode, g.caseIds.length])).to.deep.equal([['371302001', 4], ['371302003', 3]]);
  });

  it('when any cases are grouped, then each case is in one group at most and every group has minCases (property)', () => {
    const words = ['井盖', '丢失', '噪音', '广场舞', '晚上', '门口', '音响'];
    const arb = fc.array(
      fc.record({ division: fc.constantFrom('371302001', '371302002'), category: fc.constantFrom('市政设施', null), terms: fc.subarray(words), day: fc.integer({ min: 1, max: 28 }) }),
      { maxLength: 60 },
    );
    fc.assert(
      fc.property(arb, fc.integer({ min: 2, max: 5 }), (rows, minCases) => {
        const groups = groupRepeats(rows.map((r) => candidate(r.division, r.category, r.terms, r.day)), specificity, { minCases, minKeySpecificity: 6.5 });
        const ids = groups.flatMap((g) => g.caseIds);
        expect(new Set(ids).size).to.equal(ids.length);
        for (const g of groups) expect(g.caseIds.length).to.be.at.least(minCases);
      }),
    );
  });
});
