import { dict } from '@node-rs/jieba/dict.js';
import { createPool, type Pool } from '../../infra/db.js';
import { checkRisingTerms } from '../../models/insights/hot-topics/rising-alerts.js';
import { indexNewCaseTerms, pendingCaseCount } from '../../models/insights/hot-topics/term-index.js';
import { callApi, percentile, startBenchSystem, type BenchSystem } from './system.js';

/** One timed query: its label and latency percentiles over `runs` runs. */
export interface QueryTiming {
  readonly label: string;
  readonly runs: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
}

/** What the hot-topic section measured. */
export interface HotTopicsBenchResult {
  readonly cases: number;
  readonly generateMs: number;
  readonly indexed: number;
  readonly indexMs: number;
  readonly caseTermRows: number;
  readonly dayRows: number;
  readonly queries: readonly QueryTiming[];
  /** The ten terms rising fastest over the last 3 days: read them as a supervisor would. */
  readonly topTerms: readonly string[];
}

const DAY_MS = 86_400_000;
const BATCH = 20_000;
// The matters every synthetic case starts with; the rest of its text is drawn from jieba's
// dictionary, so that the vocabulary is long-tailed like real write-ups and not 30 templates.
const MATTERS: readonly [string, string][] = [
  ['市政设施', '小区门口路灯坏了一个星期，晚上出行很不方便'],
  ['市政设施', '家门口下水道堵塞，污水漫到路面'],
  ['噪音扰民', '附近工地夜间施工噪音扰民，严重影响休息'],
  ['环境卫生', '垃圾桶满了好几天没人清运，气味很大'],
  ['物业管理', '小区物业服务差，公共区域长期无人打扫'],
  ['劳动保障', '在工地干活被拖欠工资三个月，请求帮助'],
  ['交通运输', '出租车司机拒载并且绕路多收费'],
  ['社会保障', '咨询灵活就业人员养老保险怎么缴纳'],
  ['供暖', '暖气不热，室温只有十几度，家里有老人孩子'],
  ['食品安全', '举报某饭店使用过期食品原料'],
];
// In the last three days one case in ten is about a water cut: the surge the report should show.
const SURGE: readonly [string, string] = ['供水', '小区突然停水，没有提前通知，做饭洗漱都成问题'];

/** The 30,000 most frequent two-to-four-character Chinese words of jieba's dictionary, most frequent first. */
function commonWords(): string[] {
  return Buffer.from(dict)
    .toString('utf8')
    .split('\n')
    .map((line) => line.split(' '))
    .filter(([word, freq]) => word !== undefined && /^\p{Script=Han}{2,4}$/u.test(word) && Number(freq) > 0)
    .sort((a, b) => Number(b[1]) - Number(a[1]))
    .slice(0, 30_000)
    .map(([word]) => word ?? '');
}

/**
 * Inserts `count` cases received over the last year straight into the table, in order of receipt
 * as a year of intake (or `npm run simulate`) leaves them; the trigger queues them for indexing.
 */
async function generateCases(pool: Pool, count: number): Promise<void> {
  const words = commonWords();
  const { rows } = await pool.query<{ code: string }>(`SELECT code FROM units WHERE kind = 'township' ORDER BY code`);
  const townships = rows.map((r) => r.code);
  const pick = <T>(list: readonly T[], u: number): T => list[Math.min(list.length - 1, Math.floor(u * list.length))] as T;
  const end = Date.now();
  const start = end - 365 * DAY_MS;
  for (let done = 0; done < count; done += BATCH) {
    const batch = Array.from({ length: Math.min(BATCH, count - done) }, (_, k) => {
      const receivedAt = start + ((done + k + Math.random()) / count) * (end - start);
      const [category, matter] = receivedAt > end - 3 * DAY_MS && Math.random() < 0.1 ? SURGE : pick(MATTERS, Math.random());
      // Eight more words, skewed towards the frequent ones (position ~ N * u^3).
      const filler = Array.from({ length: 8 }, () => pick(words, Math.random() ** 3)).join('');
      return { category, content: `${matter}，${filler}`, division: pick(townships, Math.random()), phone: `138${String(Math.floor(Math.random() * 300_000)).padStart(8, '0')}`, receivedAt };
    });
    await pool.query(
      `INSERT INTO cases (case_no, query_code, channel, type, category, content, division_code, citizen, received_at)
       SELECT 'HB' || lpad(nextval('case_no_seq')::text, 12, '0'), '000000', 'hotline', 'complaint', x.category, x.content, x.division,
              jsonb_build_object('phone', x.phone), to_timestamp(x.received_ms / 1000.0)
         FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::float8[]) AS x(category, content, division, phone, received_ms)`,
      [batch.map((c) => c.category), batch.map((c) => c.content), batch.map((c) => c.division), batch.map((c) => c.phone), batch.map((c) => c.receivedAt)],
    );
  }
}

async function time(label: string, runs: number, work: () => Promise<unknown>): Promise<QueryTiming> {
  const samples: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    const started = performance.now();
    await work();
    samples.push(performance.now() - started);
  }
  samples.sort((a, b) => a - b);
  return { label, runs, p50Ms: percentile(samples, 50), p99Ms: percentile(samples, 99) };
}

/**
 * Fills the database up to `target` cases over the last year (cases already there count), drains
 * the indexing queue and times it, then times the hot-topic queries through the API, the repeat
 * grouping and the live check.
 */
