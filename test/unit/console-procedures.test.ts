import { expect } from 'chai';
import type { CaseView } from '../../web/console/src/logic/case.js';
import { procedureSections } from '../../web/console/src/logic/procedures.js';

const NAMES: Record<string, string> = { '371325105': '探沂镇', '371325-renshe': '费县人力资源和社会保障局' };
const nameOf = (code: string): string => NAMES[code] ?? code;
const NONE: CaseView['procedures'] = { thirdPartyOpinion: null, dispute: null, arbitratedUnit: null, ratingAppeal: null };

function view(procedures: Partial<CaseView['procedures']>, deadlines: Partial<CaseView['deadlines']> = {}, events: CaseView['events'] = []): CaseView {
  return {
    procedures: { ...NONE, ...procedures },
    deadlines: { acceptBy: null, replyBy: null, acceptWarnAt: null, replyWarnAt: null, paused: false, pausedAt: null, arbitrateBy: null, thirdPartyAnswerBy: null, thirdPartyOverdue: false, thirdPartyProvisional: false, arbitrateProvisional: false, pendingExtension: null, ...deadlines },
    events,
  } as unknown as CaseView;
}

const rows = (sections: ReturnType<typeof procedureSections>, title: string): Record<string, string> =>
  Object.fromEntries((sections.find((s) => s.title.startsWith(title))?.rows ?? []).map((r) => [r.label, r.value]));

describe('console case page: the procedures panel (web/console/src/logic/procedures.ts)', () => {
  it('when nothing is under way, then there is no panel', () => {
    expect(procedureSections(view({}), nameOf)).to.deep.equal([]);
  });

  it('when a unit contests the dispatch, then the panel names it, its reason, the unit suggested and the arbitration deadline in Linyi time', () => {
    const sections = procedureSections(view({ dispute: { unitCode: '371325105', reason: '拖欠工资属劳动监察', suggestedUnitCode: '371325-renshe', disputedAt: '2026-11-30T02:00:00Z' } }, { arbitrateBy: '2026-12-07T16:00:00Z' }), nameOf);
    expect(sections[0]?.title).to.equal('管辖争议（待中心仲裁）');
    expect(rows(sections, '管辖争议')).to.include({ 提出单位: '探沂镇', 异议理由: '拖欠工资属劳动监察', 建议承办单位: '费县人力资源和社会保障局', 仲裁期限: '2026-12-07 24:00' });
  });

  it('when the centre has arbitrated, then the panel shows the unit bound and the decision from the timeline', () => {
    const events = [{ id: 1, action: 'arbitrate_dispute', toStatus: 'dispatched', actor: { role: 'supervisor', unitCode: null }, unitCode: '371325-renshe', note: '管辖争议仲裁：由费县人力资源和社会保障局办理。属劳动监察', data: {}, at: '2026-11-30T03:00:00Z' }];
    const sections = procedureSections(view({ arbitratedUnit: '371325-renshe' }, {}, events), nameOf);
    expect(rows(sections, '管辖争议')).to.include({ 仲裁意见: events[0]?.note });
    expect(rows(sections, '管辖争议').仲裁结果).to.include('费县人力资源和社会保障局');
  });

  it('when a third party is awaited and late, then the panel says the clock is paused and the answer overdue; once it lapsed, that the office decides', () => {
    const opinion = { party: '某公司', reason: '商业秘密', requestedAt: '2026-11-30T02:00:00Z', answerBy: '2026-12-21T16:00:00Z', receivedAt: null, agreed: null, note: null };
    const awaited = procedureSections(view({ thirdPartyOpinion: opinion }, { paused: true, pausedAt: '2026-11-30T02:00:00Z', thirdPartyOverdue: true }), nameOf);
    expect(awaited[0]?.title).to.equal('征求第三方意见（答复期限暂停）');
    expect(rows(awaited, '征求第三方意见')).to.include({ 第三方答复期限: '2026-12-21 24:00（已逾期）', 答复期限: '自2026-11-30 10:00起暂停计算' });
    const lapsed = procedureSections(view({ thirdPartyOpinion: { ...opinion, receivedAt: '2026-12-22T02:00:00Z', lapsed: true } }), nameOf);
    expect(rows(lapsed, '征求第三方意见').第三方意见).to.include('逾期未提出意见');
  });

  it('when the arbitration or the third party\'s answer runs into a year without a published schedule, then the panel marks the date provisional', () => {
    const dispute = { unitCode: '371325105', reason: '不属于本镇职责', suggestedUnitCode: null, disputedAt: '2026-12-28T02:00:00Z' };
    const disputed = procedureSections(view({ dispute }, { arbitrateBy: '2027-01-05T16:00:00Z', arbitrateProvisional: true }), nameOf);
    expect(rows(disputed, '管辖争议').仲裁期限).to.equal('2027-01-05 24:00（暂定，待放假安排公布）');
    const opinion = { party: '某公司', reason: '商业秘密', requestedAt: '2026-11-30T02:00:00Z', answerBy: '2027-01-12T16:00:00Z', receivedAt: null, agreed: null, note: null };
    const awaited = procedureSections(view({ thirdPartyOpinion: opinion }, { paused: true, pausedAt: '2026-11-30T02:00:00Z', thirdPartyProvisional: true }), nameOf);
    expect(rows(awaited, '征求第三方意见').第三方答复期限).to.equal('2027-01-12 24:00（暂定，待放假安排公布）');
    const confirmed = procedureSections(view({ thirdPartyOpinion: opinion }, { paused: true, pausedAt: '2026-11-30T02:00:00Z' }), nameOf);
    expect(rows(confirmed, '征求第三方意见').第三方答复期限).to.equal('2027-01-12 24:00');
  });

  it('when the centre upholds a rating appeal, then the panel says the rating leaves the satisfaction rate', () => {
    const appeal = { unitCode: '371325105', reason: '诉求超出职责', ratingAt: '2026-11-30T02:00:00Z', appealedAt: '2026-11-30T03:00:00Z', appealBy: '2026-12-07T16:00:00Z', decision: { upheld: true, reason: '诉求不合理', decidedAt: '2026-12-01T02:00:00Z' } };
    const sections = procedureSections(view({ ratingAppeal: appeal }), nameOf);
    expect(rows(sections, '不满意评价甄别')).to.include({ 甄别结果: '甄别成立，该评价不计入满意率', 申请期限: '2026-12-07 24:00' });
  });
});
