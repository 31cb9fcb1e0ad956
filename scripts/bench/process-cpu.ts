import fs from 'node:fs';

/** CPU time in milliseconds, per program, of a process and every process under it. */
export type CpuByProgram = Map<string, number>;

// Linux reports process CPU times in clock ticks of 1/100 s.
const TICKS_PER_SECOND = 100;

interface ProcessStat {
  readonly ppid: number;
  readonly program: string;
  readonly cpuMs: number;
}

function readStats(): Map<number, ProcessStat> {
  const stats = new Map<number, ProcessStat>();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let text: string;
    try {
      text = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // gone since the listing
    }
    // The program name is in parentheses and may itself hold spaces or parentheses.
    const close = text.lastIndexOf(')');
    const fields = text.slice(close + 2).split(' ');
    // utime, stime, and the reaped children's cutime and cstime (fields 14-17 of proc(5)).
    const ticks = [11, 12, 13, 14].reduce((sum, i) => sum + Number(fields[i]), 0);
    stats.set(Number(entry), { ppid: Number(fields[1]), program: text.slice(text.indexOf('(') + 1, close), cpuMs: (ticks / TICKS_PER_SECOND) * 1000 });
  }
  return stats;
}

/**
 * The CPU time used so far by `rootPid` and its descendants, summed per program: the system's
 * own Node.js process, and the PostgreSQL and Redis servers it started. CPU time, unlike
 * throughput, hardly depends on what else the machine is doing.
 */
export function cpuByProgram(rootPid: number): CpuByProgram {
  const stats = readStats();
  const children = new Map<number, number[]>();
  for (const [pid, s] of stats) children.set(s.ppid, [...(children.get(s.ppid) ?? []), pid]);
  const totals: CpuByProgram = new Map();
  const visit = (pid: number): void => {
    const s = stats.get(pid);
    if (!s) return;
    const program = programName(s.program);
    totals.set(program, (totals.get(program) ?? 0) + s.cpuMs);
    for (const child of children.get(pid) ?? []) visit(child);
  };
  visit(rootPid);
  return totals;
}

// PostgreSQL retitles its backends ('postgres: hotline ...'): they all count as postgres.
function programName(comm: string): string {
  if (comm.startsWith('postgres')) return 'postgres';
  if (comm.startsWith('redis')) return 'redis-server';
  return comm;
}

/** The CPU time used so far by these processes together (a client's PostgreSQL backends, say). */
export function cpuOfProcesses(pids: readonly number[]): number {
  const stats = readStats();
  return pids.reduce((sum, pid) => sum + (stats.get(pid)?.cpuMs ?? 0), 0);
}

/** What each program used between two readings. */
export function cpuSince(before: CpuByProgram, after: CpuByProgram): CpuByProgram {
  return new Map([...after].map(([program, ms]) => [program, ms - (before.get(program) ?? 0)]));
}
