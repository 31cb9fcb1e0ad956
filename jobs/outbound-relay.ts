import { withTransaction, type Pool } from '../infra/db.js';
import type { Logger } from '../infra/logger.js';
import { OUTBOUND_TOPICS, type OutboundTopic } from '../models/outbound.js';
import { eventsToNotify } from '../models/open311/subscription.repository.js';
import { scheduleOpen311Notifications, scheduleOutboundJobs, type OutboundQueue } from './outbound.queue.js';

/** How the relay runs. */
export interface OutboundRelayOptions {
  readonly pool: Pool;
  readonly queue: OutboundQueue;
  readonly log: Logger;
  readonly intervalMs?: number;
  readonly batchSize?: number;
}

const MAX_BACKOFF_MS = 5_000;
const isOutboundTopic = (topic: string): topic is OutboundTopic => (OUTBOUND_TOPICS as readonly string[]).includes(topic);

/**
 * Relays one batch of outbox rows the outbound consumer has not seen: schedules a job for each
 * row that carries news for the citizen or for a subscribed Open311 client, then marks every row
 * of the batch — in that order, so that a crash in between schedules again (a no-op by job id) instead of losing a message. SKIP
 * LOCKED lets several workers share the outbox. Returns how many rows it consumed.
 */
export async function relayOutboundBatch(pool: Pool, queue: OutboundQueue, batchSize = 500): Promise<number> {
  // Most polls find nothing: one indexed look instead of a transaction five times a second.
  const { rowCount } = await pool.query('SELECT 1 FROM outbox WHERE outbound_synced_at IS NULL LIMIT 1');
  if (!rowCount) return 0;
  return withTransaction(pool, async (client) => {
    const { rows } = await client.query<{ id: number; case_id: string | null; event_id: number | null; topic: string }>(
      `SELECT id, case_id, event_id, topic FROM outbox WHERE outbound_synced_at IS NULL ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED`,
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

/**
 * Polls the outbox every `intervalMs` (at once again after a full batch) and relays it to the
 * outbound queue; backs off while PostgreSQL or Redis is away.
 */
export function startOutboundRelay(options: OutboundRelayOptions): { stop(): Promise<void> } {
  const intervalMs = options.intervalMs ?? 200;
  const batchSize = options.batchSize ?? 500;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let wake: (() => void) | undefined;
  const loop = async (): Promise<void> => {
    let failures = 0;
    while (!stopped) {
      let consumed = 0;
      try {
        consumed = await relayOutboundBatch(options.pool, options.queue, batchSize);
        failures = 0;
      } catch (error) {
        failures += 1;
        options.log.warn({ err: error, failures }, 'outbox relay to the outbound queue failed; retrying');
      }
      if (stopped || (consumed === batchSize && failures === 0)) continue;
      const waitMs = failures === 0 ? intervalMs : Math.min(MAX_BACKOFF_MS, intervalMs * 2 ** failures);
      await new Promise<void>((resolve) => {
        wake = resolve;
        timer = setTimeout(resolve, waitMs);
      });
    }
  };
  const running = loop();
  return {
    stop: async () => {
      stopped = true;
      clearTimeout(timer);
      wake?.();
      await running;
    },
  };
}
