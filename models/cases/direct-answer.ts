import { badRequest, invalidState } from '../../errors.js';
import { withTransaction, type Pool, type PoolClient } from '../../infra/db.js';
import type { Actor, CaseRecord } from './case.js';
import { registerCase, type DirectAnswer, type IntakeDeps, type IntakeInput, type IntakeOptions, type IntakeResult } from './case-intake.js';
import { findArticles } from '../knowledge/knowledge.repository.js';
import { isValidOn } from '../knowledge/ranking.js';
import { calendarDateOf } from '../time-limits/working-calendar.js';
import type { StoredRating } from './action-catalogue.js';
import { kindOfRole, lockCase, writeChange, type Effect } from './case-writer.js';

/** Refuses articles that are unknown, archived or not in force today: an answer rests only on current guidance. */
async function assertCitable(client: PoolClient, ids: readonly string[], today: string): Promise<void> {
  const found = new Map((await findArticles(client, ids)).map((a) => [a.id, a]));
  const problems = ids.flatMap((id, i) => {
    const article = found.get(id);
    const reason = !article ? 'no such article' : article.archived ? 'the article is archived' : !isValidOn(article, today) ? 'the article is not in force today' : null;
    return reason ? [{ path: `body.resolution.knowledgeIds.${i}`, message: reason }] : [];
  });
  if (problems.length > 0) throw badRequest('The answer cites articles it cannot rest on', problems);
}

/**
 * Registers a request the desk answered on the spot (当场答复): the registration and the answer are
 * one transaction, so the case exists closed or not at all, and no rule or operator dispatches it.
 * A retry under the same idempotency key finds the case already closed and writes nothing.
 */
export async function registerDirectAnswer(
  pool: Pool,
  input: IntakeInput & { resolution: DirectAnswer },
  actor: Actor,
  deps: IntakeDeps,
  options: IntakeOptions,
): Promise<IntakeResult> {
  return withTransaction(pool, async (client) => {
    const now = deps.now();
    const registered = await registerCase(client, input, actor, deps, options);
    // A retry returns the case as answered, whatever became of the articles since.
    if (!registered.created) return registered;
    // Refused here, the registration rolls back with the rest.
    await assertCitable(client, input.resolution.knowledgeIds, calendarDateOf(now));
    const record = await lockCase(client, registered.record.id);
    if (!record) throw new Error('the case registered in this transaction is missing');
    await writeChange(client, record, 'answer_directly', kindOfRole(actor.role), actor, {
      assignedUnit: null,
      coUnits: [],
      note: input.resolution.answer,
      data: { unitCode: record.receivedByUnit ?? '', knowledgeIds: [...new Set(input.resolution.knowledgeIds)] },
      public: true,
      set: { reply: input.resolution.answer, replied_at: now },
      // The reply deadline set at registration is met: its jobs must do nothing.
      deadlinesMoved: true,
    });
    return { record: (await lockCase(client, record.id)) ?? record, created: true };
  });
}

/**
 * Whether a case was answered at the desk: closed with an answer, without ever having gone to a
 * unit (a unit's reply needs the case assigned, and a merged case carries no answer of its own).
 */
export function isAnsweredDirectly(record: Pick<CaseRecord, 'status' | 'assignedUnit' | 'reply' | 'mergedInto'>): boolean {
  return record.status === 'closed' && record.assignedUnit === null && record.reply !== null && record.mergedInto === null;
}

/**
 * 回访 of a case answered at the desk: the rating taken by phone is kept on the case and counted
 * for the unit that answered. One return visit per case.
 */
export function returnVisitEffect(record: CaseRecord, rating: StoredRating): Effect<'return_visit'> {
  if (!isAnsweredDirectly(record)) throw invalidState('Only a case answered at the desk is visited once closed; others are visited when replied (close)');
  if (record.rating) throw invalidState('The case has had its return visit');
  return { assignedUnit: null, coUnits: [], note: '已回访', data: { rating, unitCode: record.receivedByUnit }, public: true, set: { rating: { ...rating } }, deadlinesMoved: false };
}
