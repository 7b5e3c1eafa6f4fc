/**
 * `npm run bench [name…]`: runs bench/<name>.ts (all of them by default), each
 * against its own empty database on one embedded PostgreSQL, and prints figures, then the table of every
 * ratio to a same-run reference (bench/lib/ratios.ts), also written to bench/results.json.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { startEmbeddedPostgres } from '../core/db/embedded.js';
import { ensureDatabase } from '../core/db/provision.js';
import { ratios, ratioTable } from './lib/ratios.js';

const dir = import.meta.dirname;
const wanted = process.argv.slice(2);
const benches = fs.readdirSync(dir).filter((f) => f.endsWith('.ts') && f !== 'run.ts').map((f) => f.replace(/\.ts$/, '')).filter((n) => wanted.length === 0 || wanted.includes(n)).sort();

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bookflow-bench-'));
fs.chmodSync(dataDir, 0o755);
const server = process.env.DATABASE_URL ? undefined : await startEmbeddedPostgres({ dataDir });
const adminUrl = process.env.DATABASE_URL ?? server!.url;
let failed = false;
try {
  for (const name of benches) {
    console.log(`\n== ${name} ==`);
    process.env.BENCH_DATABASE_URL = await ensureDatabase(adminUrl, `bench_${name.replace(/\W/g, '_')}_${Date.now()}`);
    const mod = (await import(pathToFileURL(path.join(dir, `${name}.ts`)).href)) as { default: () => Promise<void> };
    try {
      await mod.default();
    } catch (e) {
      failed = true;
      console.error(`bench ${name} failed:`, e);
    }
  }
} finally {
  await server?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
}
if (ratios().length) {
  console.log(`\n== ratios to the references measured in this run ==\n${ratioTable(ratios())}`);
  fs.writeFileSync(path.join(dir, 'results.json'), `${JSON.stringify({ at: new Date().toISOString(), benches, ratios: ratios() }, null, 2)}\n`);
  console.log(`written to ${path.join(dir, 'results.json')}`);
}
process.exit(failed ? 1 : 0);
