import os from 'node:os';
import pg from 'pg';
import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, PublicCaseEvent, ServerToClientEvents, StaffCaseEvent, TrackAck } from '../../realtime/events.js';
import { benchIntakeBody } from './case-texts.js';
import { callApi, operatorTokens, percentile, type BenchSystem } from './system.js';

type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** The sizes of a push run. */
export interface PushOptions {
  readonly citizens: number;
  readonly staff: number;
  readonly supervisors: number;
  /** Cases accepted then replied at `pacedRate` actions per second. */
  readonly pacedCases: number;
  readonly pacedRate: number;
  /** Cases accepted then replied as fast as 32 connections go. */
  readonly burstCases: number;
  /** Timeline events committed in one transaction, for the relay's own throughput. */
  readonly drainEvents: number;
}

export const DEFAULT_PUSH_OPTIONS: PushOptions = { citizens: 2_000, staff: 200, supervisors: 5, pacedCases: 300, pacedRate: 50, burstCases: 200, drainEvents: 5_000 };

/** Latencies of one phase, in ms. */
export interface PushPhase {
  readonly label: string;
  readonly events: number;
  readonly received: number;
  /** Receipt at the citizen minus the event's created_at (the transaction's start: an upper bound of commit → receipt). */
  readonly fromCreated: { p50: number; p99: number; max: number };
  /** Receipt at the citizen minus the moment the HTTP action answered (a lower bound; negative when the push won). */
  readonly fromResponse: { p50: number; p99: number } | null;
  /** The same event at the supervisors' sockets (the centre room), from created_at. */
  readonly staff: { p50: number; p99: number };
  readonly seconds: number;
  readonly perSecond: number;
}

interface BenchCase {
  id: string;
  caseNo: string;
  queryCode: string;
  unit: string;
}

const FALLBACK_UNIT = '371325105';
const PASSWORD = 'bench-handler-password';

function openSocket(baseUrl: string, index: number, auth: Record<string, string>): Promise<ClientSocket> {
  const socket: ClientSocket = io(baseUrl, {
    transports: ['websocket'],
    forceNew: true,
    reconnection: false,
    auth,
    // Each citizen behind its own address, as on the street; the API trusts X-Forwarded-For from loopback.
    extraHeaders: { 'x-forwarded-for': `10.${(index >> 16) & 255}.${(index >> 8) & 255}.${index & 255}` },
  });
  return new Promise((resolve, reject) => {
    socket.once('ready', () => resolve(socket));
    socket.once('connect_error', reject);
  });
}

async function inWaves<T, R>(items: readonly T[], width: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  for (let i = 0; i < items.length; i += width) results.push(...(await Promise.all(items.slice(i, i + width).map((item, j) => work(item, i + j)))));
  return results;
}

const stats = (values: number[]): { p50: number; p99: number; max: number } => {
  const sorted = [...values].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p99: percentile(sorted, 99), max: sorted.at(-1) ?? Number.NaN };
};

/** Registers the cases, dispatching those no rule routed, and makes one handler per unit holding them. */
async function setUpCases(system: BenchSystem, count: number): Promise<{ cases: BenchCase[]; handlerTokens: Map<string, string>; admin: string }> {
  const admin = (await callApi<{ accessToken: string }>(system.baseUrl, 'POST', '/api/auth/login', { username: 'admin', password: system.adminPassword })).accessToken;
  const operators = await operatorTokens(system, 4);
  const cases = await inWaves(Array.from({ length: count }, (_, i) => i), 16, async (i): Promise<BenchCase> => {
    const token = operators[i % operators.length] ?? admin;
    const c = await callApi<{ id: string; caseNo: string; queryCode: string; assignedUnit: { code: string } | null }>(system.baseUrl, 'POST', '/api/cases', benchIntakeBody(i), token);
    if (!c.assignedUnit) await callApi(system.baseUrl, 'POST', `/api/cases/${c.id}/actions`, { action: 'dispatch', unitCode: FALLBACK_UNIT }, token);
    return { id: c.id, caseNo: c.caseNo, queryCode: c.queryCode, unit: c.assignedUnit?.code ?? FALLBACK_UNIT };
  });
  const handlerTokens = new Map<string, string>();
  for (const unit of new Set(cases.map((c) => c.unit))) {
    const username = `bench-handler-${unit}`;
    await callApi(system.baseUrl, 'POST', '/api/users', { username, password: PASSWORD, role: 'handler', unitCode: unit }, admin);
    handlerTokens.set(unit, (await callApi<{ accessToken: string }>(system.baseUrl, 'POST', '/api/auth/login', { username, password: PASSWORD })).accessToken);
  }
  return { cases, handlerTokens, admin };
}

/** Receipts by event id: the first arrival at a citizen, and at any supervisor. */
interface Receipts {
  readonly citizen: Map<number, { at: number; created: number }>;
  readonly staff: Map<number, number>;
}

