import { AppError, invalidState, notFound } from '../../errors.js';
import { withTransaction, type Pool, type PoolClient } from '../../infra/db.js';
import { reopenEffect, resetDeadlines, type Effect, type EffectContext } from './action-effects.js';
import type { Actor, CaseRecord } from './case.js';
import { MAX_CITIZEN_REOPENS, type Satisfaction } from './case-workflow.js';
import { changeCase, lockCase } from './case-writer.js';
import { DEFAULT_WARN_AT, warningTime } from '../time-limits/time-limit-policy.js';
import type { Deadline } from '../time-limits/time-limits.js';
import { addNaturalDays } from '../time-limits/working-calendar.js';

const CITIZEN: Actor = { id: null, role: 'citizen', unitCode: null };
const asCitizen = { actor: CITIZEN, kind: () => 'citizen' as const };
const ESCALATION_INTERVAL_MS = 24 * 3_600_000;
const SATISFACTION_LABELS: Readonly<Record<Satisfaction, string>> = { satisfied: '满意', basically_satisfied: '基本满意', dissatisfied: '不满意' };

/** The case with this number and query code; a wrong code is exactly an unknown case. */
async function caseIdByNumberAndCode(client: PoolClient, caseNo: string, code: string): Promise<string> {
  const { rows } = await client.query<{ id: string }>('SELECT id FROM cases WHERE case_no = $1 AND query_code = $2', [caseNo, code]);
  if (!rows[0]) throw notFound('Case');
  return rows[0].id;
}

/** The case after the citizen's change, read under the lock the change holds. */
async function reread(client: PoolClient, id: string): Promise<CaseRecord> {
  const record = await lockCase(client, id);
  if (!record) throw notFound('Case');
  return record;
}

const unchanged = (record: CaseRecord): Pick<Effect, 'assignedUnit' | 'coUnits' | 'deadlinesMoved'> => ({
  assignedUnit: record.assignedUnit?.code ?? null,
  coUnits: record.coUnits,
  deadlinesMoved: false,
});

/**
 * 催办: a citizen chases an open case, at most once per 24 hours; the unit and the centre are told
 * through the outbox, and statistics count it.
 */
export function escalateByCitizen(pool: Pool, caseNo: string, code: string, reason: string, now: () => Date): Promise<CaseRecord> {
  return withTransaction(pool, async (client) => {
    const id = await caseIdByNumberAndCode(client, caseNo, code);
    await changeCase(client, id, {
      ...asCitizen,
      action: 'citizen_escalation',
      effect: (record) => {
        const at = now();
        const last = record.lastCitizenEscalationAt;
        if (last && at.getTime() - last.getTime() < ESCALATION_INTERVAL_MS) {
          throw new AppError(429, 'rate_limited', `This case was chased at ${last.toISOString()}; it can be chased again 24 hours later`);
        }
        return { ...unchanged(record), note: '市民催办', data: { reason }, public: true, set: { last_citizen_escalation_at: at } };
      },
    });
    return reread(client, id);
  });
}

/**
 * 评价: once the case is replied, the citizen rates the answer. Satisfied or basically satisfied
 * closes the case; dissatisfied reopens it with the unit that answered, at most
 * MAX_CITIZEN_REOPENS times, after which the centre decides (the case is flagged for supervision).
 */
export function rateByCitizen(pool: Pool, caseNo: string, code: string, rating: { satisfaction: Satisfaction; comment?: string }, ctx: Omit<EffectContext, 'now'> & { now: () => Date }): Promise<CaseRecord> {
  return withTransaction(pool, async (client) => {
    const id = await caseIdByNumberAndCode(client, caseNo, code);
    const now = ctx.now();
    const dissatisfied = rating.satisfaction === 'dissatisfied';
    let reopen = false;
    await changeCase(client, id, {
      ...asCitizen,
      action: 'rate',
      effect: (record) => {
        const stored = { satisfaction: rating.satisfaction, comment: rating.comment ?? null, source: 'citizen' as const, at: now.toISOString() };
        reopen = dissatisfied && record.reopenCount < MAX_CITIZEN_REOPENS;
        const needsCentreDecision = dissatisfied && !reopen;
        return {
          ...unchanged(record),
          note: `市民评价：${SATISFACTION_LABELS[rating.satisfaction]}`,
          data: { rating: stored, reopened: reopen, needsCentreDecision },
          public: true,
          status: dissatisfied ? 'replied' : 'closed',
          set: { rating: stored, ...(needsCentreDecision ? { supervised: true } : {}) },
        };
      },
    });
    if (reopen) {
      await changeCase(client, id, { ...asCitizen, action: 'reopen', effect: (rated) => reopenEffect(rated, { ...ctx, now }, rating.comment ?? '市民不满意', { byCentre: false }) });
    }
    return reread(client, id);
  });
}

// 《信访工作条例》 art. 35: a review (复查) is asked within 30 days of the written reply, and the
// office one level up answers it within 30 days.
const REVIEW_WINDOW_MS = 30 * 86_400_000;
const REVIEW_LIMIT_DAYS = 30;

/** The petitions office one level above the one that answered (the city office reviews its own level). */
function reviewingOffice(record: CaseRecord, units: EffectContext['units']): string {
  const answered = units.get(record.assignedUnit?.code ?? '');
  const level = answered?.parentCode ? units.get(answered.parentCode) : undefined;
  const above = level?.parentCode ?? level?.code ?? '3713';
  return units.get(`${above}-petitions`) ? `${above}-petitions` : '3713-petitions';
}

/** The reply deadline of a review: 30 natural days from the request (no holiday schedule moves them), warned at the usual point. */
function reviewDeadline(now: Date): Deadline {
  const limit = { unit: 'days', amount: REVIEW_LIMIT_DAYS } as const;
  const due = addNaturalDays(now, REVIEW_LIMIT_DAYS);
  return { start: now, due, warnAt: warningTime(now, due), basis: { policyId: 'petition-review', setVersion: 0, limit, warnAt: DEFAULT_WARN_AT }, provisional: false };
}

/** 复查: the petitioner asks the office one level up to review the answer, within 30 days of it. */
export function requestReview(pool: Pool, caseNo: string, code: string, reason: string, ctx: Omit<EffectContext, 'now'> & { now: () => Date }): Promise<CaseRecord> {
  return withTransaction(pool, async (client) => {
    const id = await caseIdByNumberAndCode(client, caseNo, code);
    await changeCase(client, id, {
      ...asCitizen,
      action: 'review',
      effect: (record) => {
        if (record.type !== 'petition') throw invalidState('Only a petition can be reviewed (复查)');
        if (record.reviewRequestedAt) throw invalidState('A review of this petition was already requested');
        const now = ctx.now();
        if (!record.repliedAt || now.getTime() - record.repliedAt.getTime() > REVIEW_WINDOW_MS) {
          throw invalidState('A review is asked within 30 days of the written answer');
        }
        const office = reviewingOffice(record, ctx.units);
        const accept = ctx.timeLimits.acceptDeadline(record.type, record.urgency, now);
        return {
          assignedUnit: office,
          coUnits: [],
          deadlinesMoved: true,
          note: '申请人申请复查',
          data: { reason, toUnit: office, previousUnit: record.assignedUnit?.code ?? null },
          public: true,
          set: { ...resetDeadlines(record, accept, reviewDeadline(now)), review_requested_at: now },
        };
      },
    });
    return reread(client, id);
  });
}
