/**
 * Builds the studio into studio/dist when it is missing or older than its sources,
 * so `npm start` stays fast on a fresh build. `--force` always builds.
 * Used by `npm start` (prestart), `npm run build:studio`, the browser tests and the bench.
 */
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

export const STUDIO_DIR = path.resolve(import.meta.dirname, '..');
export const DIST_DIR = path.join(STUDIO_DIR, 'dist');
const SOURCES = ['src', 'index.html', 'vite.config.ts'];

function newestMtime(p: string): number {
  if (!fs.existsSync(p)) return 0;
  const stat = fs.statSync(p);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...fs.readdirSync(p).map((f) => newestMtime(path.join(p, f))));
}

export function studioIsFresh(): boolean {
  const index = path.join(DIST_DIR, 'index.html');
  if (!fs.existsSync(index)) return false;
  const sources = Math.max(...SOURCES.map((s) => newestMtime(path.join(STUDIO_DIR, s))));
  return fs.statSync(index).mtimeMs >= sources;
}

export async function buildStudio(): Promise<void> {
  const { build } = await import('vite');
  await build({ configFile: path.join(STUDIO_DIR, 'vite.config.ts'), logLevel: 'warn' });
}

/** Builds only when needed; returns whether it built. */
export async function ensureStudioBuilt(force = false): Promise<boolean> {
  if (!force && studioIsFresh()) return false;
  await buildStudio();
  return true;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const built = await ensureStudioBuilt(process.argv.includes('--force'));
  console.log(built ? `studio built into ${path.relative(process.cwd(), DIST_DIR)}` : 'studio is up to date');
}
