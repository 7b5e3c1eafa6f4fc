import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '..', '..');

export interface TestPlugin {
  /** plugin.json; id and version filled from the folder name when left out */
  manifest?: Record<string, unknown>;
  /** file path inside the plugin folder → contents (server.ts, migrations/0001_x.ts, …) */
  files?: Record<string, string>;
}

/**
 * A throw-away plugins folder inside the repository (under .tmp/, so plugin code
 * resolves npm packages from node_modules): copies of real plugins plus test-only ones.
 */
export function tempPluginsDir(opts: { copy?: string[]; plugins?: Record<string, TestPlugin> } = {}): { dir: string; remove(): void } {
  const dir = path.join(ROOT, '.tmp', `plugins-${crypto.randomBytes(5).toString('hex')}`);
  fs.mkdirSync(dir, { recursive: true });
  for (const id of opts.copy ?? []) fs.cpSync(path.join(ROOT, 'plugins', id), path.join(dir, id), { recursive: true, filter: (src) => !src.includes(`${path.sep}test${path.sep}`) && !src.endsWith(`${path.sep}test`) });
  for (const [id, p] of Object.entries(opts.plugins ?? {})) writePlugin(dir, id, p);
  return { dir, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

export function writePlugin(pluginsDir: string, id: string, p: TestPlugin): string {
  const pluginDir = path.join(pluginsDir, id);
  fs.mkdirSync(pluginDir, { recursive: true });
  const manifest = { id, version: '1.0.0', name: { en: id }, core: '*', ...p.manifest };
  fs.writeFileSync(path.join(pluginDir, 'plugin.json'), JSON.stringify(manifest, null, 2));
  for (const [file, text] of Object.entries(p.files ?? {})) {
    fs.mkdirSync(path.dirname(path.join(pluginDir, file)), { recursive: true });
    fs.writeFileSync(path.join(pluginDir, file), text);
  }
  return pluginDir;
}
