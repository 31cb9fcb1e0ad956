import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type pg from 'pg';
import pino from 'pino';
import { createPool } from '../../infra/db.js';
import { startEmbeddedPostgres } from '../../infra/embedded-postgres.js';
import { cleanUpOnInterrupt } from '../../infra/interrupt-cleanup.js';
import { removeDataDir } from '../../infra/postgres-placement.js';
import { OPEN311_STATUS_TOPICS } from '../../models/channels/outbound.js';

/**
 * How the outbox remembers which consumer has handled which row. The three ways compared here:
 * - marks: one row per event, one "handled at" column per consumer, set by an UPDATE (in use);
 * - cursors: one row per event and, per consumer, the position up to which it has read, kept in
 *   transaction-id order so that a late commit is never skipped;
 * - rows: one row per event plus one delivery row per interested consumer, deleted when handled.
 */
export type OutboxDesign = 'marks' | 'cursors' | 'rows';

interface Consumer {
  readonly id: number;
  readonly name: string;
  /** undefined: every topic. */
  readonly topics?: readonly string[];
}

const OUTBOUND: readonly string[] = OPEN311_STATUS_TOPICS;
// The consumers of the real outbox: the socket relay and the deadline scheduler read every row, the
// outbound relay only the topics that carry news for the citizen or an Open311 subscriber.
const CONSUMERS: readonly Consumer[] = [
  { id: 1, name: 'socket relay' },
  { id: 2, name: 'deadline scheduler' },
  { id: 3, name: 'outbound relay', topics: OUTBOUND },
];
// A case's life as the simulated year has it: register, dispatch, accept, an urge or an update, reply, close.
const TOPICS = ['case.register', 'case.dispatch', 'case.accept', 'case.urge', 'case.update', 'case.reply', 'case.close'];
const BATCH = 100;
const PAYLOAD = JSON.stringify({ caseId: '00000000-0000-0000-0000-000000000000', status: 'in_progress', unitCode: '371325105', version: 3 });

export interface OutboxDesignResult {
  readonly design: OutboxDesign;
  readonly events: number;
  readonly writesPerSecond: number;
  readonly writeP99Ms: number;
  readonly drainMs: number;
  readonly claimP99Ms: number;
  readonly walBytesPerEvent: number;
  readonly pruneMs: number;
  readonly bytesAfterPrune: number;
}

const SCHEMAS: Record<OutboxDesign, string> = {
  marks: `
    CREATE TABLE outbox (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, topic text NOT NULL, payload jsonb NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(), handled_1 timestamptz, handled_2 timestamptz, handled_3 timestamptz);
    CREATE INDEX ON outbox (id) WHERE handled_1 IS NULL;
    CREATE INDEX ON outbox (id) WHERE handled_2 IS NULL;
    CREATE INDEX ON outbox (id) WHERE handled_3 IS NULL AND topic IN (${OUTBOUND.map((t) => `'${t}'`).join(', ')});`,
  cursors: `
    CREATE TABLE outbox (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, xid xid8 NOT NULL DEFAULT pg_current_xact_id(),
      topic text NOT NULL, payload jsonb NOT NULL, created_at timestamptz NOT NULL DEFAULT now());
    CREATE INDEX ON outbox (xid, id);
    CREATE TABLE outbox_cursors (consumer int PRIMARY KEY, last_xid xid8 NOT NULL DEFAULT '0', last_id bigint NOT NULL DEFAULT 0);
    INSERT INTO outbox_cursors (consumer) VALUES ${CONSUMERS.map((c) => `(${c.id})`).join(', ')};`,
  rows: `
    CREATE TABLE outbox (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, topic text NOT NULL, payload jsonb NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now());
    CREATE TABLE outbox_deliveries (consumer int NOT NULL, outbox_id bigint NOT NULL, PRIMARY KEY (consumer, outbox_id));`,
};

const topicFor = (n: number): string => TOPICS[n % TOPICS.length] as string;

const wants = (consumer: Consumer, topic: string): boolean => !consumer.topics || consumer.topics.includes(topic);

async function write(client: pg.PoolClient, design: OutboxDesign, topic: string): Promise<void> {
  await client.query('BEGIN');
  const { rows } = await client.query<{ id: number }>('INSERT INTO outbox (topic, payload) VALUES ($1, $2) RETURNING id', [topic, PAYLOAD]);
  if (design === 'rows') {
    const consumers = CONSUMERS.filter((c) => wants(c, topic)).map((c) => c.id);
    await client.query('INSERT INTO outbox_deliveries (consumer, outbox_id) SELECT unnest($1::int[]), $2', [consumers, rows[0]?.id]);
  }
  await client.query('COMMIT');
}

