import pg from 'pg';
import type { Actor, CaseRecord } from '../../models/cases/case.js';
import { findCaseById, insertRegisteredCase, type NewCase } from '../../models/cases/case.repository.js';
import { cpuOfProcesses } from './process-cpu.js';
import { percentile } from './system.js';

/** The intake statement from 16 connections, with the CPU its own PostgreSQL backends spent per case. */
export interface StatementLoad {
  readonly label: string;
  readonly cases: number;
  readonly perSecond: number;
  /** Of a commit (one case, or fifty). */
  readonly p50: number;
  readonly p99: number;
  readonly backendMsPerCase: number;
}

/** A routed case as intake stored it, with its dispatch event: the statement is fed the same values again. */
interface Template {
  readonly record: CaseRecord;
  readonly dispatch: { readonly unitCode: string; readonly note: string | null; readonly data: Record<string, unknown> };
  readonly actor: Actor & { readonly unitCode: string };
  readonly replyBy: Date;
  readonly replyWarnAt: Date;
}

async function newestRoutedCase(pool: pg.Pool): Promise<Template> {
  const { rows } = await pool.query<{ id: string; note: string | null; data: Record<string, unknown> }>(
    `SELECT c.id, e.note, e.data FROM cases c JOIN case_events e ON e.case_id = c.id AND e.action = 'dispatch'
      WHERE c.created_by IS NOT NULL ORDER BY c.created_at DESC LIMIT 1`,
  );
  const record = rows[0] && (await findCaseById(pool, rows[0].id));
  const { assignedUnit, createdBy, receivedByUnit, deadlines } = record ?? {};
  if (!rows[0] || !record || !assignedUnit || !createdBy || !receivedByUnit || !deadlines?.replyBy || !deadlines.replyWarnAt) {
    throw new Error('no routed case to copy: run an intake load first');
  }
  return {
    record,
    dispatch: { unitCode: assignedUnit.code, note: rows[0].note, data: rows[0].data },
    actor: { id: createdBy, role: 'operator', unitCode: receivedByUnit },
    replyBy: deadlines.replyBy,
    replyWarnAt: deadlines.replyWarnAt,
  };
}

function copyOf({ record: c, dispatch, actor, replyBy, replyWarnAt }: Template, n: number): NewCase {
  const { deadlines } = c;
  return {
    queryCode: String(100_000 + (n % 900_000)),
    channel: c.channel,
    externalId: null,
    type: c.type,
    category: c.category,
    title: c.title,
    content: `${c.content}（第${n}次）`,
    address: c.address,
    divisionCode: c.divisionCode,
    division: c.division ?? { countyCode: null, townshipCode: null, source: 'none', explanation: '' },
    citizen: c.citizen,
    urgency: c.urgency,
    receivedAt: new Date(),
    idempotencyKey: `statement-alone-${n}`,
    intakeFingerprint: `statement-alone-${n}`,
    eventNote: 'bench',
    eventData: { receivedBy: actor.unitCode },
    routing: c.routing,
    dispatch: { unitCode: dispatch.unitCode, note: dispatch.note ?? '', data: dispatch.data },
    deadlines: {
      replyBy,
      replyWarnAt,
      acceptBy: deadlines.acceptBy,
      acceptWarnAt: deadlines.acceptWarnAt,
      replyProvisional: deadlines.replyProvisional,
      acceptProvisional: deadlines.acceptProvisional,
      policy: deadlines.policy ?? {},
    },
    receivedByUnit: actor.unitCode,
    concludedCaseId: null,
  };
}

let copies = 0;

/**
 * The intake's own statement (the case, its two events and their outbox rows), sent straight from
 * 16 connections for `seconds`: no HTTP, no validation, no routing. `perTransaction` cases share a
 * commit, as a batching intake would have them. The CPU of the connections' own backends, per
 * case, is PostgreSQL's floor under one case, whatever the API in front of it does.
 */
export async function intakeStatementAlone(databaseUrl: string, seconds: number, perTransaction: number): Promise<StatementLoad> {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 16 });
  try {
    const template = await newestRoutedCase(pool);
    const clients = await Promise.all(Array.from({ length: 16 }, () => pool.connect()));
    try {
      const backends = await Promise.all(
        clients.map(async (client) => {
          const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
          if (!rows[0]) throw new Error('no backend pid');
          return rows[0].pid;
        }),
      );
      const cpuBefore = cpuOfProcesses(backends);
      const latencies: number[] = [];
      let cases = 0;
      const started = performance.now();
      const until = started + seconds * 1000;
      await Promise.all(
        clients.map(async (client) => {
          while (performance.now() < until) {
            const t0 = performance.now();
            if (perTransaction > 1) await client.query('BEGIN');
            for (let i = 0; i < perTransaction; i += 1) {
              copies += 1;
              if (!(await insertRegisteredCase(client, copyOf(template, copies), template.actor))) throw new Error('a copy was not stored');
            }
            if (perTransaction > 1) await client.query('COMMIT');
            latencies.push(performance.now() - t0);
            cases += perTransaction;
          }
        }),
      );
      const elapsed = (performance.now() - started) / 1000;
      const backendMs = cpuOfProcesses(backends) - cpuBefore;
      latencies.sort((a, b) => a - b);
      return {
        label: perTransaction > 1 ? `intake statement alone, ${perTransaction} a commit` : 'intake statement alone, one a commit',
        cases,
        perSecond: cases / elapsed,
        p50: percentile(latencies, 50),
        p99: percentile(latencies, 99),
        backendMsPerCase: backendMs / cases,
      };
    } finally {
      for (const client of clients) client.release();
    }
  } finally {
    await pool.end();
  }
}
