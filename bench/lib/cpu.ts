/**
 * CPU spent while a measurement runs: this process's, and that of the PostgreSQL backends serving the bench's
 * database when they run on this machine (read from /proc: a backend's title names its database). A ratio says how
 * far from the reference a figure is; this says where the time went, and whether the reference had the same work.
 */
import fs from 'node:fs';

export interface CpuSpent {
  nodeMs: number;
  /** null when the database's backends cannot be seen (another machine, no /proc) */
  postgresMs: number | null;
}

/** Linux reports process times in clock ticks of 1/100 s (USER_HZ). */
const TICK_MS = 10;

/** CPU milliseconds so far of each backend of `database`, by pid. */
function backends(database: string): Map<string, number> | null {
  let pids: string[];
  try {
    pids = fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d));
  } catch {
    return null;
  }
  const out = new Map<string, number>();
  for (const pid of pids) {
    try {
      const title = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (!title.startsWith('postgres: ') || !title.split(' ').includes(database)) continue;
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out.set(pid, (Number(fields[11]) + Number(fields[12])) * TICK_MS);
    } catch {
      // the process ended meanwhile
    }
  }
  return out;
}

/**
 * Starts measuring; the function it answers stops and tells the CPU spent since. Call it before the measured side
 * closes its connections: a backend that has ended took its time with it.
 */
export function cpuMeter(databaseUrl: string): () => CpuSpent {
  const database = decodeURIComponent(new URL(databaseUrl).pathname.slice(1));
  const node = process.cpuUsage();
  const before = backends(database);
  return () => {
    const used = process.cpuUsage(node);
    const after = before && backends(database);
    const postgresMs = after && before ? [...after].reduce((sum, [pid, ms]) => sum + ms - (before.get(pid) ?? 0), 0) : null;
    return { nodeMs: (used.user + used.system) / 1000, postgresMs: postgresMs !== null && (after?.size ?? 0) > 0 ? postgresMs : null };
  };
}

/** "node 6.1 ms, PostgreSQL 9.0 ms" per one of `count`. */
export function perOne(spent: CpuSpent, count: number): string {
  const each = (ms: number) => `${(ms / count).toFixed(2)} ms`;
  return `node ${each(spent.nodeMs)}, PostgreSQL ${spent.postgresMs === null ? 'not visible' : each(spent.postgresMs)}`;
}
