import os from 'node:os';
import { basename, relative } from 'node:path';
import { runConsoleBench } from './bench/console.bench.js';
import { runDashboardBench } from './bench/dashboard.bench.js';
import { benchDeadlines, type DeadlineBenchResult } from './bench/deadlines.bench.js';
import { benchIntake, type IntakeCpu, type LoadResult } from './bench/intake.bench.js';
import type { StatementLoad } from './bench/intake-statement.bench.js';
import { benchPush, formatPush } from './bench/push.bench.js';
import { runHotTopicsBench } from './bench/hot-topics.bench.js';
import { runOutboxDesignsBench } from './bench/outbox-designs.bench.js';
import { benchEngine } from './bench/routing.bench.js';
import { runReadPathsBench } from './bench/read-paths.bench.js';
import { benchRecount, formatRecount } from './bench/recount.bench.js';
import { defaultRouting, evaluateSecondDispatcher, evaluateSet, formatDispatcher, formatEvaluation } from './bench/routing-eval.bench.js';
import { readLabelledRequests, requestFiles } from '../routing-rules/catalogue-files.js';
import { runStatsBench } from './bench/stats.bench.js';
import { startBenchSystem, UNTHROTTLED_STAFF } from './bench/system.js';

/** `npm run bench`: measures the system as started by `npm start`, on this machine, and prints a table. */
async function main(): Promise<void> {
  const seconds = Number(process.env.BENCH_SECONDS ?? 10);
  // BENCH_SECTIONS=push runs one section; all of them by default.
  const sections = new Set((process.env.BENCH_SECTIONS ?? 'routing,intake,push,hot-topics,read-paths,outbox-designs,console,dashboard').split(','));
  if (sections.has('routing')) routingSection();
  if (sections.has('intake')) await intakeSection(seconds);
  if (sections.has('push')) {
    // A system of its own: the intake section leaves it full of cases and without routing rules.
    const system = await startBenchSystem();
    try {
      process.stdout.write(`${formatPush(await benchPush(system))}\n`);
    } finally {
      await system.stop();
    }
  }
  if (sections.has('hot-topics')) await runHotTopicsBench();
  if (sections.has('read-paths')) await runReadPathsBench();
  if (sections.has('outbox-designs')) await runOutboxDesignsBench(seconds);
  if (sections.has('console')) await runConsoleBench();
  if (sections.has('dashboard')) await runDashboardBench();
  // Not in the default run: BENCH_SECTIONS=recount (RECOUNT_CASES=20000 by default).
  if (sections.has('recount')) process.stdout.write(formatRecount(await benchRecount(Number(process.env.RECOUNT_CASES ?? 20_000))));
}

/** The labelled requests the catalogue's classifier is taught, each judged with the others only. */
const TAUGHT_SETS: readonly (readonly [string, string])[] = [
  ['set-a.txt', 'development set, the catalogue was tuned on it'],
  ['set-b.txt', 'written after the catalogue was frozen; its failures since read to revise it'],
  ['set-c.txt', 'held out until its first run; its failures since read to revise the catalogue'],
  ['set-d.txt', 'held out until its first run; its failures since read to revise the catalogue'],
  ['set-e.txt', 'held out until its first run; its failures since read to choose the typical wordings'],
  ['set-f.txt', 'written apart from the catalogue, held out until its first run; its figures since used to choose the typical wordings'],
  ['set-j.txt', 'written apart from the catalogue, its wordings and the other sets; its failures since read to revise the catalogue'],
  ['set-k.txt', 'written apart from the catalogue, its wordings and the other sets; chose how sure the classifier must be to overrule the words'],
  ['set-m.txt', 'written apart from the catalogue, its wordings, its labelled requests and the other sets; nothing chosen on it'],
  ['set-n.txt', 'written apart from the catalogue, its wordings, its labelled requests and the other sets; nothing chosen on it'],
  ['set-o.txt', 'written apart from everything the routing knew; read to add the matter 信访事项办理'],
  ['set-p.txt', 'written apart from everything the routing knew (hard cases); read to add the matter 信访事项办理'],
  ['set-q.txt', 'written apart from everything the routing knew; nothing chosen on it'],
  ['set-r.txt', 'written apart from everything the routing knew; nothing chosen on it'],
  ['set-s.txt', "written apart from everything the routing knew; chose a market matter's owner"],
  ['set-t.txt', 'written apart from everything the routing knew; nothing chosen on it'],
  ['set-u.txt', 'written apart from everything the routing knew, its writers judging the acceptable units themselves; nothing chosen on it'],
  ['set-v.txt', 'written as set U; nothing chosen on it'],
  ['set-w.txt', 'written apart from everything the routing knew; nothing chosen on it'],
];

