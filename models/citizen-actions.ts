import { AppError, invalidState, notFound } from '../errors.js';
import { withTransaction, type Pool, type PoolClient } from '../infra/db.js';
import { reopenEffect, type Effect, type EffectContext } from './action-effects.js';
import { OPEN_STATUSES, type Actor, type CaseRecord } from './case.js';
import { lockCase, writeTransition } from './case-actions.js';
import { MAX_CITIZEN_REOPENS, type Satisfaction } from './case-workflow.js';
import { warningTime } from './time-limits/time-limit-policy.js';
import { addNaturalDays } from './time-limits/working-calendar.js';

const CITIZEN: Actor = { id: null, role: 'citizen', unitCode: null };
const ESCALATION_INTERVAL_MS = 24 * 3_600_000;
const SATISFACTION_LABELS: Readonly<Record<Satisfaction, string>> = { satisfied: '满意', basically_satisfied: '基本满意', dissatisfied: '不满意' };

/** Locks the case with this number and query code; a wrong code is exactly an unknown case. */
async function lockByNumberAndCode(client: PoolClient, caseNo: string, code: string): Promise<CaseRecord> {
  const { rows } = await client.query<{ id: string }>('SELECT id FROM cases WHERE case_no = $1 AND query_code = $2', [caseNo, code]);
  const record = rows[0] ? await lockCase(client, rows[0].id) : undefined;
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
    const record = await lockByNumberAndCode(client, caseNo, code);
    if (!OPEN_STATUSES.includes(record.status)) throw invalidState('The case has been answered; rate the answer instead of chasing it');
    const at = now();
    const last = record.lastCitizenEscalationAt;
    if (last && at.getTime() - last.getTime() < ESCALATION_INTERVAL_MS) {
      throw new AppError(429, 'rate_limited', `This case was chased at ${last.toISOString()}; it can be chased again 24 hours later`);
    }
    await writeTransition(client, record, 'citizen_escalation', {
      ...unchanged(record),
      note: '市民催办',
      data: { reason },
      public: true,
      status: record.status,
      set: { last_citizen_escalation_at: at },
    }, CITIZEN);
    return (await lockCase(client, record.id)) ?? record;
  });
}

/**
 * 评价: once the case is replied, the citizen rates the answer. Satisfied or basically satisfied
 * closes the case; dissatisfied reopens it with the unit that answered, at most
 * MAX_CITIZEN_REOPENS times, after which the centre decides (the case is flagged for supervision).
 */
export function rateByCitizen(pool: Pool, caseNo: string, code: string, rating: { satisfaction: Satisfaction; comment?: string }, ctx: Omit<EffectContext, 'now'> & { now: () => Date }): Promise<CaseRecord> {
  return withTransaction(pool, async (client) => {
    const record = await lockByNumberAndCode(client, caseNo, code);
    if (record.status !== 'replied') throw invalidState('A case can be rated once it has been answered');
    const now = ctx.now();
    const stored = { satisfaction: rating.satisfaction, comment: rating.comment ?? null, source: 'citizen', at: now.toISOString() };
    const dissatisfied = rating.satisfaction === 'dissatisfied';
    const reopen = dissatisfied && record.reopenCount < MAX_CITIZEN_REOPENS;
    const needsCentreDecision = dissatisfied && !reopen;
    await writeTransition(client, record, 'rate', {
      ...unchanged(record),
      note: `市民评价：${SATISFACTION_LABELS[rating.satisfaction]}`,
      data: { rating: stored, reopened: reopen, needsCentreDecision },
      public: true,
      status: dissatisfied ? 'replied' : 'closed',
      set: { rating: stored, ...(needsCentreDecision ? { supervised: true } : {}) },
    }, CITIZEN);
    if (reopen) {
      const rated = (await lockCase(client, record.id)) ?? record;
      await writeTransition(client, rated, 'reopen', reopenEffect(rated, { ...ctx, now }, rating.comment ?? '市民不满意', { byCentre: false }), CITIZEN);
    }
    return (await lockCase(client, record.id)) ?? record;
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

/** 复查: the petitioner asks the office one level up to review the answer, within 30 days of it. */
export function requestReview(pool: Pool, caseNo: string, code: string, reason: string, ctx: Omit<EffectContext, 'now'> & { now: () => Date }): Promise<CaseRecord> {
  return withTransaction(pool, async (client) => {
    const record = await lockByNumberAndCode(client, caseNo, code);
    if (record.type !== 'petition') throw invalidState('Only a petition can be reviewed (复查)');
    if (record.reviewRequestedAt) throw invalidState('A review of this petition was already requested');
    const now = ctx.now();
    if (!record.repliedAt || !['replied', 'closed'].includes(record.status) || now.getTime() - record.repliedAt.getTime() > REVIEW_WINDOW_MS) {
      throw invalidState('A review is asked within 30 days of the written answer');
    }
    const office = reviewingOffice(record, ctx.units);
    const accept = ctx.timeLimits.acceptDeadline(record.type, record.urgency, now);
    const due = addNaturalDays(now, REVIEW_LIMIT_DAYS);
    await writeTransition(client, record, 'review', {
      assignedUnit: office,
      coUnits: [],
      deadlinesMoved: true,
      note: '申请人申请复查',
      data: { reason, toUnit: office, previousUnit: record.assignedUnit?.code ?? null },
      public: true,
      status: 'dispatched',
      set: {
        review_requested_at: now,
        accept_by: accept.due,
        accept_warn_at: accept.warnAt,
        accept_warned_at: null,
        accept_overdue_at: null,
        accept_provisional: accept.provisional,
        reply_by: due,
        // 复查 is counted in natural days, which no holiday schedule moves.
        reply_provisional: false,
        reply_warn_at: warningTime(now, due),
        reply_warned_at: null,
        reply_overdue_at: null,
        reply: null,
        replied_at: null,
      },
    }, CITIZEN);
    return (await lockCase(client, record.id)) ?? record;
  });
}