export async function benchHotTopics(system: BenchSystem, target: number): Promise<HotTopicsBenchResult> {
  const pool = createPool(system.databaseUrl, 4);
  try {
    const { rows } = await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM cases');
    const existing = rows[0]?.n ?? 0;
    let started = performance.now();
    await generateCases(pool, Math.max(0, target - existing));
    const generateMs = performance.now() - started;

    const backlog = await pendingCaseCount(pool);
    started = performance.now();
    // A worker running the indexer too only makes the queue drain sooner: the rate is the system's.
    while ((await indexNewCaseTerms(pool, 2000)).indexed > 0);
    const indexMs = performance.now() - started;
    // As autovacuum would in production: the visibility map makes the scans index-only.
    await pool.query('VACUUM ANALYZE case_terms, term_days, case_signatures, topic_terms');
    const counts = await pool.query<{ terms: number; days: number; cases: number }>(
      'SELECT (SELECT count(*) FROM case_terms)::int AS terms, (SELECT count(*) FROM term_days)::int AS days, (SELECT count(*) FROM cases)::int AS cases',
    );

    const admin = await callApi<{ accessToken: string }>(system.baseUrl, 'POST', '/api/auth/login', { username: 'admin', password: system.adminPassword });
    const get = (query: string) => callApi<{ terms: { term: string }[] }>(system.baseUrl, 'GET', query, undefined, admin.accessToken);
    const iso = (msAgo: number): string => new Date(Date.now() - msAgo).toISOString();
    const county = '371325';
    const township = '371325105';
    const queries = [
      await time('hot topics, city, last 7 days vs 7 before', 20, () => get(`/api/stats/hot-topics?from=${iso(7 * DAY_MS)}`)),
      await time('hot topics, city, last 30 days vs 30 before', 20, () => get(`/api/stats/hot-topics?from=${iso(30 * DAY_MS)}`)),
      await time('hot topics, city, last 182 days vs 182 before', 10, () => get(`/api/stats/hot-topics?from=${iso(182 * DAY_MS)}`)),
      await time('hot topics, city, last 365 days vs 365 before', 10, () => get(`/api/stats/hot-topics?from=${iso(365 * DAY_MS)}`)),
      await time('hot topics, one county, last 30 days', 20, () => get(`/api/stats/hot-topics?from=${iso(30 * DAY_MS)}&division=${county}`)),
      await time('hot topics, one county, last 365 days', 10, () => get(`/api/stats/hot-topics?from=${iso(365 * DAY_MS)}&division=${county}`)),
      await time('hot topics, one township, last 365 days', 10, () => get(`/api/stats/hot-topics?from=${iso(365 * DAY_MS)}&division=${township}`)),
      await time('repeats, city, last 30 days', 5, () => get(`/api/stats/repeats?from=${iso(30 * DAY_MS)}`)),
      await time('repeats, one county, last 91 days', 5, () => get(`/api/stats/repeats?from=${iso(91 * DAY_MS)}&division=${county}`)),
      await time('repeats, city, last 91 days', 5, () => get(`/api/stats/repeats?from=${iso(91 * DAY_MS)}`)),
      await time('live check, last 24 h vs 24 h before', 20, () => checkRisingTerms(pool, new Date())),
    ];
    const top = await get(`/api/stats/hot-topics?from=${iso(3 * DAY_MS)}&limit=10`);
    return {
      cases: counts.rows[0]?.cases ?? 0,
      generateMs,
      indexed: backlog,
      indexMs,
      caseTermRows: counts.rows[0]?.terms ?? 0,
      dayRows: counts.rows[0]?.days ?? 0,
      queries,
      topTerms: top.terms.map((t) => t.term),
    };
  } finally {
    await pool.end();
  }
}

/**
 * The hot-topic section of `npm run bench`, on a system of its own: BENCH_HOT_TOPICS_CASES cases,
 * by default 200,000 (a few minutes); 1000000 for the full year of the aim.
 */
export async function runHotTopicsBench(): Promise<void> {
  const target = Number(process.env.BENCH_HOT_TOPICS_CASES ?? 200_000);
  if (!Number.isInteger(target) || target < 1) throw new Error(`BENCH_HOT_TOPICS_CASES must be a whole number, not "${process.env.BENCH_HOT_TOPICS_CASES}"`);
  process.stdout.write(`\nGenerating ${target.toLocaleString('en')} cases for the hot-topic section...\n`);
  const system = await startBenchSystem();
  try {
    printHotTopics(await benchHotTopics(system, target));
  } finally {
    await system.stop();
  }
}

function printHotTopics(r: HotTopicsBenchResult): void {
  const lines = [
    `\nHot topics, repeats and duplicates (${r.cases.toLocaleString('en')} cases over a year, generated in ${(r.generateMs / 1000).toFixed(0)} s; BENCH_HOT_TOPICS_CASES=1000000 for the full-size year)`,
    `  indexing (jieba terms, signatures, daily counts, duplicate check): ${r.indexed.toLocaleString('en')} queued cases in ${(r.indexMs / 1000).toFixed(1)} s, ` +
      `${(r.indexed / (r.indexMs / 1000)).toFixed(0)} cases per s; ${r.caseTermRows.toLocaleString('en')} (case, term) rows, ${r.dayRows.toLocaleString('en')} daily counts`,
    `  ${'query'.padEnd(48)} ${'runs'.padStart(5)} ${'p50 ms'.padStart(8)} ${'p99 ms'.padStart(8)}`,
    ...r.queries.map((q) => `  ${q.label.padEnd(48)} ${String(q.runs).padStart(5)} ${q.p50Ms.toFixed(0).padStart(8)} ${q.p99Ms.toFixed(0).padStart(8)}`),
    `  rising fastest over the last 3 days: ${r.topTerms.join(', ')} (aim: every query under 2,000 ms)`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}
