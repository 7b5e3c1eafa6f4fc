/**
 * What a PostgreSQL error about the input means to the client. The database has the last word on
 * unique values and references (two requests at once both pass any check made before the insert), so
 * the one error mapper turns its errors into coded 4xx answers here: a unique violation by the
 * constraint's name into the code its owner registered (core below, plugins in plugin.json `constraints`),
 * a missing reference into BF_ERR_DB_REFERENCE_NOT_FOUND naming the field, a value PostgreSQL cannot
 * hold into BF_ERR_DB_VALUE_INVALID.
 */
import type { ConstraintError } from '../../plugin-sdk.js';
import { createError, errorOwner, type BookflowError } from '../errors.js';

const registry = new Map<string, ConstraintError & { owner: string }>();

/** Registers what a unique violation of each named constraint (or unique index) answers. */
export function registerConstraints(owner: string, defs: Record<string, ConstraintError>): void {
  for (const [name, def] of Object.entries(defs)) {
    const existing = registry.get(name);
    if (existing && existing.owner !== owner) throw new Error(`Constraint ${name} of ${owner} is already registered by ${existing.owner}`);
    if (!errorOwner(def.code)) throw createError('BF_ERR_PLUGIN_MANIFEST_INVALID', { file: `${owner} constraints`, errors: [{ path: `/constraints/${name}/code`, message: `${def.code} is not in the error catalog` }] });
    registry.set(name, { ...def, owner });
  }
}

/** The request's input, where a column's field is looked for. */
export interface RequestInput {
  body?: unknown;
  querystring?: unknown;
  params?: unknown;
}

const camel = (column: string) => column.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
const pointer = (key: string) => key.replace(/~/g, '~0').replace(/\//g, '~1');

/**
 * The path of the first input leaf or property `matches` accepts (breadth first: body, query, then
 * path), e.g. `/body/client/phone`; undefined when none does.
 */
export function findInput(input: RequestInput, matches: (key: string, value: unknown) => boolean): string | undefined {
  let level: Array<[string, unknown]> = [['/body', input.body], ['/querystring', input.querystring], ['/params', input.params]];
  for (let depth = 0; depth < 16 && level.length; depth++) {
    const next: Array<[string, unknown]> = [];
    for (const [path, value] of level) {
      if (!value || typeof value !== 'object') continue;
      for (const [key, v] of Object.entries(value)) {
        if (matches(key, v)) return `${path}/${pointer(key)}`;
        next.push([`${path}/${pointer(key)}`, v]);
      }
    }
    level = next;
  }
  return undefined;
}

/** The path of the first input property called `name`. */
export const findField = (input: RequestInput, name: string): string | undefined => findInput(input, (key) => key === name);

/**
 * Columns and values of PostgreSQL's "Key (a, b)=(x, y) …" detail. An expression column keeps its
 * innermost name (lower(email::text) → email); values are left out when a comma makes them ambiguous.
 */
export function keyOf(detail: string | undefined): Array<{ column: string; value?: string }> {
  const m = /^Key \((.+)\)=\((.*)\) (?:already exists|is not present in table|is still referenced)/s.exec(detail ?? '');
  if (!m) return [];
  const columns = m[1].split(', ').map((c) => /([a-z_][a-z0-9_]*)\)*$/i.exec(c.replace(/::[a-z ]+/gi, ''))?.[1] ?? c);
  const values = m[2].split(', ');
  return columns.map((column, i) => ({ column, ...(values.length === columns.length ? { value: values[i] } : {}) }));
}

interface PgError { code?: unknown; constraint?: string; detail?: string; column?: string; message?: string }

/** A PostgreSQL error caused by the request's input as a coded client error; undefined for anything else. */
export function databaseError(error: unknown, input: RequestInput): BookflowError | undefined {
  const e = error as PgError;
  if (typeof e?.code !== 'string' || !/^[0-9A-Z]{5}$/.test(e.code)) return undefined;
  // The business key of a row is never what the client got wrong.
  const key = keyOf(e.detail).filter((k) => k.column !== 'tenant_id');
  const values = Object.fromEntries(key.filter((k) => k.value !== undefined).map((k) => [camel(k.column), k.value]));
  const fieldOf = (name: string | undefined) => (name ? findField(input, camel(name)) ?? findField(input, name) : undefined);
  const field = (name: string | undefined) => {
    const found = fieldOf(name);
    return found ? { field: found } : {};
  };
  const cause = error;

  if (e.code === '23505') {
    const mapped = e.constraint ? registry.get(e.constraint) : undefined;
    if (!mapped) return createError('BF_ERR_DB_UNIQUE_VIOLATION', { constraint: e.constraint, ...field(key[0]?.column) }, cause);
    const params = Object.fromEntries(Object.entries(mapped.params ?? {}).map(([placeholder, from]) => [placeholder, values[from]]));
    return createError(mapped.code, { ...values, ...params, ...field(mapped.field) }, cause);
  }
  if (e.code === '23503') {
    if (/is still referenced/.test(e.detail ?? '')) return createError('BF_ERR_DB_REFERENCE_IN_USE', { constraint: e.constraint }, cause);
    const column = key[0]?.column;
    return createError('BF_ERR_DB_REFERENCE_NOT_FOUND', { field: fieldOf(column) ?? (column ? camel(column) : e.constraint), ...values }, cause);
  }
  // Data exceptions (class 22: bad text, dates or numbers out of range, NUL), check and not-null
  // violations, and program limits a huge value runs into (an index row too big).
  if (e.code.startsWith('22') || e.code === '23514' || e.code === '23502' || e.code.startsWith('54')) {
    return createError('BF_ERR_DB_VALUE_INVALID', { reason: e.message ?? e.code, ...(e.constraint ? { constraint: e.constraint } : {}), ...field(e.column ?? key[0]?.column) }, cause);
  }
  return undefined;
}

export const CORE_CONSTRAINTS: Record<string, ConstraintError> = {
  tenants_slug_key: { code: 'BF_ERR_TENANT_SLUG_TAKEN', field: 'slug' },
  users_email_key: { code: 'BF_ERR_USER_EMAIL_TAKEN', field: 'email' },
  flows_tenant_key_idx: { code: 'BF_ERR_FLOW_KEY_TAKEN', field: 'key' },
  segments_name_key: { code: 'BF_ERR_SEGMENT_NAME_TAKEN', field: 'name' },
  // The message names the bot by its username, which the key does not hold: its Telegram id stands in.
  // Identify and create check first and name the phone or email; this answers a race they lost.
  contact_identities_key: { code: 'BF_ERR_CONTACT_IDENTITY_TAKEN', field: 'phone' },
  bots_telegram_id_key: { code: 'BF_ERR_BOT_TOKEN_TAKEN', field: 'token', params: { username: 'telegramId' } },
};

registerConstraints('core', CORE_CONSTRAINTS);
