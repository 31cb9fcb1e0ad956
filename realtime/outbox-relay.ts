import type { Redis } from 'ioredis';
import type { Pool, PoolClient } from '../infra/db.js';
import type { Logger } from '../infra/logger.js';
import type { CaseEvent, CaseStatus } from '../models/case.js';
import type { UnitDirectory } from '../models/unit-directory.js';
import { emitOutboxMessage, type EmitSink, type OutboxMessage } from './outbox-messages.js';
import type { CaseEventName } from './events.js';
import type { HubServer } from './socket-server.js';

/** How a relay runs. */
export interface RelayOptions {
  readonly pool: Pool;
  /** The socket-less node to emit through (createPublisher). */
  readonly io: HubServer;
  /** The client the publisher's adapter appends to the stream with: the relay fences on it (see publishOutboxBatch). */
  readonly redis: Redis;
  readonly units: UnitDirectory;
  readonly log: Logger;
  /** Wait between polls of an empty outbox. */
  readonly intervalMs?: number;
  readonly batchSize?: number;
}

/** What one batch did. */
export interface BatchReport {
  readonly claimed: number;
  readonly published: number;
  /** Rows left for later because a lower row of their case was held by another relay. */
  readonly deferred: number;
}

interface ClaimedRow {
  id: number;
  topic: string;
  case_id: string | null;
  blocked_from: number | null;
  case_no: string | null;
  co_units: string[] | null;
  event_id: number | null;
  action: string;
  from_status: CaseStatus | null;
  to_status: CaseStatus;
  actor_id: string | null;
  actor_role: string;
  actor_unit: string | null;
  unit_code: string | null;
  note: string | null;
  data: Record<string, unknown> | null;
  public: boolean;
  created_at: Date;
}

/*
 * Claims a batch and loads what it needs in one statement.
 *
 * Ordering. One case's outbox rows commit in id order: every writer holds the case row's lock
 * (FOR UPDATE, or the INSERT that creates it) while it inserts them, so a later row of a case gets
 * its id after the earlier one committed. Several relays claim disjoint rows with SKIP LOCKED, but
 * that alone would let relay B emit a case's row 9 while relay A still holds its row 8. So a relay
 * publishes a case's claimed rows only below the lowest unpublished row of that case it did not
 * claim (`blocked_from`): its rows are then a prefix of what the case has left, and every earlier
 * row was published — emitted and committed — before this statement's snapshot. Rows above that
 * point stay unpublished for a later batch. The relay holding a case's lowest row always makes
 * progress, so no case starves. A per-case advisory lock would add nothing: the row locks already
 * make the claims disjoint, and "published" never reverts, so the check cannot go stale.
 * A row another relay published after this snapshot still looks unpublished here: that only
 * defers, never reorders.
 *
 * The scan for foreign rows stops at the batch's highest id, over the partial index of unpublished
 * rows: it reads what the relays hold, not the whole backlog.
 */
const CLAIM_BATCH = `
  WITH claimed AS MATERIALIZED (
    SELECT id, case_id, event_id, topic FROM outbox
     WHERE published_at IS NULL
     ORDER BY id LIMIT $1
       FOR UPDATE SKIP LOCKED
  ), held_elsewhere AS (
    SELECT o.case_id, min(o.id) AS blocked_from
      FROM outbox o
     WHERE o.published_at IS NULL
       AND o.id < (SELECT max(id) FROM claimed)
       AND o.case_id IN (SELECT case_id FROM claimed)
       AND o.id NOT IN (SELECT id FROM claimed)
     GROUP BY o.case_id
  )
  SELECT k.id, k.topic, k.case_id, h.blocked_from, c.case_no, c.co_units,
         e.id AS event_id, e.action, e.from_status, e.to_status, e.actor_id, e.actor_role, e.actor_unit,
         e.unit_code, e.note, e.data, e.public, e.created_at
    FROM claimed k
    LEFT JOIN held_elsewhere h ON h.case_id = k.case_id
    LEFT JOIN cases c ON c.id = k.case_id
    LEFT JOIN case_events e ON e.id = k.event_id
   ORDER BY k.id`;