async function connectEveryone(system: BenchSystem, options: PushOptions, cases: readonly BenchCase[], handlerTokens: Map<string, string>, admin: string, receipts: Receipts): Promise<ClientSocket[]> {
  const citizens = await inWaves(cases, 100, async (c, i) => {
    const socket = await openSocket(system.baseUrl, i, {});
    const ack: TrackAck = await socket.timeout(30_000).emitWithAck('track', { caseNo: c.caseNo, code: c.queryCode });
    if (!ack.ok) throw new Error(`track ${c.caseNo}: ${ack.error.code}`);
    socket.on('case:update', (u: StaffCaseEvent | PublicCaseEvent) => {
      const id = Number(u.event.id);
      if (!receipts.citizen.has(id)) receipts.citizen.set(id, { at: Date.now(), created: Date.parse(String(u.event.at)) });
    });
    return socket;
  });
  const supervisors: string[] = [];
  for (let i = 0; i < options.supervisors; i += 1) {
    const username = `bench-supervisor-${i}`;
    await callApi(system.baseUrl, 'POST', '/api/users', { username, password: PASSWORD, role: 'supervisor' }, admin);
    supervisors.push((await callApi<{ accessToken: string }>(system.baseUrl, 'POST', '/api/auth/login', { username, password: PASSWORD })).accessToken);
  }
  const handlers = [...handlerTokens.values()];
  const staffTokens = Array.from({ length: options.staff }, (_, i) => (i < supervisors.length ? supervisors[i] : handlers[i % handlers.length]) ?? admin);
  const staff = await inWaves(staffTokens, 50, async (token, i) => {
    const socket = await openSocket(system.baseUrl, options.citizens + i, { token });
    if (i < supervisors.length) {
      socket.on('case:update', (u: StaffCaseEvent | PublicCaseEvent) => {
        const id = Number(u.event.id);
        if (!receipts.staff.has(id)) receipts.staff.set(id, Date.now());
      });
    }
    return socket;
  });
  return [...citizens, ...staff];
}

type Action = { readonly c: BenchCase; readonly body: Record<string, unknown> };

/** Accept then reply on each case; returns each event's id with the moment its HTTP call answered. */
async function act(system: BenchSystem, handlerTokens: Map<string, string>, actions: readonly Action[], pace: { rate: number } | { connections: number }): Promise<Map<number, number>> {
  const answered = new Map<number, number>();
  const run = async ({ c, body }: Action): Promise<void> => {
    const res = await callApi<{ events: { id: number }[] }>(system.baseUrl, 'POST', `/api/cases/${c.id}/actions`, body, handlerTokens.get(c.unit));
    const last = res.events.at(-1);
    if (last) answered.set(last.id, Date.now());
  };
  if ('connections' in pace) {
    let next = 0;
    await Promise.all(Array.from({ length: pace.connections }, async () => {
      while (next < actions.length) {
        const action = actions[next];
        next += 1;
        if (action) await run(action);
      }
    }));
    return answered;
  }
  const started = performance.now();
  const running: Promise<void>[] = [];
  for (const [i, action] of actions.entries()) {
    const due = started + (i * 1000) / pace.rate;
    await new Promise((r) => setTimeout(r, Math.max(0, due - performance.now())));
    running.push(run(action));
  }
  await Promise.all(running);
  return answered;
}

const acceptThenReply = (cases: readonly BenchCase[]): Action[] => [
  ...cases.map((c) => ({ c, body: { action: 'accept' } })),
  ...cases.map((c) => ({ c, body: { action: 'reply', reply: '已安排人员处理，问题已解决，感谢您的反映' } })),
];

async function settle(receipts: Receipts, ids: readonly number[], timeoutMs = 30_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && !ids.every((id) => receipts.citizen.has(id) && receipts.staff.has(id))) await new Promise((r) => setTimeout(r, 20));
  return Math.max(...ids.map((id) => receipts.citizen.get(id)?.at ?? 0));
}

function phase(label: string, ids: readonly number[], receipts: Receipts, answered: Map<number, number> | null, startedAt: number, lastAt: number): PushPhase {
  const got = ids.filter((id) => receipts.citizen.has(id));
  const fromCreated = got.map((id) => (receipts.citizen.get(id)?.at ?? 0) - (receipts.citizen.get(id)?.created ?? 0));
  const staffLatency = ids.filter((id) => receipts.staff.has(id) && receipts.citizen.has(id)).map((id) => (receipts.staff.get(id) ?? 0) - (receipts.citizen.get(id)?.created ?? 0));
  const fromResponse = answered ? got.filter((id) => answered.has(id)).map((id) => (receipts.citizen.get(id)?.at ?? 0) - (answered.get(id) ?? 0)) : null;
  const seconds = (lastAt - startedAt) / 1000;
  return {
    label,
    events: ids.length,
    received: got.length,
    fromCreated: stats(fromCreated),
    fromResponse: fromResponse ? stats(fromResponse) : null,
    staff: stats(staffLatency),
    seconds,
    perSecond: got.length / seconds,
  };
}

