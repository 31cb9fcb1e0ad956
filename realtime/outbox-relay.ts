import { withTransaction, type Pool } from '../infra/db.js';
import type { LoopTask } from '../infra/scheduler.js';
import type { CaseStatus } from '../models/cases/case.js';
import { toCaseEvent } from '../models/cases/case.repository.js';
import type { UnitDirectory } from '../models/org/unit-directory.js';
import { emitOutboxMessage, type EmitSink, type OutboxMessage } from './outbox-messages.js';
import { CENTRE_ROOM } from './rooms.js';
import { CENTRE_TOPICS, isCentreTopic, type CaseEventName } from './events.js';
import type { Publisher } from './cluster.js';

/** How a relay runs. */
export interface RelayOptions {
  readonly pool: Pool;
  /** The socket-less node to emit through (createPublisher); the relay fences on its connection. */
  readonly publisher: Pick<Publisher, 'io' | 'redis'>;
  readonly units: UnitDirectory;
  /** Wait between polls of an empty outbox. */
  readonly intervalMs?: number;
  readonly batchSize?: number;
}

/** What one batch did. */
export interface BatchReport {
  readonly published: number;
  /** Cases with rows waiting that another relay held: left for a later batch. */
  readonly busyCases: number;
}

interface ClaimedRow {
  id: number;
  topic: string;
  case_id: string | null;
  payload: Readonly<Record<string, unknown>>;
  case_no: string | null;
  co_units: string[] | null;
  disputed_with: string | null;
  citizen_name: string | null;
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
 * Ordering. One case's outbox rows commit in id order: every writer holds the case row's lock
 * (FOR UPDATE, or the INSERT that creates it) while it inserts them, so a later row of a case gets
 * its id after the earlier one committed.
 *
 * Relays divide the work by case, with a transaction-scoped advisory lock per case: a relay emits
 * a case's rows only while it holds the case's lock, so one relay at a time speaks for a case. It
 * takes the locks first (LOCK_CASES), and only then reads the rows (LOAD_ROWS): that statement's
 * snapshot is newer than the previous holder's commit, which happens before its lock is released,
 * so it sees the previous holder's rows as published and never emits them twice. What it reads is
 * the case's lowest unpublished rows in id order (a prefix, even when the LIMIT cuts it), and every
 * lower row was emitted and committed before. A case locked elsewhere is left for the next batch.
 *
 * Row locks would not do: the other consumers of the outbox (deadlines, outbound replies) lock the
 * same rows FOR UPDATE SKIP LOCKED while they work, and a relay skipping their rows would stall a
 * push for a whole poll. Plain reads ignore their locks; the final UPDATE waits a moment for them.
 */
// The advisory lock space of this relay (two int4 keys do not meet the bigint keys used elsewhere).
const CASE_LOCK_SPACE = 0x50555348;

const LOCK_CASES = `
  WITH candidates AS MATERIALIZED (
    SELECT DISTINCT case_id FROM (SELECT case_id FROM outbox WHERE published_at IS NULL ORDER BY id LIMIT $1) lowest
  )
  SELECT case_id, pg_try_advisory_xact_lock($2, hashtext(COALESCE(case_id::text, ''))) AS locked FROM candidates`;

const LOAD_ROWS = `
  SELECT o.id, o.topic, o.case_id, o.payload, c.case_no, c.co_units, c.disputed_with, c.citizen->>'name' AS citizen_name,
         e.id AS event_id, e.action, e.from_status, e.to_status, e.actor_id, e.actor_role, e.actor_unit,
         e.unit_code, e.note, e.data, e.public, e.created_at
    FROM outbox o
    LEFT JOIN cases c ON c.id = o.case_id
    LEFT JOIN case_events e ON e.id = o.event_id
   WHERE o.published_at IS NULL AND (o.case_id = ANY($1::uuid[]) OR (o.case_id IS NULL AND $2::boolean))
   ORDER BY o.id
   LIMIT $3`;

function toMessage(row: ClaimedRow): OutboxMessage | undefined {
  if (row.case_id === null || row.case_no === null || row.event_id === null) return undefined;
  const event = toCaseEvent({ ...row, id: row.event_id, case_id: row.case_id, data: row.data ?? {} });
  return { outboxId: row.id, topic: row.topic, caseId: row.case_id, caseNo: row.case_no, coUnits: row.co_units ?? [], disputedWith: row.disputed_with, citizenName: row.citizen_name, event };
}

/**
 * Publishes one batch: locks its cases, emits their rows in id order, marks them published, commits. A crash
 * after emitting and before the commit emits them again later (at least once). Exactly one relay
 * emits a row, through the stream, from which every process delivers it to its own sockets once.
 */
export async function publishOutboxBatch(options: Omit<RelayOptions, 'intervalMs'>, batchSize = 200): Promise<BatchReport> {
  // The cheap question first: an idle relay polls often, and an empty partial index answers at once.
  const probe = await options.pool.query('SELECT 1 FROM outbox WHERE published_at IS NULL LIMIT 1');
  if (probe.rowCount === 0) return { published: 0, busyCases: 0 };
  return withTransaction(options.pool, async (client) => {
    const { rows: candidates } = await client.query<{ case_id: string | null; locked: boolean }>(LOCK_CASES, [batchSize, CASE_LOCK_SPACE]);
    const mine = candidates.filter((c) => c.locked);
    const busyCases = candidates.length - mine.length;
    if (mine.length === 0) return { published: 0, busyCases };
    const caseIds = mine.flatMap((c) => (c.case_id === null ? [] : [c.case_id]));
    const { rows } = await client.query<ClaimedRow>(LOAD_ROWS, [caseIds, caseIds.length < mine.length, batchSize]);
    const sink: EmitSink = (rooms, name, payload) => {
      // An empty room list would broadcast to every socket.
      if (rooms.length > 0) options.publisher.io.to([...rooms]).emit<CaseEventName>(name, payload);
    };
    for (const row of rows) {
      const message = toMessage(row);
      if (message) emitOutboxMessage(message, options.units, sink);
      else if (isCentreTopic(row.topic)) options.publisher.io.to(CENTRE_ROOM).emit(CENTRE_TOPICS[row.topic], row.payload);
    }
    if (rows.length === 0) return { published: 0, busyCases };
    // The fence: the adapter appends each emit to the stream through `publisher.redis`, and Redis
    // answers one connection in order, so once PING returns every emit of this batch is in the
    // stream. Only then is the batch committed and its cases free for another relay, whose emits
    // therefore land later in the stream, which every process delivers in order. If Redis is
    // away the PING fails and the batch rolls back, to be emitted again.
    await Promise.all([
      client.query('UPDATE outbox SET published_at = now() WHERE id = ANY($1::bigint[])', [rows.map((r) => r.id)]),
      options.publisher.redis.ping(),
    ]);
    return { published: rows.length, busyCases };
  });
}

/**
 * The relay as a scheduler task: a batch at once after a full one, else one every `intervalMs`
 * (50 ms by default: the poll is one index probe, and it bounds the push delay; see the push
 * bench). The scheduler backs off while PostgreSQL or Redis is away; the rows wait in the outbox.
 */
export function outboxRelayTask(options: RelayOptions): LoopTask {
  const batchSize = options.batchSize ?? 200;
  return {
    name: 'outbox relay to sockets',
    everyMs: options.intervalMs ?? 50,
    immediate: true,
    run: async () => (await publishOutboxBatch(options, batchSize)).published === batchSize,
  };
}
