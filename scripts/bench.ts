import os from 'node:os';
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
import { evaluateSet, formatEvaluation, learnFromSets, readEvalSet } from './bench/routing-eval.bench.js';
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

const EVAL_A = 'scripts/bench/routing-eval/set-a.txt';
const EVAL_B = 'scripts/bench/routing-eval/set-b.txt';
const EVAL_C = 'scripts/bench/routing-eval/set-c.txt';
const EVAL_D = 'scripts/bench/routing-eval/set-d.txt';
const EVAL_E = 'scripts/bench/routing-eval/set-e.txt';
const EVAL_F = 'scripts/bench/routing-eval/set-f.txt';
const EVAL_G = 'scripts/bench/routing-eval/set-g.txt';
const EVAL_H = 'scripts/bench/routing-eval/set-h.txt';
const EVAL_I = 'scripts/bench/routing-eval/set-i.txt';
const EVAL_J = 'scripts/bench/routing-eval/set-j.txt';

function routingSection(): void {
  const evalTexts = [EVAL_A, EVAL_B, EVAL_C, EVAL_D, EVAL_E, EVAL_F, EVAL_G, EVAL_H, EVAL_I, EVAL_J].flatMap((file) => readEvalSet(file)).map((c) => c.text);
  const engine = benchEngine('test/routing-table.json', evalTexts);
  const learnedA = learnFromSets([EVAL_A]);
  // What a centre's manual dispatches teach (the development sets' 1,232 dispatchable cases),
  // dispatching on their own at 0.99: chosen on set F and the second half of J with a model taught
  // A to E and J's first half.
  const learnedDev = learnFromSets([EVAL_A, EVAL_B, EVAL_C, EVAL_D, EVAL_E, EVAL_F, EVAL_J], 0.99);
  const afterLearning = (file: string) => ({ ...evaluateSet(file, learnedDev), label: 'after learning sets A to F and J as centre dispatches, ROUTING_MODEL_THRESHOLD=0.99' });
  const b = evaluateSet(EVAL_B);
  const bLearned = { ...evaluateSet(EVAL_B, learnedA), label: 'after learning set A as centre dispatches' };
  const c = { ...evaluateSet(EVAL_C), label: 'held out until its first run; its failures since read to revise the catalogue' };
  const d = { ...evaluateSet(EVAL_D), label: 'held out until its first run; its failures since read to revise the catalogue' };
  const e = { ...evaluateSet(EVAL_E), label: 'held out until its first run; its failures since read to choose the typical wordings' };
  const eLearned = { ...evaluateSet(EVAL_E, learnedA), label: 'after learning set A as centre dispatches' };
  const f = { ...evaluateSet(EVAL_F), label: 'written apart from the catalogue, held out until its first run; its figures since used to choose the typical wordings' };
  const unread = 'its texts not read (their first few lines were once printed by accident; nothing was changed from them)';
  const g = { ...evaluateSet(EVAL_G), label: `held out: written apart from the catalogue and its wordings; ${unread}` };
  const h = { ...evaluateSet(EVAL_H), label: `held out: written apart from the catalogue, its wordings and the other sets; ${unread}` };
  const i = { ...evaluateSet(EVAL_I), label: `held out: written apart from the catalogue, its wordings and the other sets; ${unread}` };
  const j = { ...evaluateSet(EVAL_J), label: 'written apart from the catalogue, its wordings and the other sets; its failures since read to revise the catalogue' };
  process.stdout.write(
    `\nRouting engine (${engine.rules} rules plus the dispatch catalogue, compiled in ${engine.compileMs.toFixed(0)} ms)\n` +
      `  ${engine.decisions} decisions: ${engine.perSecond.toFixed(0)} per s, p50 ${engine.p50Ms.toFixed(3)} ms, p99 ${engine.p99Ms.toFixed(3)} ms (aim: p99 < 1 ms)\n` +
      `  each case's median over the rounds, p99 over the cases: ${engine.perInputMedianP99Ms.toFixed(3)} ms (load average ${os.loadavg()[0]?.toFixed(1)})\n` +
      `\nRouting quality (default rules, catalogue and the model of its wordings, as a fresh installation routes; labels in ${EVAL_A.replace(/set-a.txt$/, '')})\n` +
      `${formatEvaluation({ ...evaluateSet(EVAL_A), label: 'development set, the catalogue was tuned on it' })}\n` +
      `${formatEvaluation({ ...b, label: 'written after the catalogue was frozen; its failures since read to revise it' })}\n${formatEvaluation(bLearned)}\n` +
      `${formatEvaluation(c)}\n${formatEvaluation(d)}\n${formatEvaluation(e)}\n${formatEvaluation(eLearned)}\n${formatEvaluation(f)}\n${formatEvaluation(g)}\n${formatEvaluation(afterLearning(EVAL_G))}\n${formatEvaluation(h)}\n${formatEvaluation(afterLearning(EVAL_H))}\n${formatEvaluation(i)}\n${formatEvaluation(afterLearning(EVAL_I))}\n${formatEvaluation(j)}\n`,
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
