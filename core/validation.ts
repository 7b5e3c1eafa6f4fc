import { Ajv, _, type ErrorObject, type Options } from 'ajv';
import addFormatsModule from 'ajv-formats';

// ajv-formats ships CommonJS; under NodeNext its default export is the module object.
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

export interface FieldError {
  /** JSON pointer-like path of the offending field, e.g. /client/phone */
  path: string;
  message: string;
}

/** The widest integer a schema accepts when it names no bound: PostgreSQL's int4, what most columns are. */
export const INT_BOUNDS = { minimum: -2147483648, maximum: 2147483647 } as const;
/** ...and the widest number: beyond it a double no longer holds every integer. */
export const NUMBER_BOUNDS = { minimum: -Number.MAX_SAFE_INTEGER, maximum: Number.MAX_SAFE_INTEGER } as const;

const DAYS = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^(\d{4}-\d{2}-\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?([Zz]|[+-](\d{2}):?(\d{2}))$/;
/** 0001-01-01T00:00:00Z and 9999-12-31T23:59:59.999Z: an offset must not carry an instant out of those years either. */
const INSTANT_RANGE = [-62135596800000, 253402300799999] as const;

/** A calendar day PostgreSQL's date and Luxon both hold: years 0001–9999, no 30 February. */
export function isCalendarDate(s: string): boolean {
  const m = DATE.exec(s);
  if (!m) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return year >= 1 && month >= 1 && month <= 12 && day >= 1 && day <= (month === 2 && !leap ? 28 : DAYS[month - 1]);
}

/**
 * An RFC 3339 instant with its offset that `new Date()`, Luxon and timestamptz all read the same way:
 * a real calendar day, no leap second (23:59:60 passes RFC 3339 but no JavaScript date holds it).
 */
export function isInstant(s: string): boolean {
  const m = DATE_TIME.exec(s);
  if (!m || !isCalendarDate(m[1])) return false;
  const [hour, minute, second] = [Number(m[2]), Number(m[3]), Number(m[4])];
  if (hour > 23 || minute > 59 || second > 59) return false;
  if (m[7] !== undefined && (Number(m[7]) > 23 || Number(m[8]) > 59)) return false;
  const ms = Date.parse(s);
  return ms >= INSTANT_RANGE[0] && ms <= INSTANT_RANGE[1];
}

/** One ajv setup for manifests, plugin configs, flows and API input. */
export function createAjv(options: Options = {}): Ajv {
  const ajv = new Ajv({ allErrors: true, useDefaults: true, coerceTypes: false, strict: false, ...options });
  addFormats(ajv);
  // What the code and the database can represent, stricter than ajv-formats' RFC reading.
  ajv.addFormat('date', { type: 'string', validate: isCalendarDate, compare: (a: string, b: string) => a.localeCompare(b) });
  ajv.addFormat('date-time', { type: 'string', validate: isInstant, compare: (a: string, b: string) => Date.parse(a) - Date.parse(b) });
  // Editor hints live next to the schema; ajv must not reject them.
  ajv.addKeyword({ keyword: 'x-ui' });
  // Type coercion turns the string "Infinity" (or "1e400") into a number that ajv's own number keywords
  // then skip; this one catches it after coercion. hardenSchema puts it on every number.
  ajv.addKeyword({
    keyword: 'finite',
    schemaType: 'boolean',
    error: { message: 'must be a finite number' },
    code: (cxt) => cxt.fail(_`typeof ${cxt.data} == "number" && !isFinite(${cxt.data})`),
  });
  return ajv;
}

const NOT_SCHEMAS = new Set(['const', 'enum', 'default', 'examples', 'example']);
const hardened = new WeakMap<object, unknown>();

/**
 * A copy of an input schema with every number bounded: `finite`, and the int4 (integers) or
 * safe-integer (numbers) range where the schema names no bound of its own. Applied to every
 * route schema by the HTTP validator compiler, so a route cannot forget it.
 */
export function hardenSchema<T>(schema: T): T {
  if (Array.isArray(schema)) return schema.map(hardenSchema) as T;
  if (!schema || typeof schema !== 'object') return schema;
  const known = hardened.get(schema);
  if (known) return known as T;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) out[key] = NOT_SCHEMAS.has(key) ? value : hardenSchema(value);
  const types = [out.type].flat();
  if (types.includes('integer') || types.includes('number')) {
    const bounds = types.includes('number') ? NUMBER_BOUNDS : INT_BOUNDS;
    out.finite = true;
    if (out.minimum === undefined && out.exclusiveMinimum === undefined) out.minimum = bounds.minimum;
    if (out.maximum === undefined && out.exclusiveMaximum === undefined) out.maximum = bounds.maximum;
  }
  hardened.set(schema, out);
  return out as T;
}

/** NUL (which PostgreSQL text and jsonb refuse) or a UTF-16 surrogate without its pair (which jsonb and UTF-8 refuse). */
const BAD_CHARS = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
// Node 20 has String.prototype.isWellFormed (ES2024), native and fast on megabyte strings; TypeScript's ES2023 lib lacks it.
const isBad = (s: string) => s.includes('\u0000') || !(s as string & { isWellFormed(): boolean }).isWellFormed();
const BAD_MESSAGE = 'must not contain NUL (U+0000) or an unpaired UTF-16 surrogate';
const MAX_REPORTED = 20;

const pointer = (key: string) => key.replace(/~/g, '~0').replace(/\//g, '~1');

/** Every string and property name holding a NUL or a lone surrogate, as field errors under `path`. */
export function badStrings(value: unknown, path: string, out: FieldError[] = []): FieldError[] {
  if (out.length >= MAX_REPORTED) return out;
  if (typeof value === 'string') {
    if (isBad(value)) out.push({ path, message: BAD_MESSAGE });
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => badStrings(v, `${path}/${i}`, out));
  } else if (value && typeof value === 'object') {
    for (const [key, v] of Object.entries(value)) {
      if (isBad(key)) out.push({ path: `${path}/${pointer(key)}`, message: `property name ${BAD_MESSAGE}` });
      badStrings(v, `${path}/${pointer(key)}`, out);
    }
  }
  return out;
}

/** The value with every NUL and lone surrogate replaced by U+FFFD, for input that must be taken whatever it holds. */
export function withoutBadStrings<T>(value: T): T {
  if (typeof value === 'string') return value.replace(BAD_CHARS, '\ufffd') as T;
  if (Array.isArray(value)) return value.map(withoutBadStrings) as T;
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [withoutBadStrings(k), withoutBadStrings(v)])) as T;
  return value;
}

export function fieldErrors(errors: ErrorObject[] | null | undefined, prefix = ''): FieldError[] {
  return (errors ?? []).map((e) => {
    let path = e.instancePath;
    if (e.keyword === 'required') path += `/${(e.params as { missingProperty: string }).missingProperty}`;
    if (e.keyword === 'additionalProperties') path += `/${(e.params as { additionalProperty: string }).additionalProperty}`;
    return { path: `${prefix}${path}` || '/', message: e.message ?? 'is invalid' };
  });
}
