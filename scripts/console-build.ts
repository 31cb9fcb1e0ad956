import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const OUT = path.join(ROOT, 'dist/console');
// What the built console depends on: its sources, the labels it shares with the API, the lock file.
const INPUTS = [path.join(ROOT, 'web/console'), path.join(ROOT, 'api/cases/labels.ts'), path.join(ROOT, 'package-lock.json')];

function newestMtime(file: string): number {
  const stat = fs.statSync(file);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return fs.readdirSync(file).reduce((newest, name) => Math.max(newest, newestMtime(path.join(file, name))), stat.mtimeMs);
}

/** Whether dist/console is missing or older than anything it is built from. */
export function consoleBuildIsStale(): boolean {
  const built = path.join(OUT, 'index.html');
  if (!fs.existsSync(built)) return true;
  return Math.max(...INPUTS.map(newestMtime)) > fs.statSync(built).mtimeMs;
}

/**
 * Builds the console with Vite in a child process (the API stays responsive meanwhile) into a
 * scratch folder, then swaps it in: a page loaded during a rebuild never sees half the assets.
 */
export async function buildConsole(): Promise<{ readonly ms: number }> {
  const started = Date.now();
  const next = `${OUT}-next-${process.pid}`;
  const vite = path.join(ROOT, 'node_modules/vite/bin/vite.js');
  await new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, [vite, 'build', '--config', path.join(ROOT, 'web/console/vite.config.ts'), '--outDir', next, '--emptyOutDir'], {
      cwd: ROOT,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`vite build failed (${code}): ${stderr.slice(-2000)}`))));
  });
  fs.rmSync(OUT, { recursive: true, force: true });
  fs.renameSync(next, OUT);
  return { ms: Date.now() - started };
}

/** Builds the console when it is stale; resolves at once when the build is current. */
export async function ensureConsoleBuilt(): Promise<{ readonly built: boolean; readonly ms: number }> {
  if (!consoleBuildIsStale()) return { built: false, ms: 0 };
  return { built: true, ...(await buildConsole()) };
}
