import { withTransaction, type Pool } from '../infra/db.js';
import type { LoopTask } from '../infra/scheduler.js';
import { OUTBOUND_PENDING_SQL, OUTBOUND_TOPICS, type OutboundTopic } from '../models/channels/outbound.js';
import { eventsToNotify } from '../models/open311/subscription.repository.js';
import { scheduleOpen311Notifications, scheduleOutboundJobs, type OutboundQueue } from './outbound.queue.js';

/** How the relay runs. */
export interface OutboundRelayOptions {
  readonly pool: Pool;
  readonly queue: OutboundQueue;
  readonly intervalMs?: number;
  readonly batchSize?: number;
}

const isOutboundTopic = (topic: string): topic is OutboundTopic => (OUTBOUND_TOPICS as readonly string[]).includes(topic);

/**
 * Relays one batch of outbox rows the outbound consumer has not seen, claiming only the topics
 * that carry news for the citizen or for a subscribed Open311 client: schedules a job for each,
 * then marks every row
 * of the batch — in that order, so that a crash in between schedules again (a no-op by job id) instead of losing a message. SKIP
 * LOCKED lets several workers share the outbox. Returns how many rows it consumed.
 */
export async function relayOutboundBatch(pool: Pool, queue: OutboundQueue, batchSize = 500): Promise<number> {
  // Most polls find nothing: one indexed look instead of a transaction five times a second.
  const { rowCount } = await pool.query(`SELECT 1 FROM outbox WHERE ${OUTBOUND_PENDING_SQL} LIMIT 1`);
  if (!rowCount) return 0;
  return withTransaction(pool, async (client) => {
    const { rows } = await client.query<{ id: number; case_id: string | null; event_id: number | null; topic: string }>(
      `SELECT id, case_id, event_id, topic FROM outbox WHERE ${OUTBOUND_PENDING_SQL} ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED`,
      [batchSize],
    );
    if (rows.length === 0) return 0;
    const jobs = rows.flatMap((r) => (r.case_id && r.event_id !== null && isOutboundTopic(r.topic) ? [{ eventId: r.event_id, caseId: r.case_id, topic: r.topic }] : []));
    await scheduleOutboundJobs(queue, jobs);
    // Status changes of cases filed through Open311, for the filing client's subscription.
    await scheduleOpen311Notifications(queue, await eventsToNotify(client, rows.flatMap((r) => (r.event_id === null ? [] : [Number(r.event_id)]))));
    await client.query(`UPDATE outbox SET outbound_synced_at = now() WHERE id = ANY($1::bigint[])`, [rows.map((r) => r.id)]);
    return rows.length;
  });
}

/** The relay to the outbound queue as a scheduler task: a batch at once after a full one, else every `intervalMs`. */
export function outboundRelayTask(options: OutboundRelayOptions): LoopTask {
  const batchSize = options.batchSize ?? 500;
  return {
    name: 'outbox relay to the outbound queue',
    everyMs: options.intervalMs ?? 200,
    immediate: true,
    run: async () => (await relayOutboundBatch(options.pool, options.queue, batchSize)) === batchSize,
  };
}