/** Commits `count` public timeline events over the tracked cases in one transaction, as the models write them. */
async function commitMany(databaseUrl: string, cases: readonly BenchCase[], count: number): Promise<{ ids: number[]; committedAt: number }> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query('BEGIN');
    const caseIds = cases.map((c) => c.id);
    await client.query('SELECT 1 FROM cases WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE', [caseIds]);
    const { rows } = await client.query<{ id: string }>(
      `WITH e AS (
         INSERT INTO case_events (case_id, action, from_status, to_status, actor_role, unit_code, note, public)
         SELECT c.id, 'note', c.status, c.status, 'system', c.assigned_unit_code, '办理进展 ' || g, true
           FROM generate_series(1, $2::int) AS g JOIN cases c ON c.id = ($1::uuid[])[1 + (g - 1) % array_length($1::uuid[], 1)]
          ORDER BY g
         RETURNING id, case_id
       )
       INSERT INTO outbox (case_id, event_id, topic, payload)
       SELECT case_id, id, 'case.note', jsonb_build_object('caseId', case_id, 'eventId', id) FROM e ORDER BY id
       RETURNING event_id AS id`,
      [caseIds, count],
    );
    await client.query('COMMIT');
    return { ids: rows.map((r) => Number(r.id)), committedAt: Date.now() };
  } finally {
    await client.end();
  }
}

/**
 * The push section: citizens tracking their own case and staff in their rooms, all connected at
 * once, while handlers act through HTTP at a steady pace, then in a burst; then the relay alone
 * drains a large commit.
 */
export async function benchPush(system: BenchSystem, options: PushOptions = DEFAULT_PUSH_OPTIONS): Promise<{ phases: PushPhase[]; connectSeconds: number }> {
  const { cases, handlerTokens, admin } = await setUpCases(system, options.citizens);
  const receipts: Receipts = { citizen: new Map(), staff: new Map() };
  const connectStarted = performance.now();
  const sockets = await connectEveryone(system, options, cases, handlerTokens, admin, receipts);
  const connectSeconds = (performance.now() - connectStarted) / 1000;
  try {
    const paced = cases.slice(0, options.pacedCases);
    let started = Date.now();
    const pacedAnswers = await act(system, handlerTokens, acceptThenReply(paced), { rate: options.pacedRate });
    const pacedIds = [...pacedAnswers.keys()];
    const phases = [phase(`accept + reply, ${options.pacedRate} actions/s`, pacedIds, receipts, pacedAnswers, started, await settle(receipts, pacedIds))];

    const burst = cases.slice(options.pacedCases, options.pacedCases + options.burstCases);
    started = Date.now();
    const burstAnswers = await act(system, handlerTokens, acceptThenReply(burst), { connections: 32 });
    const burstIds = [...burstAnswers.keys()];
    phases.push(phase('accept + reply, burst on 32 connections', burstIds, receipts, burstAnswers, started, await settle(receipts, burstIds)));

    const drain = await commitMany(system.databaseUrl, cases, options.drainEvents);
    phases.push(phase(`${options.drainEvents} events in one commit`, drain.ids, receipts, null, drain.committedAt, await settle(receipts, drain.ids, 120_000)));
    return { phases, connectSeconds };
  } finally {
    for (const socket of sockets) socket.disconnect();
  }
}

/** The push section as printed by `npm run bench`. */
export function formatPush(result: { phases: PushPhase[]; connectSeconds: number }, options: PushOptions = DEFAULT_PUSH_OPTIONS): string {
  const ms = (n: number): string => n.toFixed(0).padStart(7);
  return [
    `\nPush latency (Socket.IO from the outbox; ${options.citizens} citizen sockets each tracking its case, ${options.staff} staff sockets incl. ${options.supervisors} supervisors)`,
    `  ${options.citizens + options.staff} sockets connected and tracking in ${result.connectSeconds.toFixed(1)} s; the bench client and the server share this machine's ${os.availableParallelism()} cores`,
    `  ${'what'.padEnd(42)} ${'events'.padStart(7)} ${'p50 ms'.padStart(7)} ${'p99 ms'.padStart(7)} ${'max ms'.padStart(7)} ${'resp p50'.padStart(8)} ${'staff p99'.padStart(9)} ${'events/s'.padStart(9)}`,
    ...result.phases.map(
      (p) =>
        `  ${p.label.padEnd(42)} ${`${p.received}/${p.events}`.padStart(7)} ${ms(p.fromCreated.p50)} ${ms(p.fromCreated.p99)} ${ms(p.fromCreated.max)} ${(p.fromResponse ? p.fromResponse.p50.toFixed(0) : '-').padStart(8)} ${ms(p.staff.p99).padStart(9)} ${p.perSecond.toFixed(0).padStart(9)}`,
    ),
    '  p50/p99/max: receipt at the citizen minus the event row\'s created_at (its transaction\'s start, so commit → receipt at most);',
    '  resp p50: receipt minus the HTTP answer to the action (negative: the push arrived first); staff p99: at the supervisors.',
    '  Aim: p99 under 200 ms for the paced run.',
  ].join('\n');
}