function toMessage(row: ClaimedRow): OutboxMessage | undefined {
  if (row.case_id === null || row.case_no === null || row.event_id === null) return undefined;
  const event: CaseEvent = {
    id: row.event_id,
    caseId: row.case_id,
    action: row.action,
    fromStatus: row.from_status,
    toStatus: row.to_status,
    actorId: row.actor_id,
    actorRole: row.actor_role,
    actorUnit: row.actor_unit,
    unitCode: row.unit_code,
    note: row.note,
    data: row.data ?? {},
    public: row.public,
    createdAt: row.created_at,
  };
  return { outboxId: row.id, topic: row.topic, caseId: row.case_id, caseNo: row.case_no, coUnits: row.co_units ?? [], event };
}

async function inTransaction<T>(pool: Pool, work: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

/**
 * Publishes one batch: claims rows, emits them in id order, marks them published, commits. A crash
 * after emitting and before the commit emits them again later (at least once). Exactly one process
 * emits a row; the adapter carries it to the sockets of every process.
 */
export async function publishOutboxBatch(options: Omit<RelayOptions, 'intervalMs' | 'log'>, batchSize = 200): Promise<BatchReport> {
  // The cheap question first: an idle relay polls often, and an empty partial index answers at once.
  const probe = await options.pool.query('SELECT 1 FROM outbox WHERE published_at IS NULL LIMIT 1');
  if (probe.rowCount === 0) return { claimed: 0, published: 0, deferred: 0 };
  return inTransaction(options.pool, async (client) => {
    const { rows } = await client.query<ClaimedRow>(CLAIM_BATCH, [batchSize]);
    const ready = rows.filter((r) => r.blocked_from === null || r.id < r.blocked_from);
    const sink: EmitSink = (rooms, name, payload) => {
      // An empty room list would broadcast to every socket.
      if (rooms.length > 0) options.io.to([...rooms]).emit<CaseEventName>(name, payload);
    };
    for (const row of ready) {
      const message = toMessage(row);
      if (message) emitOutboxMessage(message, options.units, sink);
    }
    if (ready.length === 0) return { claimed: rows.length, published: 0, deferred: rows.length };
    // The fence: the adapter appends each emit to the Redis stream through `redis` and Redis answers
    // one connection in order, so once PING returns every emit of this batch is in the stream. Only
    // then is the batch committed and the case's next rows free for another relay, whose emits
    // therefore land later in the stream, which every process reads and delivers in order.
    await Promise.all([
      client.query('UPDATE outbox SET published_at = now() WHERE id = ANY($1::bigint[])', [ready.map((r) => r.id)]),
      options.redis.ping(),
    ]);
    return { claimed: rows.length, published: ready.length, deferred: rows.length - ready.length };
  });
}

const MAX_BACKOFF_MS = 5_000;

/**
 * Runs the relay: a batch at once after a full one, else one every `intervalMs` (50 ms by default:
 * the poll is one index probe, and it bounds the push delay; see the push bench). Backs off while
 * PostgreSQL or Redis is away; the rows wait in the outbox meanwhile.
 */
export function startOutboxRelay(options: RelayOptions): { stop(): Promise<void> } {
  const intervalMs = options.intervalMs ?? 50;
  const batchSize = options.batchSize ?? 200;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let wake: (() => void) | undefined;
  const loop = async (): Promise<void> => {
    let failures = 0;
    while (!stopped) {
      let report: BatchReport = { claimed: 0, published: 0, deferred: 0 };
      try {
        report = await publishOutboxBatch(options, batchSize);
        failures = 0;
      } catch (error) {
        failures += 1;
        options.log.warn({ err: error, failures }, 'outbox relay to sockets failed; retrying');
      }
      if (stopped || (report.claimed === batchSize && report.published > 0)) continue;
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