const unread = 'its texts not read (their first few lines were once printed by accident; nothing was changed from them)';
/** The sets nothing was chosen on. */
const HELD_OUT_SETS: readonly (readonly [string, string])[] = [
  ['scripts/bench/routing-eval/set-g.txt', `held out: written apart from the catalogue and its wordings; ${unread}`],
  ['scripts/bench/routing-eval/set-h.txt', `held out: written apart from the catalogue, its wordings and the other sets; ${unread}`],
  ['scripts/bench/routing-eval/set-i.txt', `held out: written apart from the catalogue, its wordings and the other sets; ${unread}`],
  ['scripts/bench/routing-eval/set-l.txt', `held out: written apart from the catalogue, its wordings, its labelled requests and the other sets; ${unread}`],
  ['scripts/bench/routing-eval/set-y.txt', 'held out: written apart from everything the routing knew, its writer judging the acceptable units; its texts not read'],
  ['scripts/bench/routing-eval/set-z.txt', 'held out: written as set Y (hard cases, public bodies); its texts not read'],
];

/** Sets judged, not taught, whose failures were read. */
const UNTAUGHT_SETS: readonly (readonly [string, string])[] = [
  ['scripts/bench/routing-eval/set-x.txt', 'written as set Y (rural callers, county towns); its first misroutes read, not taught (no gain on the taught sets)'],
];

/** A second dispatcher's labels of taught sets, and the sets. */
const SECOND_DISPATCHER: readonly (readonly [string, string])[] = ['j', 'v'].map((set) => [
  `routing-rules/catalogue/requests/set-${set}.txt`,
  `scripts/bench/routing-eval/second-dispatcher/set-${set}.txt`,
]);

function routingSection(): void {
  // Every taught set is judged: a set added to the requests without a description stops the bench.
  const described = new Map(TAUGHT_SETS);
  const taught = requestFiles().map((file) => {
    const label = described.get(basename(file));
    if (label === undefined) throw new Error(`${file}: add how it was written and used to TAUGHT_SETS in scripts/bench.ts`);
    return [relative(process.cwd(), file), label] as const;
  });
  const evalTexts = [...taught, ...UNTAUGHT_SETS, ...HELD_OUT_SETS].flatMap(([file]) => readLabelledRequests(file)).map((c) => c.text);
  const engine = benchEngine('test/routing-table.json', evalTexts);
  const results = [
    ...taught.map(([file, label]) => ({ ...evaluateSet(file, defaultRouting(basename(file))), label: `${label}; judged by a classifier taught the other sets` })),
    ...[...UNTAUGHT_SETS, ...HELD_OUT_SETS].map(([file, label]) => ({ ...evaluateSet(file), label })),
  ];
  process.stdout.write(
    `\nRouting engine (${engine.rules} rules plus the dispatch catalogue, compiled in ${engine.compileMs.toFixed(0)} ms)\n` +
      `  ${engine.decisions} decisions: ${engine.perSecond.toFixed(0)} per s, p50 ${engine.p50Ms.toFixed(3)} ms, p99 ${engine.p99Ms.toFixed(3)} ms (aim: p99 < 1 ms)\n` +
      `  each case's median over the rounds, p99 over the cases: ${engine.perInputMedianP99Ms.toFixed(3)} ms (load average ${os.loadavg()[0]?.toFixed(1)})\n` +
      `\nRouting quality (default rules, catalogue and the classifier of its typical wordings and labelled requests, as a fresh installation routes)\n` +
      `${results.map(formatEvaluation).join('\n')}\n` +
      `\nA person's yardstick: a second dispatcher labelled sets J and V from their texts alone; their first choices judged by the sets' labels\n` +
      `${SECOND_DISPATCHER.map(([set, labels]) => formatDispatcher(evaluateSecondDispatcher(set, labels))).join('\n')}\n`,
  );
}

