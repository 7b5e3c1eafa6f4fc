/**
 * What the route walkers share (tenant isolation, bad input): which registered routes to walk, how a
 * route's path params are filled, and real ids of a business's rows for params and properties named
 * after its entities (serviceId → one of its services). Walkers take app.routes, so a route added
 * later, core's or a plugin's, is walked without anyone listing it.
 */
import { sql } from 'kysely';
import type { RouteInfo } from '../../core/app.js';
import type { Db } from '../../plugin-sdk.js';
import { singular } from './schema-sample.js';

/** Every route but the docs UI, the static studio and wildcards. */
export const walkedRoutes = (routes: ReadonlyArray<RouteInfo>): RouteInfo[] =>
  routes.filter((r) => !/^\/(docs|studio)(\/|$)/.test(r.url) && !r.url.includes('*') && r.method !== 'OPTIONS');

const paramName = (segment: string) => segment.slice(1).replace(/\(.*$/, '').replace(/\?$/, '');

/** The names of a route's path params, in order. */
export const pathParams = (url: string): string[] => url.split('/').filter((s) => s.startsWith(':')).map(paramName);

/** The URL with each `:param` replaced by `value(name, segmentBefore)`, already encoded by the caller. */
export function fillPath(url: string, value: (name: string, segmentBefore: string | undefined) => string): string {
  const segments = url.split('/');
  return segments.map((seg, i) => (seg.startsWith(':') ? value(paramName(seg), segments[i - 1]) : seg)).join('/');
}

/** Tables with a tenant_id column. */
export async function tenantTables(db: Db): Promise<string[]> {
  return (await sql<{ table_name: string }>`SELECT table_name FROM information_schema.columns c JOIN information_schema.tables USING (table_schema, table_name)
    WHERE c.table_schema = current_schema() AND c.column_name = 'tenant_id' AND table_type = 'BASE TABLE' ORDER BY table_name`.execute(db)).rows.map((r) => r.table_name);
}

export type TenantRows = Map<string, Array<Record<string, unknown>>>;

/** A business's rows, table → rows. */
export async function rowsOf(db: Db, tables: string[], tenantId: string): Promise<TenantRows> {
  const out: TenantRows = new Map();
  for (const table of tables) out.set(table, (await sql<Record<string, unknown>>`SELECT * FROM ${sql.table(table)} WHERE tenant_id = ${tenantId}`.execute(db)).rows);
  return out;
}

const snake = (s: string) => s.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();

/** A real id among `rows` for a param or property name, when the name points at one of the entities (live rows first). */
export function entityIdFor(rows: TenantRows, name: string, segmentBefore?: string): string | undefined {
  const live = (list: Array<Record<string, unknown>>) => [...list].sort((x, y) => Number(Boolean(x.deleted_at)) - Number(Boolean(y.deleted_at)));
  const column = snake(name);
  if (column !== 'id' && !column.endsWith('_id')) return undefined;
  const entity = column === 'id' ? (segmentBefore ?? '') : column.replace(/_id$/, '');
  if (column !== 'id' && column !== 'tenant_id') {
    // A column of that name in one of the tables (userId → memberships.user_id), skipping the tenant key itself.
    for (const list of rows.values()) {
      const value = live(list).find((r) => typeof r[column] === 'string')?.[column];
      if (typeof value === 'string') return value;
    }
  }
  if (!entity) return undefined;
  const wanted = singular(snake(entity).replace(/-/g, '_'));
  for (const [table, list] of rows) {
    const names = [table, ...table.split('_').slice(1).map((_, i, all) => all.slice(i).join('_'))].map(singular);
    if (names.includes(wanted) && list.length && typeof list[0].id === 'string') return live(list)[0].id as string;
  }
  return undefined;
}
