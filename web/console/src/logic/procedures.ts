import type { CaseView } from './case.js';
import { formatTime } from './deadlines.js';

/** One line of a procedure's panel: what it is, and its value in words. */
export interface ProcedureRow {
  readonly label: string;
  readonly value: string;
}

/** A procedure under way or decided on a case (docs/procedures.md), as the case page shows it. */
export interface ProcedureSection {
  readonly title: string;
  readonly rows: readonly ProcedureRow[];
}

// Counted over a year whose 调休 schedule is not published: the date may still move (docs/decisions/007).
const PROVISIONAL = '（暂定，待放假安排公布）';

const lastNote = (view: CaseView, action: string): string | null => view.events?.findLast((e) => e.action === action)?.note ?? null;

function disputeSection(view: CaseView, nameOf: (code: string) => string): ProcedureSection | null {
  const dispute = view.procedures.dispute;
  const bound = view.procedures.arbitratedUnit;
  if (dispute) {
    return {
      title: '管辖争议（待中心仲裁）',
      rows: [
        { label: '提出单位', value: nameOf(dispute.unitCode) },
        { label: '异议理由', value: dispute.reason },
        { label: '建议承办单位', value: dispute.suggestedUnitCode ? nameOf(dispute.suggestedUnitCode) : '—' },
        { label: '提出时间', value: formatTime(dispute.disputedAt) },
        { label: '仲裁期限', value: `${formatTime(view.deadlines.arbitrateBy)}${view.deadlines.arbitrateProvisional ? PROVISIONAL : ''}` },
      ],
    };
  }
  if (!bound) return null;
  // The decision binds: the unit named cannot return or contest the case again.
  return { title: '管辖争议（已仲裁）', rows: [{ label: '仲裁结果', value: `由${nameOf(bound)}办理，不得再以管辖为由退回` }, { label: '仲裁意见', value: lastNote(view, 'arbitrate_dispute') ?? '—' }] };
}

function thirdPartySection(view: CaseView): ProcedureSection | null {
  const opinion = view.procedures.thirdPartyOpinion;
  if (!opinion) return null;
  const awaited = opinion.receivedAt === null;
  const answer = opinion.lapsed ? '第三方逾期未提出意见，由本机关依法决定是否公开' : opinion.agreed === null ? '—' : opinion.agreed ? '同意公开' : '不同意公开';
  return {
    title: awaited ? '征求第三方意见（答复期限暂停）' : '征求第三方意见（已结束）',
    rows: [
      { label: '第三方', value: opinion.party },
      { label: '征求事由', value: opinion.reason },
      { label: '征求时间', value: formatTime(opinion.requestedAt) },
      { label: '第三方答复期限', value: `${formatTime(opinion.answerBy)}${awaited && view.deadlines.thirdPartyProvisional ? PROVISIONAL : ''}${awaited && view.deadlines.thirdPartyOverdue ? '（已逾期）' : ''}` },
      { label: '答复期限', value: awaited ? `自${formatTime(view.deadlines.pausedAt)}起暂停计算` : '继续计算' },
      ...(awaited ? [] : [{ label: '第三方意见', value: answer }, { label: '意见内容', value: opinion.note ?? '—' }, { label: '收到时间', value: formatTime(opinion.receivedAt) }]),
    ],
  };
}

function appealSection(view: CaseView): ProcedureSection | null {
  const appeal = view.procedures.ratingAppeal;
  if (!appeal) return null;
  const decision = appeal.decision;
  return {
    title: decision ? '不满意评价甄别（已决定）' : '不满意评价甄别（待中心决定）',
    rows: [
      { label: '甄别理由', value: appeal.reason },
      { label: '被甄别的评价', value: formatTime(appeal.ratingAt) },
      { label: '申请时间', value: formatTime(appeal.appealedAt) },
      { label: '申请期限', value: formatTime(appeal.appealBy ?? null) },
      ...(decision
        ? [
            { label: '甄别结果', value: decision.upheld ? '甄别成立，该评价不计入满意率' : '甄别不成立，评价计入满意率' },
            { label: '决定理由', value: decision.reason },
          ]
        : []),
    ],
  };
}

/** The procedures of a case worth a panel: a dispute, a third party consulted, a rating appeal; none when nothing is under way or decided. */
export function procedureSections(view: CaseView, nameOf: (code: string) => string): ProcedureSection[] {
  return [disputeSection(view, nameOf), thirdPartySection(view), appealSection(view)].filter((s): s is ProcedureSection => s !== null);
}
