import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { collectCatalog, errorRow, ERRORS_DOC } from '../scripts/errors-doc.js';
import { docRows as rowsOf } from '../scripts/catalog-doc.js';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const FIX = 'Run `npm run docs:errors` to regenerate docs/errors.md from the catalog.';
const catalog = collectCatalog();

const docRows = () => rowsOf(ERRORS_DOC, /BF_ERR_[A-Z0-9_]+/);

/** Source files (not tests) that may name a code. */
function sources(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((d) => d.isFile() && /\.(ts|tsx|json)$/.test(d.name) && !/\.test\.tsx?$/.test(d.name))
    .map((d) => path.join(d.parentPath, d.name))
    .filter((f) => !f.includes(`${path.sep}node_modules${path.sep}`) && !f.includes(`${path.sep}test${path.sep}`) && !f.includes(`${path.sep}dist${path.sep}`));
}

describe('error catalog and docs/errors.md', () => {
  it('codes look like BF_ERR_<AREA>_<PROBLEM> and have a status, message and how-to-solve', () => {
    for (const e of catalog) {
      expect(e.code, `${e.code} of ${e.owner}`).toMatch(/^BF_ERR_[A-Z0-9]+_[A-Z0-9_]+$/);
      expect(e.status, `${e.code} status`).toBeGreaterThanOrEqual(400);
      expect(e.status, `${e.code} status`).toBeLessThanOrEqual(599);
      expect(e.message.trim(), `${e.code} message`).not.toBe('');
      expect(e.solve.trim(), `${e.code} how to solve`).not.toBe('');
    }
  });

  it('no code is defined by two owners', () => {
    const owners = new Map<string, string[]>();
    for (const e of catalog) owners.set(e.code, [...(owners.get(e.code) ?? []), e.owner]);
    const twice = [...owners].filter(([, o]) => o.length > 1).map(([code, o]) => `${code}: ${o.join(', ')}`);
    expect(twice, 'codes are unique across core and plugins; rename one').toEqual([]);
  });

  it('every catalog code has its row in the docs, and the docs list no other code', () => {
    const rows = docRows();
    const missing = catalog.filter((e) => !rows.has(e.code)).map((e) => e.code);
    const stale = [...rows.keys()].filter((code) => !catalog.some((e) => e.code === code));
    expect(missing, `codes missing from docs/errors.md. ${FIX}`).toEqual([]);
    expect(stale, `docs/errors.md lists codes the catalog does not have. ${FIX}`).toEqual([]);
  });

  it('each row says what the catalog says', () => {
    const rows = docRows();
    const changed = catalog.filter((e) => rows.has(e.code) && rows.get(e.code) !== errorRow(e)).map((e) => e.code);
    expect(changed, `rows of docs/errors.md differ from the catalog. ${FIX}`).toEqual([]);
  });

  it('every code the source throws is in the catalog', () => {
    const known = new Set(catalog.map((e) => e.code));
    const unknown = new Set<string>();
    for (const file of ['core', 'plugins', 'studio'].flatMap((d) => sources(path.join(ROOT, d)))) {
      for (const [code] of fs.readFileSync(file, 'utf8').matchAll(/\bBF_ERR_[A-Z0-9]+_[A-Z0-9_]*[A-Z0-9]\b/g)) {
        if (!known.has(code)) unknown.add(`${code} (${path.relative(ROOT, file)})`);
      }
    }
    expect([...unknown], `add these codes to CORE_ERRORS in core/errors.ts or to the plugin's plugin.json errors. ${FIX}`).toEqual([]);
  });
});
