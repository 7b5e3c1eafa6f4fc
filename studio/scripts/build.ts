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
const PLUGINS_DIR = path.resolve(STUDIO_DIR, '..', 'plugins');
/** Plugins' studio folders are bundled in too (src/plugins/registry.ts). */
const pluginSources = () => (fs.existsSync(PLUGINS_DIR) ? fs.readdirSync(PLUGINS_DIR).map((id) => path.join(PLUGINS_DIR, id, 'studio')) : []);

function newestMtime(p: string): number {
  if (!fs.existsSync(p)) return 0;
  const stat = fs.statSync(p);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...fs.readdirSync(p).map((f) => newestMtime(path.join(p, f))));
}

export function studioIsFresh(): boolean {
  const index = path.join(DIST_DIR, 'index.html');
  if (!fs.existsSync(index)) return false;
  const sources = Math.max(...SOURCES.map((s) => newestMtime(path.join(STUDIO_DIR, s))), ...pluginSources().map(newestMtime));
  return fs.statSync(index).mtimeMs >= sources;
}

/**
 * Builds beside dist and swaps it in, so a server (or a parallel test run) never serves a half-written
 * studio, and two builds at once each leave a whole one.
 */
export async function buildStudio(): Promise<void> {
  const { build } = await import('vite');
  const tmp = `${DIST_DIR}.${process.pid}.${Date.now()}.tmp`;
  const old = `${tmp}.old`;
  // Vite bundles React's development build when NODE_ENV says so (vitest sets it to "test").
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({ configFile: path.join(STUDIO_DIR, 'vite.config.ts'), mode: 'production', logLevel: 'warn', build: { outDir: tmp, emptyOutDir: true } });
    try { fs.renameSync(DIST_DIR, old); } catch { /* no dist yet, or another build moved it */ }
    try {
      fs.renameSync(tmp, DIST_DIR);
    } catch (e) {
      // A parallel build put its dist in place first; it was built from the same sources.
      if (!fs.existsSync(path.join(DIST_DIR, 'index.html'))) throw e;
    }
  } finally {
    if (nodeEnv === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = nodeEnv;
    fs.rmSync(tmp, { recursive: true, force: true });
    fs.rmSync(old, { recursive: true, force: true });
  }
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
