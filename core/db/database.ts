import crypto from 'node:crypto';
import pg from 'pg';
import { CompiledQuery, Kysely, PostgresDialect, sql, type Compilable, type QueryResult } from 'kysely';
import type { Db } from '../../plugin-sdk.js';
import { BoundedCache } from '../bounded-cache.js';

// Dates, numerics and bigints come back as JS values we can compute with.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (v) => Number(v));

/** Put first in a hot statement's SQL: it is prepared once per connection (see PreparingClient). */
const MARK = '/* prepared */ ';
export const PREPARED = sql.raw(MARK);

/** Runs a query builder's statement as a marked one: built with Kysely, prepared once per connection and text. */
export function executePrepared<R>(q: Db, query: Compilable<R>): Promise<QueryResult<R>> {
  const compiled = query.compile();
  return q.executeQuery(CompiledQuery.raw(MARK + compiled.sql, [...compiled.parameters]) as CompiledQuery<R>);
}

/** Statement names by text: each variant of a marked statement's text is a statement of its own. */
// Marked statements are a handful of texts; the bound only guards against a marked text built from data.
const names = new BoundedCache<string>(1000);
const nameOf = (text: string) => names.get(text, () => `bf_${crypto.createHash('sha1').update(text).digest('hex').slice(0, 20)}`);

/**
 * A pg client that runs a statement marked with PREPARED as a named prepared statement: a big statement run on
 * every turn or slot query is then parsed and planned once per connection, not each time (about a millisecond for
 * the slot query's). Only marked ones: a named statement lives as long as its connection.
 */
class PreparingClient extends pg.Client {
  override query(...args: any[]): any {
    const [text, values] = args;
    if (args.length === 2 && typeof text === 'string' && text.startsWith(MARK) && Array.isArray(values)) return super.query({ name: nameOf(text), text, values });
    return (super.query as (...a: any[]) => any)(...args);
  }
}

export interface Database {
  db: Db;
  pool: pg.Pool;
  url: string;
  close(): Promise<void>;
}

/**
 * `connectionTimeoutMillis`: how long a query waits for a pool connection (or a new connection for the server)
 * before failing; without it an exhausted pool or an unreachable server makes every request wait forever.
 */
export function openDatabase(url: string, max = 20, connectionTimeoutMillis = 10_000): Database {
  // Sessions compute in UTC whatever the server's zone: `timestamptz + interval '30 days'` keeps the session zone's
  // wall time, so across a DST change it was an hour short on a server set to a DST zone. Local days come from
  // tenants.timezone, never from the session.
  const pool = new pg.Pool({ connectionString: url, max, connectionTimeoutMillis, options: '-c TimeZone=UTC', Client: PreparingClient });
  // A client losing its server (restart, failover) must not crash the process: the pool listens on idle clients only,
  // so one checked out between two queries of a transaction gets a listener of its own (its query fails, as it should).
  pool.on('error', () => {});
  pool.on('connect', (client) => client.on('error', () => {}));
  const db = new Kysely<any>({ dialect: new PostgresDialect({ pool }) });
  return {
    db,
    pool,
    url,
    // Kysely's destroy ends the pool it was given.
    close: () => db.destroy(),
  };
}

/** Whether the database answers `SELECT 1` within `timeoutMs`; false for an error, a wait for a connection included. */
export async function pingDatabase(db: Db, timeoutMs: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => { timer = setTimeout(() => resolve(false), timeoutMs); });
  try {
    return await Promise.race([sql`SELECT 1`.execute(db).then(() => true, () => false), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** pg's errors for "no connection to be had": the pool's wait ran out, or the server did not answer or went away. */
export function isConnectionError(e: unknown): boolean {
  const err = e as { message?: unknown; code?: unknown } | null;
  if (!err || typeof err.message !== 'string') return false;
  return /^timeout exceeded when trying to connect$|^Connection terminated/.test(err.message)
    || ['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', '57P01', '57P03'].includes(String(err.code));
}

/** Connection URL for another database on the same server. */
export function withDatabaseName(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}
