import { benchIntake, type LoadResult } from './bench/intake.bench.js';
import { benchEngine } from './bench/routing.bench.js';
import { startBenchSystem } from './bench/system.js';

/** `npm run bench`: measures the system as started by `npm start`, on this machine, and prints a table. */
async function main(): Promise<void> {
  const seconds = Number(process.env.BENCH_SECONDS ?? 10);
  const engine = benchEngine('test/routing-table.json');
  process.stdout.write(
    `\nRouting engine (${engine.rules} rules, compiled in ${engine.compileMs.toFixed(0)} ms)\n` +
      `  ${engine.decisions} decisions: ${engine.perSecond.toFixed(0)} per s, p50 ${engine.p50Ms.toFixed(3)} ms, p99 ${engine.p99Ms.toFixed(3)} ms\n`,
  );
  const system = await startBenchSystem();
  try {
    const intake = await benchIntake(system, seconds);
    printTable('Intake (hotline, through HTTP, embedded PostgreSQL and Redis)', intake);
    const [routed, , bare, unrouted] = intake;
    if (routed && bare && unrouted) {
      process.stdout.write(
        `  routed intake / bare insert throughput: ${(routed.perSecond / bare.perSecond).toFixed(2)}\n` +
          `  routed intake / intake with no rules: ${(routed.perSecond / unrouted.perSecond).toFixed(2)}\n\n`,
      );
    }
  } finally {
    await system.stop();
  }
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
