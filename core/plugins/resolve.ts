import fs from 'node:fs';
import path from 'node:path';
import semver from 'semver';
import type { PluginManifest } from '../../plugin-sdk.js';
import { createError } from '../errors.js';
import { readManifest } from './manifest.js';

export interface DiscoveredPlugin {
  manifest: PluginManifest;
  dir: string;
}

/** Every folder with a plugin.json under `root`, manifests validated. */
export function discoverPlugins(root: string): DiscoveredPlugin[] {
  if (!fs.existsSync(root)) return [];
  return fs
    .readdirSync(root, { withFileTypes: true })
    .filter((d) => d.isDirectory() && fs.existsSync(path.join(root, d.name, 'plugin.json')))
    .map((d) => ({ dir: path.join(root, d.name), manifest: readManifest(path.join(root, d.name)) }));
}

/** The plugins named and every plugin they depend on, transitively; a dependency not found is left for orderPlugins to name. */
export function withDependencies(plugins: DiscoveredPlugin[], ids: readonly string[]): DiscoveredPlugin[] {
  const byId = new Map(plugins.map((p) => [p.manifest.id, p]));
  const picked = new Map<string, DiscoveredPlugin>();
  const visit = (id: string) => {
    const p = byId.get(id);
    if (!p || picked.has(id)) return;
    picked.set(id, p);
    for (const dep of Object.keys(p.manifest.dependencies ?? {})) visit(dep);
  };
  for (const id of ids) {
    if (!byId.has(id)) throw createError('BF_ERR_PLUGIN_NOT_FOUND', { plugin: id });
    visit(id);
  }
  return [...picked.values()];
}

/**
 * Checks versions and dependencies and returns the plugins so that every
 * plugin comes after the ones it depends on (ties broken by id, so the order is stable).
 */
export function orderPlugins(plugins: DiscoveredPlugin[], coreVersion: string): DiscoveredPlugin[] {
  const byId = new Map<string, DiscoveredPlugin>();
  for (const p of plugins) {
    if (byId.has(p.manifest.id)) throw createError('BF_ERR_PLUGIN_DUPLICATE', { plugin: p.manifest.id });
    byId.set(p.manifest.id, p);
  }
  for (const { manifest } of plugins) {
    if (!semver.satisfies(coreVersion, manifest.core, { includePrerelease: true })) {
      throw createError('BF_ERR_PLUGIN_VERSION_MISMATCH', { plugin: manifest.id, needs: 'core', range: manifest.core, found: coreVersion });
    }
    const optional = Object.entries(manifest.optionalDependencies ?? {}).filter(([dep]) => byId.has(dep));
    for (const [dep, range] of [...Object.entries(manifest.dependencies ?? {}), ...optional]) {
      const found = byId.get(dep);
      if (!found) throw createError('BF_ERR_PLUGIN_DEPENDENCY_MISSING', { plugin: manifest.id, dependency: dep });
      if (!semver.satisfies(found.manifest.version, range, { includePrerelease: true })) {
        throw createError('BF_ERR_PLUGIN_VERSION_MISMATCH', { plugin: manifest.id, needs: dep, range, found: found.manifest.version });
      }
    }
  }
  const ordered: DiscoveredPlugin[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (id: string, trail: string[]) => {
    if (state.get(id) === 'done') return;
    if (state.get(id) === 'visiting') {
      const cycle = [...trail.slice(trail.indexOf(id)), id].join(' → ');
      throw createError('BF_ERR_PLUGIN_DEPENDENCY_CYCLE', { cycle });
    }
    state.set(id, 'visiting');
    const p = byId.get(id)!;
    for (const dep of loadAfter(p.manifest).filter((d) => byId.has(d)).sort()) visit(dep, [...trail, id]);
    state.set(id, 'done');
    ordered.push(p);
  };
  for (const id of [...byId.keys()].sort()) visit(id, []);
  return ordered;
}

/** The plugins this one must load after: its dependencies and the optional ones (when installed). */
export function loadAfter(manifest: PluginManifest): string[] {
  return [...Object.keys(manifest.dependencies ?? {}), ...Object.keys(manifest.optionalDependencies ?? {})];
}