/** Claims and marks one batch for `consumer` in one transaction; returns how many rows it moved past. */
async function consumeBatch(client: pg.PoolClient, design: OutboxDesign, consumer: Consumer): Promise<number> {
  await client.query('BEGIN');
  let handled: number;
  if (design === 'marks') {
    const column = `handled_${consumer.id}`;
    const topicFilter = consumer.topics ? ` AND topic IN (${consumer.topics.map((t) => `'${t}'`).join(', ')})` : '';
    const { rows } = await client.query<{ id: number }>(
      `SELECT id FROM outbox WHERE ${column} IS NULL${topicFilter} ORDER BY id LIMIT ${BATCH} FOR UPDATE SKIP LOCKED`,
    );
    if (rows.length) await client.query(`UPDATE outbox SET ${column} = now() WHERE id = ANY($1::bigint[])`, [rows.map((r) => r.id)]);
    handled = rows.length;
  } else if (design === 'cursors') {
    const { rows: [cursor] } = await client.query<{ last_xid: string; last_id: number }>(
      'SELECT last_xid::text, last_id FROM outbox_cursors WHERE consumer = $1 FOR UPDATE', [consumer.id],
    );
    // Only rows of transactions older than every one still running: a row committed later can
    // never fall behind the cursor.
    const { rows } = await client.query<{ id: number; xid: string; topic: string }>(
      `SELECT id, xid::text, topic FROM outbox
        WHERE (xid, id) > ($1::xid8, $2::bigint) AND xid < pg_snapshot_xmin(pg_current_snapshot())
        ORDER BY xid, id LIMIT ${BATCH}`,
      [cursor?.last_xid, cursor?.last_id],
    );
    const last = rows.at(-1);
    if (last) await client.query('UPDATE outbox_cursors SET last_xid = $2::xid8, last_id = $3 WHERE consumer = $1', [consumer.id, last.xid, last.id]);
    // A cursor reads every row and skips the topics it does not want: progress is what it read.
    handled = rows.length;
  } else {
    const { rowCount } = await client.query(
      `DELETE FROM outbox_deliveries WHERE consumer = $1 AND outbox_id IN (
         SELECT outbox_id FROM outbox_deliveries WHERE consumer = $1 ORDER BY outbox_id LIMIT ${BATCH} FOR UPDATE SKIP LOCKED)`,
      [consumer.id],
    );
    handled = rowCount ?? 0;
  }
  await client.query('COMMIT');
  return handled;
}

async function prune(pool: pg.Pool, design: OutboxDesign): Promise<void> {
  const sql: Record<OutboxDesign, string> = {
    marks: `DELETE FROM outbox WHERE handled_1 IS NOT NULL AND handled_2 IS NOT NULL
              AND (handled_3 IS NOT NULL OR topic NOT IN (${OUTBOUND.map((t) => `'${t}'`).join(', ')}))`,
    cursors: `DELETE FROM outbox o USING (SELECT min(ROW(last_xid, last_id)) AS below FROM outbox_cursors) c WHERE ROW(o.xid, o.id) <= c.below`,
    rows: 'DELETE FROM outbox o WHERE NOT EXISTS (SELECT 1 FROM outbox_deliveries d WHERE d.outbox_id = o.id)',
  };
  await pool.query(sql[design]);
  await pool.query('VACUUM outbox');
  if (design === 'rows') await pool.query('VACUUM outbox_deliveries');
}

