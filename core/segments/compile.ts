import { sql, type RawBuilder } from 'kysely';
import type { Db, SegmentCondition, SegmentRule, SegmentSqlScope, Tx } from '../../plugin-sdk.js';
import { createError } from '../errors.js';
import type { CatalogField } from './catalog.js';
import { dayStart, monthDays, nextDay, todayStart } from './dates.js';

type Bool = RawBuilder<boolean>;
const TRUE = sql<boolean>`true`;
const FALSE = sql<boolean>`false`;
const CAST = { number: sql`numeric`, date: sql`timestamptz`, string: sql`text`, enum: sql`text`, boolean: sql`boolean`, 'string[]': sql`text[]` } as const;

/**
 * A validated rule as one SQL boolean over the contacts row `c`. Every value is a bound parameter; each
 * condition is true or false, never NULL, so `not` of a missing value holds and groups combine plainly.
 * `path` is the JSON pointer of `rule`, for the error when a stored rule names a field no longer offered.
 */
export function compileRule(rule: SegmentRule, fields: ReadonlyMap<string, CatalogField>, scope: SegmentSqlScope, path = '', configs: ReadonlyMap<string, Record<string, unknown>> = new Map()): Bool {
  if ('all' in rule) return rule.all.length ? sql<boolean>`(${sql.join(rule.all.map((r, i) => compileRule(r, fields, scope, `${path}/all/${i}`, configs)), sql` AND `)})` : TRUE;
  if ('any' in rule) return rule.any.length ? sql<boolean>`(${sql.join(rule.any.map((r, i) => compileRule(r, fields, scope, `${path}/any/${i}`, configs)), sql` OR `)})` : FALSE;
  if ('not' in rule) return sql<boolean>`(NOT ${compileRule(rule.not, fields, scope, `${path}/not`, configs)})`;
  const field = fields.get(rule.field);
  if (!field) throw createError('BF_ERR_SEGMENT_FIELD_UNAVAILABLE', { field: rule.field, path: `${path}/field` });
  return sql<boolean>`coalesce(${condition(rule, field, { ...scope, config: configs.get(field.source) ?? {} })}, false)`;
}

const conditionsOf = (rule: SegmentRule): SegmentCondition[] =>
  'all' in rule ? rule.all.flatMap(conditionsOf) : 'any' in rule ? rule.any.flatMap(conditionsOf) : 'not' in rule ? conditionsOf(rule.not) : [rule];

/** The configs of the plugins whose fields the rule names (their SQL may depend on settings, as loyalty's tiers do). */
export async function pluginConfigs(rule: SegmentRule, fields: ReadonlyMap<string, CatalogField>, tenantId: string, q: Db | Tx): Promise<Map<string, Record<string, unknown>>> {
  const owners = new Map(conditionsOf(rule).map((c) => fields.get(c.field)).filter((f) => f?.ctx).map((f) => [f!.source, f!.ctx!]));
  return new Map(await Promise.all([...owners].map(async ([source, ctx]) => [source, await ctx.config(tenantId, q)] as const)));
}

function condition({ op, value }: SegmentCondition, field: CatalogField, scope: SegmentSqlScope): Bool {
  const v = value as any;
  if (field.anniversary && (op === 'withinNextDays' || op === 'withinLastDays')) {
    const days = op === 'withinNextDays' ? monthDays(scope.now, scope.timezone, 0, v) : monthDays(scope.now, scope.timezone, -v, 0);
    return sql<boolean>`(${field.anniversary(scope)}) = ANY(${days}::text[])`;
  }
  const e = sql`(${field.sql(scope)})::${CAST[field.type]}`;
  if (op === 'exists') {
    const present = field.type === 'string[]' ? sql<boolean>`coalesce(cardinality(${e}), 0) > 0` : field.type === 'string' ? sql<boolean>`nullif(${e}, '') IS NOT NULL` : sql<boolean>`${e} IS NOT NULL`;
    return v ? present : sql<boolean>`NOT ${present}`;
  }
  switch (field.type) {
    case 'string[]': return listCondition(op, e, v);
    case 'date': return dateCondition(op, e, v, scope);
    case 'boolean': return sql<boolean>`coalesce(${e}, false) = ${v}::boolean`;
    default: return scalarCondition(op, e, v, field.type === 'number' ? sql`numeric` : sql`text`);
  }
}

function scalarCondition(op: string, e: RawBuilder<unknown>, v: any, type: RawBuilder<unknown>): Bool {
  switch (op) {
    case 'eq': return sql<boolean>`${e} = ${v}::${type}`;
    case 'neq': return sql<boolean>`${e} IS DISTINCT FROM ${v}::${type}`;
    case 'in': return sql<boolean>`${e} = ANY(${v}::text[])`;
    case 'notIn': return sql<boolean>`NOT coalesce(${e} = ANY(${v}::text[]), false)`;
    // strpos, not LIKE: the value's % and _ are letters here, not patterns.
    case 'contains': return sql<boolean>`strpos(lower(${e}), lower(${v}::text)) > 0`;
    case 'gt': return sql<boolean>`${e} > ${v}::numeric`;
    case 'gte': return sql<boolean>`${e} >= ${v}::numeric`;
    case 'lt': return sql<boolean>`${e} < ${v}::numeric`;
    case 'lte': return sql<boolean>`${e} <= ${v}::numeric`;
    case 'between': return sql<boolean>`${e} BETWEEN SYMMETRIC ${v[0]}::numeric AND ${v[1]}::numeric`;
  }
  throw new Error(`operator ${op} reached the compiler unvalidated`);
}

function listCondition(op: string, e: RawBuilder<unknown>, v: any): Bool {
  switch (op) {
    case 'contains': return sql<boolean>`${v}::text = ANY(${e})`;
    case 'in': return sql<boolean>`${e} && ${v}::text[]`;
    case 'all': return sql<boolean>`${e} @> ${v}::text[]`;
    case 'notIn': return sql<boolean>`NOT coalesce(${e} && ${v}::text[], false)`;
  }
  throw new Error(`operator ${op} reached the compiler unvalidated`);
}

/** Days are the business's: boundaries are local midnights as instants, computed from the clock's now. */
function dateCondition(op: string, e: RawBuilder<unknown>, v: any, { now, timezone }: SegmentSqlScope): Bool {
  switch (op) {
    case 'gt': return sql<boolean>`${e} >= ${dayStart(nextDay(v), timezone)}::timestamptz`;
    case 'lt': return sql<boolean>`${e} < ${dayStart(v, timezone)}::timestamptz`;
    case 'between': {
      const [from, to] = [...(v as string[])].sort();
      return sql<boolean>`(${e} >= ${dayStart(from, timezone)}::timestamptz AND ${e} < ${dayStart(nextDay(to), timezone)}::timestamptz)`;
    }
    case 'withinLastDays': return sql<boolean>`(${e} >= ${todayStart(now, timezone, -v)}::timestamptz AND ${e} <= ${now}::timestamptz)`;
    case 'olderThanDays': return sql<boolean>`${e} < ${todayStart(now, timezone, -v)}::timestamptz`;
    case 'withinNextDays': return sql<boolean>`(${e} >= ${now}::timestamptz AND ${e} < ${todayStart(now, timezone, v + 1)}::timestamptz)`;
  }
  throw new Error(`operator ${op} reached the compiler unvalidated`);
}
