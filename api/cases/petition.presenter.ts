import { PROPER_CHANNEL_LABELS, type CaseRecord } from '../../models/cases/case.js';

const DECISION_LABELS = { accepted: '已受理', rejected: '不予受理' } as const;
const REVIEW_LABELS = ['未申请复查', '复查', '复核'] as const;
const REVIEW_WINDOW_MS = 30 * 86_400_000;

/**
 * A petition's procedure as staff and the petitioner read it: the office's decision and the
 * channel a rejected matter belongs to, how far the reviews went, whether the matter is concluded
 * (终结) and whether a review can still be asked. Null for other case types.
 */
export function presentPetition(record: CaseRecord, now = new Date()): Record<string, unknown> | null {
  if (record.type !== 'petition') return null;
  const p = record.petition;
  const answered = record.status === 'replied' || record.status === 'closed';
  return {
    decision: p.decision,
    decisionLabel: p.decision ? DECISION_LABELS[p.decision] : '待决定是否受理',
    properChannel: p.properChannel,
    properChannelLabel: p.properChannel ? PROPER_CHANNEL_LABELS[p.properChannel] : null,
    reviewLevel: p.reviewLevel,
    reviewLabel: REVIEW_LABELS[p.reviewLevel] ?? null,
    concluded: p.reviewLevel >= 2 && answered,
    canReview: answered && p.decision !== 'rejected' && p.reviewLevel < 2 && record.repliedAt !== null && now.getTime() - record.repliedAt.getTime() <= REVIEW_WINDOW_MS,
    repeatsConcluded: p.concludedCaseId !== null,
  };
}