const percentile = (sorted: readonly number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0;

async function walLsn(pool: pg.Pool): Promise<string> {
  const { rows } = await pool.query<{ lsn: string }>('SELECT pg_current_wal_lsn()::text AS lsn');
  return rows[0]?.lsn ?? '0/0';
}

/** Runs one design: writers for `seconds` with the consumers keeping up, then drain, then prune. */
async function runDesign(ownerUrl: string, design: OutboxDesign, seconds: number, writers: number): Promise<OutboxDesignResult> {
  const admin = createPool(ownerUrl, 1);
  await admin.query('DROP TABLE IF EXISTS outbox, outbox_cursors, outbox_deliveries');
  await admin.query(SCHEMAS[design]);
  const pool = createPool(ownerUrl, writers + CONSUMERS.length);
  const lsnBefore = await walLsn(admin);
  let writing = true;
  let events = 0;
  const writeMs: number[] = [];
  const claimMs: number[] = [];
  const started = performance.now();
  const writerLoops = Array.from({ length: writers }, async () => {
    const client = await pool.connect();
    try {
      while (writing) {
        const t = performance.now();
        events += 1;
        await write(client, design, topicFor(events));
        writeMs.push(performance.now() - t);
      }
    } finally {
      client.release();
    }
  });
  const consumerLoops = CONSUMERS.map(async (consumer) => {
    const client = await pool.connect();
    try {
      for (;;) {
        const t = performance.now();
        const handled = await consumeBatch(client, design, consumer);
        if (handled > 0) claimMs.push(performance.now() - t);
        if (handled === 0) {
          if (!writing) return;
          await new Promise((r) => setTimeout(r, 5));
        }
      }
    } finally {
      client.release();
    }
  });
  await new Promise((r) => setTimeout(r, seconds * 1000));
  writing = false;
  await Promise.all(writerLoops);
  const wroteMs = performance.now() - started;
  const stoppedAt = performance.now();
  await Promise.all(consumerLoops);
  const drainedAt = performance.now();
  const lsnAfter = await walLsn(admin);
  const pruneStarted = performance.now();
  await prune(admin, design);
  const pruneMs = performance.now() - pruneStarted;
  const { rows: [wal] } = await admin.query<{ bytes: number }>('SELECT pg_wal_lsn_diff($2::pg_lsn, $1::pg_lsn)::float8 AS bytes', [lsnBefore, lsnAfter]);
  const { rows: [size] } = await admin.query<{ bytes: number }>(
    `SELECT sum(pg_total_relation_size(c.oid))::float8 AS bytes FROM pg_class c WHERE c.relname IN ('outbox', 'outbox_cursors', 'outbox_deliveries') AND c.relkind = 'r'`,
  );
  await pool.end();
  await admin.end();
  writeMs.sort((a, b) => a - b);
  claimMs.sort((a, b) => a - b);
  return {
    design,
    events,
    writesPerSecond: events / (wroteMs / 1000),
    writeP99Ms: percentile(writeMs, 0.99),
    drainMs: drainedAt - stoppedAt,
    claimP99Ms: percentile(claimMs, 0.99),
    walBytesPerEvent: (wal?.bytes ?? 0) / events,
    pruneMs,
    bytesAfterPrune: size?.bytes ?? 0,
  };
}

/** Compares the three outbox designs on a PostgreSQL of their own; prints and returns the figures. */
export async function runOutboxDesignsBench(seconds: number): Promise<OutboxDesignResult[]> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'hotline-hub-outbox-bench-'));
  const starting = startEmbeddedPostgres(dir, { owner: 'outbox-bench', app: 'outbox-bench-app' }, pino({ level: 'silent' }));
  const cleanUp = cleanUpOnInterrupt(async () => {
    await (await starting.catch(() => undefined))?.stop();
    await removeDataDir(dir);
  });
  const results: OutboxDesignResult[] = [];
  try {
    const server = await starting;
    for (const design of ['marks', 'cursors', 'rows'] as const) results.push(await runDesign(server.ownerUrl, design, seconds, 16));
  } finally {
    await cleanUp();
  }
  const lines = [
    `\nOutbox designs (16 writers for ${seconds} s, 3 consumers keeping up, one event per transaction; docs/decisions/009-outbox-consumers.md)`,
    `  ${'design'.padEnd(8)} ${'events'.padStart(8)} ${'writes/s'.padStart(9)} ${'write p99'.padStart(10)} ${'claim p99'.padStart(10)} ${'drain ms'.padStart(9)} ${'WAL B/event'.padStart(12)} ${'prune ms'.padStart(9)} ${'kB left'.padStart(8)}`,
    ...results.map((r) =>
      `  ${r.design.padEnd(8)} ${String(r.events).padStart(8)} ${r.writesPerSecond.toFixed(0).padStart(9)} ${r.writeP99Ms.toFixed(1).padStart(10)} ${r.claimP99Ms.toFixed(1).padStart(10)} ${r.drainMs.toFixed(0).padStart(9)} ${r.walBytesPerEvent.toFixed(0).padStart(12)} ${r.pruneMs.toFixed(0).padStart(9)} ${(r.bytesAfterPrune / 1024).toFixed(0).padStart(8)}`,
    ),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  return results;
}
