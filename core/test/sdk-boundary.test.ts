import fs from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

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
  if (spec.startsWith('node:') || builtinModules.includes(spec.split('/')[0])) return undefined;
  if (!spec.startsWith('.') && !spec.startsWith('/')) {
    // An npm package; the repository itself is not one.
    return /^(bookflow|#)/.test(spec) ? `imports the core through "${spec}"` : undefined;
  }
  const target = path.resolve(path.dirname(file), spec);
  if (inside(target, pluginDir)) return undefined;
  if (target.replace(/(\.d)?\.(ts|js)$/, '') === SDK) return ref.typeOnly ? undefined : 'imports plugin-sdk without "import type"';
  if (inside(file, path.join(pluginDir, 'test')) && inside(target, TEST_HELPERS)) return undefined;
  return `imports ${path.relative(ROOT, target)}, outside its folder`;
}

function pluginFiles(): Array<{ file: string; pluginDir: string }> {
  return fs.readdirSync(PLUGINS, { withFileTypes: true }).filter((d) => d.isDirectory()).flatMap((d) => {
    const pluginDir = path.join(PLUGINS, d.name);
    return fs.readdirSync(pluginDir, { withFileTypes: true, recursive: true })
      .filter((f) => f.isFile() && /\.(ts|tsx|js|mjs|cjs|mts|cts)$/.test(f.name) && !f.parentPath.includes('node_modules'))
      .map((f) => ({ file: path.join(f.parentPath, f.name), pluginDir }));
  });
}

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
  });
});