async function intakeSection(seconds: number): Promise<void> {
  const system = await startBenchSystem(UNTHROTTLED_STAFF);
  try {
    const { loads: intake, statement, cpu } = await benchIntake(system, seconds);
    printTable('Intake (hotline, through HTTP, embedded PostgreSQL and Redis)', intake);
    printIntakeCpu(cpu);
    printStatementAlone(statement);
    const [routed, , bare, unrouted] = intake;
    if (routed && bare && unrouted) {
      process.stdout.write(
        `  routed intake / bare insert throughput: ${(routed.perSecond / bare.perSecond).toFixed(2)}\n` +
          `  routed intake / intake with no rules: ${(routed.perSecond / unrouted.perSecond).toFixed(2)}\n\n`,
      );
    }
    printDeadlines(await benchDeadlines(system));
  } finally {
    await system.stop();
  }
  await runStatsBench();
}

function printDeadlines(d: DeadlineBenchResult): void {
  const lines = [
    '\nDeadlines (BullMQ on the embedded Redis, worker in-process)',
    `  schedule ${d.openCases} open cases (start-up reconciliation, 100,000 of them new): ${d.jobsAdded} new jobs in ${(d.scheduleMs / 1000).toFixed(1)} s, ${(d.jobsAdded / (d.scheduleMs / 1000)).toFixed(0)} jobs per s`,
    `  Redis memory per scheduled deadline job: ${d.bytesPerJob.toFixed(0)} bytes`,
    `  sweep over ${d.openCases} open cases, nothing due: ${d.sweepMs.toFixed(0)} ms`,
    `  ${d.falling} deadlines falling due within one minute: ${d.fired} fired; lateness p50 ${d.lateP50Ms.toFixed(0)} ms, p99 ${d.lateP99Ms.toFixed(0)} ms, max ${d.lateMaxMs.toFixed(0)} ms (aim: p99 < 1,000 ms)`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

function printIntakeCpu(cpu: IntakeCpu): void {
  const programs = [...cpu.msPerCase].filter(([, ms]) => ms >= 0.01).sort((a, b) => b[1] - a[1]);
  const total = programs.reduce((sum, [, ms]) => sum + ms, 0);
  process.stdout.write(
    `  CPU per case over the saturated routed run's ${cpu.cases} cases and the background work they caused: ` +
      `${programs.map(([program, ms]) => `${program} ${ms.toFixed(2)} ms`).join(', ')}; total ${total.toFixed(2)} ms ` +
      `(${os.cpus().length} cores: at most ${((os.cpus().length * 1000) / total).toFixed(0)} cases/s)\n`,
  );
}

function printStatementAlone(loads: readonly StatementLoad[]): void {
  const lines = loads.map(
    (l) =>
      `  ${l.label}, 16 conn. (no HTTP, no routing): ${l.perSecond.toFixed(0)} cases/s, p50 ${l.p50.toFixed(1)} ms, p99 ${l.p99.toFixed(1)} ms a commit; ` +
      `PostgreSQL CPU in its own backends ${l.backendMsPerCase.toFixed(2)} ms per case`,
  );
  process.stdout.write(`${lines.join('\n')}\n`);
}

function printTable(title: string, rows: readonly LoadResult[]): void {
  const lines = [
    `\n${title}`,
    `  ${'what'.padEnd(40)} ${'ok'.padStart(8)} ${'per s'.padStart(8)} ${'p50 ms'.padStart(8)} ${'p99 ms'.padStart(8)} ${'errors'.padStart(7)}`,
    ...rows.map((r) => `  ${r.label.padEnd(40)} ${String(r.requests).padStart(8)} ${r.perSecond.toFixed(0).padStart(8)} ${r.p50.toFixed(1).padStart(8)} ${r.p99.toFixed(1).padStart(8)} ${String(r.errors).padStart(7)}`),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
