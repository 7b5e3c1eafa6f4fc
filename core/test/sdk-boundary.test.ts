import fs from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tempPluginsDir } from '../../test/helpers/plugins.js';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const PLUGINS = path.join(ROOT, 'plugins');
const SDK = path.join(ROOT, 'plugin-sdk');
const TEST_HELPERS = path.join(ROOT, 'test', 'helpers');

interface ImportRef { spec: string; typeOnly: boolean }

/** Static imports and re-exports, side-effect imports, dynamic import() and require(). */
function importsOf(source: string): ImportRef[] {
  const refs: ImportRef[] = [];
  for (const m of source.matchAll(/^\s*(import|export)\s+(type\s+)?[^'";]*?\bfrom\s*['"]([^'"]+)['"]/gm)) refs.push({ spec: m[3], typeOnly: Boolean(m[2]) });
  for (const m of source.matchAll(/^\s*import\s*['"]([^'"]+)['"]/gm)) refs.push({ spec: m[1], typeOnly: false });
  for (const m of source.matchAll(/\b(?:import|require)\s*\(\s*['"`]([^'"`]+)['"`]/g)) refs.push({ spec: m[1], typeOnly: false });
  return refs;
}

const inside = (file: string, dir: string) => file === dir || file.startsWith(dir + path.sep);

/** Why this import breaks the SDK boundary, or undefined when it is allowed. */
function violation(file: string, pluginDir: string, ref: ImportRef): string | undefined {
  const { spec } = ref;
  const studio = inside(file, path.join(pluginDir, 'studio'));
  if (spec.startsWith('node:') || builtinModules.includes(spec.split('/')[0])) return studio ? `imports the Node built-in "${spec}" into the studio` : undefined;
  if (!spec.startsWith('.') && !spec.startsWith('/')) {
    // The studio's surface for plugin pages is the one way into the studio, and only for them.
    if (spec === 'bookflow/studio') return studio ? undefined : `imports "${spec}" outside its studio/ folder`;
    // An npm package; the repository itself is not one.
    return /^(bookflow|#)/.test(spec) ? `imports the core through "${spec}"` : undefined;
  }
  const target = path.resolve(path.dirname(file), spec);
  // Studio code runs in the browser: of its own plugin it sees studio/ and the declarative node types, never the server side.
  if (studio && inside(target, pluginDir) && !inside(target, path.join(pluginDir, 'studio')) && !ref.typeOnly && target.replace(/\.(ts|js)$/, '') !== path.join(pluginDir, 'nodes')) {
    return `imports ${path.relative(ROOT, target)}, server code, into the studio`;
  }
  if (inside(target, pluginDir)) return undefined;
  if (target.replace(/(\.d)?\.(ts|js)$/, '') === SDK) return ref.typeOnly ? undefined : 'imports plugin-sdk without "import type"';
  // Another plugin's contract (its service and extension point types) is the one file of it a plugin may see.
  const contract = path.relative(PLUGINS, target).replace(/\.(ts|js)$/, '').split(path.sep);
  if (contract.length === 2 && contract[1] === 'contract' && !contract[0].startsWith('..')) {
    return ref.typeOnly ? undefined : `imports ${path.relative(ROOT, target)} without "import type"`;
  }
  if (inside(file, path.join(pluginDir, 'test')) && inside(target, TEST_HELPERS)) return undefined;
  return `imports ${path.relative(ROOT, target)}, outside its folder`;
}

function pluginFiles(root = PLUGINS): Array<{ file: string; pluginDir: string }> {
  return fs.readdirSync(root, { withFileTypes: true }).filter((d) => d.isDirectory()).flatMap((d) => {
    const pluginDir = path.join(root, d.name);
    return fs.readdirSync(pluginDir, { withFileTypes: true, recursive: true })
      .filter((f) => f.isFile() && /\.(ts|tsx|js|mjs|cjs|mts|cts)$/.test(f.name) && !f.parentPath.includes('node_modules'))
      .map((f) => ({ file: path.join(f.parentPath, f.name), pluginDir }));
  });
}

/** Tables a migrations folder creates (raw SQL or Kysely's createTable). */
function createdTables(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir).filter((f) => /\.(ts|js)$/.test(f)).flatMap((f) => {
    const source = fs.readFileSync(path.join(dir, f), 'utf8');
    return [...source.matchAll(/CREATE\s+TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?"?([a-z_][a-z0-9_]*)/gi), ...source.matchAll(/\.createTable\(\s*['"`]([a-z_][a-z0-9_]*)/gi)].map((m) => m[1].toLowerCase());
  });
}

/** Core's tables: its migrations', the job store's and the migration histories'. */
const CORE_TABLES = new Set([...createdTables(path.join(ROOT, 'core', 'migrations')), 'agenda_jobs']);
const isCoreTable = (table: string) => CORE_TABLES.has(table) || table.startsWith('migrations_');

/** Tables a source names: Kysely's from/into/update/join calls and sql.table, and FROM/JOIN/INTO/UPDATE/TABLE in raw sql`…`. */
function tablesOf(source: string): string[] {
  const names: string[] = [];
  for (const m of source.matchAll(/\.(?:selectFrom|insertInto|replaceInto|updateTable|deleteFrom|mergeInto|innerJoin|leftJoin|rightJoin|fullJoin|innerJoinLateral|leftJoinLateral)\(\s*['"`]([^'"`]+)['"`]|\bsql\.table\(\s*['"`]([^'"`]+)['"`]/g)) {
    names.push((m[1] ?? m[2]).trim().split(/\s+/)[0]);
  }
  for (const m of source.matchAll(/\bsql(?:<[^`>]*>)?`([^`]*)`/g)) {
    for (const t of m[1].matchAll(/\b(?:FROM|JOIN|INTO|UPDATE|TABLE|TRUNCATE)\s+(?:ONLY\s+)?(?:IF\s+(?:NOT\s+)?EXISTS\s+)?"?([a-z_][a-z0-9_.]*)/gi)) names.push(t[1]);
  }
  return names.map((n) => n.toLowerCase().replace(/^public\./, ''));
}

/**
 * SQL naming a table of core or of another plugin, in each plugin's code (tests left out): a plugin reads the
 * business and its team through ctx.business / ctx.members, and another plugin's data through its service.
 * A plugin's tables are those its migrations create, all named `<id>_…`.
 */
function tableViolations(root: string): string[] {
  const plugins = fs.readdirSync(root, { withFileTypes: true }).filter((d) => d.isDirectory() && fs.existsSync(path.join(root, d.name, 'plugin.json'))).map((d) => d.name);
  const prefix = (id: string) => `${id.replace(/-/g, '_')}_`;
  const owners = new Map<string, string>();
  for (const id of plugins) for (const table of createdTables(path.join(root, id, 'migrations'))) owners.set(table, id);
  /** Whose table it is: core, the plugin that creates it, or the plugin with the longest matching prefix. */
  const ownerOf = (table: string) => (isCoreTable(table) ? 'core' : owners.get(table) ?? plugins.filter((id) => table.startsWith(prefix(id))).sort((a, b) => b.length - a.length)[0]);
  const found: string[] = [];
  for (const { file, pluginDir } of pluginFiles(root)) {
    if (inside(file, path.join(pluginDir, 'test'))) continue;
    const id = path.basename(pluginDir);
    for (const table of new Set(tablesOf(fs.readFileSync(file, 'utf8')))) {
      const owner = ownerOf(table);
      if (owner && owner !== id) found.push(`${path.relative(root, file)}: names ${owner === 'core' ? "core's" : `plugin ${owner}'s`} table ${table}`);
    }
  }
  for (const [table, id] of owners) if (!table.startsWith(prefix(id))) found.push(`${id}/migrations: table ${table} is not named ${prefix(id)}…`);
  return found;
}

const dirs: Array<{ remove(): void }> = [];
afterAll(() => dirs.forEach((d) => d.remove()));

describe('plugins reach the core only through plugin-sdk', () => {
  it('no plugin file imports core or anything outside its folder', () => {
    const found: string[] = [];
    for (const { file, pluginDir } of pluginFiles()) {
      for (const ref of importsOf(fs.readFileSync(file, 'utf8'))) {
        const why = violation(file, pluginDir, ref);
        if (why) found.push(`${path.relative(ROOT, file)}: ${why}`);
      }
    }
    expect(found, 'use the PluginContext for runtime services and `import type` from plugin-sdk for types').toEqual([]);
  });

  it('the checker catches each kind of breach', () => {
    const dir = path.join(PLUGINS, 'demo');
    const file = path.join(dir, 'server.ts');
    const check = (source: string) => importsOf(source).map((r) => violation(file, dir, r)).filter(Boolean);
    expect(check(`import { createError } from '../../core/errors.js';`)).toHaveLength(1);
    expect(check(`export { x } from '../other/server.js';`)).toHaveLength(1);
    expect(check(`const m = await import('../../core/app.js');`)).toHaveLength(1);
    expect(check(`import '../../core/db/database.js';`)).toHaveLength(1);
    expect(check(`import { type PluginServer } from '../../plugin-sdk.js';`)).toHaveLength(1);
    expect(check(`import type {\n  PluginServer,\n  Tx,\n} from '../../plugin-sdk.js';`)).toHaveLength(0);
    expect(check(`import fs from 'node:fs';\nimport path from 'path';\nimport { Type } from '@sinclair/typebox';\nimport { x } from './lib/x.js';`)).toHaveLength(0);
    const testFile = path.join(dir, 'test', 'demo.test.ts');
    expect(importsOf(`import { startTestApp } from '../../../test/helpers/app.js';`).map((r) => violation(testFile, dir, r))).toEqual([undefined]);
    expect(importsOf(`import { createApp } from '../../../core/app.js';`).map((r) => violation(testFile, dir, r)).filter(Boolean)).toHaveLength(1);
    // Another plugin's contract, as types only; nothing else of it.
    expect(check(`import type { BookingService } from '../booking/contract.js';`)).toHaveLength(0);
    expect(check(`import { points } from '../booking/contract.js';`)).toHaveLength(1);
    expect(check(`import type { BookingView } from '../booking/lib/booking-view.js';`)).toHaveLength(1);
    // Studio code reaches the studio through 'bookflow/studio' only, and none of its own plugin's server side.
    const page = path.join(dir, 'studio', 'Page.tsx');
    const studio = (source: string) => importsOf(source).map((r) => violation(page, dir, r)).filter(Boolean);
    expect(studio(`import { useState } from 'react';\nimport { get, useMessages } from 'bookflow/studio';\nimport { messages } from './messages.js';\nimport type { NoteDraft } from '../contract.js';`)).toEqual([]);
    expect(studio(`import { api } from '../../../studio/src/api.js';`)).toHaveLength(1);
    expect(studio(`import { addNote } from '../server.js';`)).toHaveLength(1);
    expect(studio(`import fs from 'node:fs';`)).toHaveLength(1);
    expect(check(`import { get } from 'bookflow/studio';`)).toHaveLength(1);
  });

  it('no plugin names a table of core or of another plugin in its SQL, and each names its own tables after its id', () => {
    expect(tableViolations(PLUGINS), 'read the business with ctx.business, its team with ctx.members, another plugin through its service').toEqual([]);
  });

  it('the SQL check refuses a plugin that selects from tenants, or reads core or another plugin through Kysely or raw SQL; booking passes', () => {
    const probe = (source: string) => {
      const d = tempPluginsDir({ copy: ['booking'], plugins: { peeker: { files: { 'server.ts': source, 'migrations/0001_peeker.ts': 'sql`CREATE TABLE peeker_notes (tenant_id uuid NOT NULL REFERENCES tenants(id))`;' } } } });
      dirs.push(d);
      return tableViolations(d.dir);
    };
    expect(probe(`const tz = await ctx.db.selectFrom('tenants').select('timezone').where('id', '=', tenantId).executeTakeFirst();`)).toEqual(["peeker/server.ts: names core's table tenants"]);
    expect(probe("const { rows } = await sql`SELECT u.email FROM booking_history h JOIN users u ON u.id = h.actor_id`.execute(db);")).toEqual([
      "peeker/server.ts: names plugin booking's table booking_history", "peeker/server.ts: names core's table users",
    ]);
    expect(probe(`await trx.selectFrom('peeker_notes as n').leftJoin('memberships as m', 'm.user_id', 'n.author').execute(); await trx.updateTable('booking_bookings').set({ price: 0 }).execute();`)).toEqual([
      "peeker/server.ts: names core's table memberships", "peeker/server.ts: names plugin booking's table booking_bookings",
    ]);
    // Its own tables, foreign keys to tenants, and booking's own code are fine.
    expect(probe(`await ctx.db.selectFrom('peeker_notes').selectAll().execute(); await sql\`INSERT INTO peeker_notes (tenant_id) VALUES (\${id})\`.execute(ctx.db);`)).toEqual([]);
  });
});
