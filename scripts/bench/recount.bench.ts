import { createPool } from '../../infra/db.js';
import { statutoryHolidays } from '../../models/time-limits/statutory-holidays.js';
import { benchIntakeBody } from './case-texts.js';
import { callApi, operatorTokens, startBenchSystem, UNTHROTTLED_STAFF, type BenchSystem } from './system.js';

/** What the recount of a year's schedule took. */
export interface RecountResult {
  readonly cases: number;
  readonly provisional: number;
  readonly intakeSeconds: number;
  /** The PUT that loads the schedule and recounts every open provisional case, one transaction each. */
  readonly recountMs: number;
  readonly recomputed: number;
  /** From the end of the PUT until the deadline relay has consumed every outbox row the recount wrote. */
  readonly rescheduleMs: number;
}

// Long enough that a complaint dispatched now is due in a year whose official schedule is not out.
const REACHING_LIMIT = { unit: 'working_days', amount: 60 } as const;
const INTAKE_WIDTH = 16;

/** Makes every normal complaint's reply limit reach into next year, so that intake opens provisional cases. */
async function reachIntoNextYear(system: BenchSystem, token: string): Promise<void> {
  const set = await callApi<{ policies: Record<string, unknown>[] }>(system.baseUrl, 'GET', '/api/time-limit-policies', undefined, token);
  const policies = set.policies.map(({ version: _v, ...p }) => (p.caseType === 'complaint' && p.urgency === 'normal' ? { ...p, reply: REACHING_LIMIT } : p));
  await callApi(system.baseUrl, 'PUT', '/api/time-limit-policies', { policies }, token);
}

async function openCases(system: BenchSystem, count: number): Promise<number> {
  const tokens = await operatorTokens(system, INTAKE_WIDTH);
  const started = performance.now();
  let next = 0;
  await Promise.all(tokens.map(async (token) => {
    for (let i = next++; i < count; i = next++) {
      await callApi(system.baseUrl, 'POST', '/api/cases', { ...benchIntakeBody(i), type: 'complaint' }, token);
    }
  }));
  return (performance.now() - started) / 1000;
}

/**
 * Opens `count` complaints through intake whose reply deadlines reach into next year (provisional:
 * statutory holidays only), loads next year's official schedule, and times the recount and the
 * rescheduling of the jobs it moves.
 */
export async function benchRecount(count: number): Promise<RecountResult> {
  const system = await startBenchSystem(UNTHROTTLED_STAFF);
  const pool = createPool(system.databaseUrl, 2);
  try {
    const admin = await callApi<{ accessToken: string }>(system.baseUrl, 'POST', '/api/auth/login', { username: 'admin', password: system.adminPassword });
    await reachIntoNextYear(system, admin.accessToken);
    const intakeSeconds = await openCases(system, count);
    const { rows } = await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM cases WHERE reply_provisional');
    const provisional = rows[0]?.n ?? 0;
    const year = new Date().getUTCFullYear() + 1;
    // The statutory days off, and the Saturday after 元旦 worked (调休): every provisional due is confirmed or moves.
    const holidays = [...new Set(statutoryHolidays(year).map((h) => h.date))].map((date) => ({ date, kind: 'holiday', note: '法定节假日' }));
    const saturday = [...Array(7).keys()].map((d) => new Date(Date.UTC(year, 0, 2 + d))).find((d) => d.getUTCDay() === 6) as Date;
    const overrides = [...holidays, { date: saturday.toISOString().slice(0, 10), kind: 'workday', note: '调休上班' }];
    const before = performance.now();
    const loaded = await callApi<{ recomputed: number }>(system.baseUrl, 'PUT', '/api/calendar/overrides', { year, overrides }, admin.accessToken);
    const recountMs = performance.now() - before;
    const relayed = performance.now();
    for (;;) {
      const { rows: left } = await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM outbox WHERE deadlines_synced_at IS NULL');
      if ((left[0]?.n ?? 0) === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return { cases: count, provisional, intakeSeconds, recountMs, recomputed: loaded.recomputed, rescheduleMs: performance.now() - relayed };
  } finally {
    await pool.end();
    await system.stop();
  }
}

/** The section's lines of the bench table. */
export function formatRecount(r: RecountResult): string {
  return [
    `\nRecount when next year's official schedule is loaded (${r.cases} complaints through intake in ${r.intakeSeconds.toFixed(0)} s, ${r.provisional} provisional)`,
    `  PUT /api/calendar/overrides {year}: ${r.recomputed} cases recounted in ${(r.recountMs / 1000).toFixed(1)} s, ${(r.recomputed / (r.recountMs / 1000)).toFixed(0)} cases per s`,
    `  their jobs rescheduled by the deadline relay ${(r.rescheduleMs / 1000).toFixed(1)} s after`,
    '',
  ].join('\n');
}
