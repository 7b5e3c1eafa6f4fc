/**
 * The studio bundle never contains server code: the modules of a real Vite build of the studio (with every
 * plugin's studio/ folder the import glob brings in) are all studio, plugin studio code, the shared graph
 * format or npm packages — never core/, a plugin's server.ts, lib/, routes/, runtime/ or migrations/.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { STUDIO_DIR } from '../scripts/build.js';

const ROOT = path.resolve(STUDIO_DIR, '..');

/** What a studio module may be, as a path relative to the repository (posix separators). */
const ALLOWED = [
  /^studio\/(src\/|index\.html$)/,
  /^node_modules\//,
  // A plugin's admin UI and its declarative, server-free files.
  /^plugins\/[^/]+\/(studio\/|nodes\.ts$|locales\/[^/]+\.json$|plugin\.json$)/,
  // The flow graph format, dependency-free, shared by the editor and the engine.
  /^core\/flow\/graph\.ts$/,
];

/** Why a bundled module breaks the boundary, or undefined when the studio may contain it. */
export function serverModule(id: string): string | undefined {
  // Rollup's virtual modules (the preload helper, polyfills) start with NUL or name no file.
  if (id.startsWith('\0') || !path.isAbsolute(id.split('?')[0])) return undefined;
  const rel = path.relative(ROOT, id.split('?')[0]).split(path.sep).join('/');
  return ALLOWED.some((re) => re.test(rel)) ? undefined : rel;
}

describe('the studio bundle', () => {
  it('the checker refuses server code and lets studio code through', () => {
    const at = (rel: string) => serverModule(path.join(ROOT, rel));
    for (const bad of ['core/app.ts', 'core/errors.ts', 'plugins/booking/server.ts', 'plugins/booking/lib/booking-view.ts', 'plugins/booking/routes/bookings.ts',
      'plugins/booking/runtime/index.ts', 'plugins/example/migrations/0001_notes.ts', 'plugins/booking/contract.ts', 'plugin-sdk.d.ts', 'templates/demo-salon/index.ts', 'test/helpers/app.ts']) {
      expect(at(bad), bad).toBe(bad);
    }
    for (const good of ['studio/src/App.tsx', 'plugins/booking/studio/BookingsPage.tsx', 'plugins/example/studio/index.tsx', 'plugins/booking/nodes.ts',
      'plugins/booking/locales/en.json', 'core/flow/graph.ts', 'node_modules/react/index.js']) {
      expect(at(good), good).toBeUndefined();
    }
    expect(serverModule('\0vite/preload-helper.js')).toBeUndefined();
  });

  it('holds no module of the server: not of core, nor a plugin’s server side', async () => {
    const { build } = await import('vite');
    const out = await build({ configFile: path.join(STUDIO_DIR, 'vite.config.ts'), mode: 'production', logLevel: 'silent', build: { write: false } });
    const chunks = (Array.isArray(out) ? out : [out]).flatMap((o) => ('output' in o ? o.output : [])).filter((c) => c.type === 'chunk');
    const modules = chunks.flatMap((c) => c.moduleIds);
    // The glob did bring the plugins' pages in.
    expect(modules.map((m) => path.relative(ROOT, m).split(path.sep).join('/'))).toEqual(expect.arrayContaining(['plugins/booking/studio/index.tsx', 'plugins/example/studio/index.tsx']));
    expect(modules.map(serverModule).filter(Boolean)).toEqual([]);
  });
});
