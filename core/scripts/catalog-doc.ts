/**
 * What the generated catalog docs share (docs/errors.md, docs/events.md): core's catalog and every
 * plugin manifest's part of it, each under its owner, rendered as Markdown table rows.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { PluginManifest } from '../../plugin-sdk.js';
import { discoverPlugins } from '../plugins/resolve.js';

export const ROOT = path.resolve(import.meta.dirname, '..', '..');
export const PLUGINS_DIR = path.join(ROOT, 'plugins');

/** Every entry of core's catalog and of each plugin's manifest part, keyed by its name, with its owner. */
export function catalogEntries<D>(core: Record<string, D>, part: (m: PluginManifest) => Record<string, D> | undefined, pluginsDir = PLUGINS_DIR): Array<{ key: string; owner: string; def: D }> {
  const owners: Array<[string, Record<string, D>]> = [['core', core], ...discoverPlugins(pluginsDir).map((p): [string, Record<string, D>] => [`plugin ${p.manifest.id}`, part(p.manifest) ?? {}])];
  return owners
    .flatMap(([owner, defs]) => Object.entries(defs).map(([key, def]) => ({ key, owner, def })))
    .sort((a, b) => a.key.localeCompare(b.key) || a.owner.localeCompare(b.owner));
}

/** Text safe inside one Markdown table cell. */
export const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** The table rows of a generated doc, by the key in their first cell (`| \`key\` | …`). */
export function docRows(file: string, key: RegExp): Map<string, string> {
  const rows = new Map<string, string>();
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    const found = new RegExp(`^\\| \`(${key.source})\` \\|`).exec(line)?.[1];
    if (found) rows.set(found, line);
  }
  return rows;
}
