/** Shared by benchmarks: their database (bench/run.ts gives each an empty one) and percentiles. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startEmbeddedPostgres } from '../../core/db/embedded.js';
import { ensureDatabase } from '../../core/db/provision.js';

/** The p-th percentile of ascending figures; NaN for none (nothing was measured), never undefined. */
export const percentile = (sorted: number[], p: number): number => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] : NaN);

/** BENCH_DATABASE_URL when run by bench/run.ts, else an embedded PostgreSQL of its own. */
export async function benchDatabase(name: string): Promise<{ url: string; stop(): Promise<void> }> {
  if (process.env.BENCH_DATABASE_URL) return { url: process.env.BENCH_DATABASE_URL, stop: async () => {} };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `bookflow-${name}-`));
  fs.chmodSync(dir, 0o755);
  const server = await startEmbeddedPostgres({ dataDir: dir });
  return { url: await ensureDatabase(server.url, name), stop: async () => { await server.stop(); fs.rmSync(dir, { recursive: true, force: true }); } };
}
