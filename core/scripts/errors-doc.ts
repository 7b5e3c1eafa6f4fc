/**
 * `npm run docs:errors`: regenerates docs/errors.md from the one error catalog —
 * core's CORE_ERRORS and the `errors` of every plugin manifest.
 */
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ErrorDefinition } from '../../plugin-sdk.js';
import { CORE_ERRORS } from '../errors.js';
import { catalogEntries, cell, PLUGINS_DIR, ROOT } from './catalog-doc.js';

export const ERRORS_DOC = path.join(ROOT, 'docs', 'errors.md');

export interface CatalogEntry extends ErrorDefinition {
  code: string;
  owner: string;
}

/** Every code with its owner, in code order; a code defined twice appears twice. */
export function collectCatalog(pluginsDir = PLUGINS_DIR): CatalogEntry[] {
  return catalogEntries(CORE_ERRORS, (m) => m.errors, pluginsDir)
    .map(({ key, owner, def }) => ({ code: key, owner, status: def.status, message: def.message, solve: def.solve }));
}

export function errorRow(e: CatalogEntry): string {
  return `| \`${e.code}\` | ${e.status} | ${cell(e.message)} | ${cell(e.solve)} | ${e.owner} |`;
}

export function renderErrorsDoc(entries: CatalogEntry[]): string {
  return [
    '# Error codes',
    '',
    'Every error a client sees is `{code, message, details}` with one of the codes below. `{name}` in a',
    'message is filled from `details`. Validation errors (`BF_ERR_VALIDATION_FAILED`, `BF_ERR_PLUGIN_CONFIG_INVALID`)',
    'list each bad field in `details.errors` as `{path, message}`; any other 400 about one field names it in `details.field`',
    '(e.g. `/body/client/phone`, `/querystring/from`, `/params/id`). Refusals of the database (unique values, missing references)',
    'answer coded 409/404s naming the field the same way.',
    '',
    '`message` comes in the client\'s language: the best of ru, en and uk by the request\'s `Accept-Language`',
    '(`*` is no preference), else the business\'s language (`tenants.locale`) when the request belongs to one,',
    'else Russian. English is the message below; Russian and Ukrainian are `errors.<CODE>` in',
    '`core/i18n/locales/{ru,uk}.json` (core codes) or the plugin\'s `locales/{ru,uk}.json`, with `{{name}}` for each',
    '`{name}` (a test checks every code has both). `code` and `details` (field messages included) are the same in',
    'every language: match on `code`, never on `message`.',
    '',
    'This file is generated from `core/errors.ts` and the plugins\' `plugin.json` `errors`: after adding or',
    'changing a code run `npm run docs:errors`. A test keeps the two in sync. Codes are never reused.',
    '',
    '| code | HTTP | message | how to solve | defined by |',
    '| --- | --- | --- | --- | --- |',
    ...entries.map(errorRow),
    '',
  ].join('\n');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const entries = collectCatalog();
  fs.writeFileSync(ERRORS_DOC, renderErrorsDoc(entries));
  console.log(`Wrote ${path.relative(process.cwd(), ERRORS_DOC)}: ${entries.length} codes`);
}
