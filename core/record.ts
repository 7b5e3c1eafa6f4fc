import { sql, type InsertQueryBuilder } from 'kysely';
import type { RecordedChange, Tx } from '../plugin-sdk.js';
import { auditValues } from './audit.js';
import { PREPARED } from './db/database.js';
import { eventValues, OUTBOX_CHANNEL } from './outbox/emit.js';

/**
 * What one change leaves behind — the caller's own rows (a history), its audit entry and its events with their
 * NOTIFY — in one statement on the caller's transaction: a booking waits for each round trip. Answers the event ids.
 */
export async function recordChange(trx: Tx, change: RecordedChange): Promise<string[]> {
  const { audit, events = [], rows = [] } = change;
  const parts = [
    ...rows.map((row: InsertQueryBuilder<any, any, any>, i) => sql`${sql.id(`row${i}`)} AS (${row})`),
    sql`audit AS (${trx.insertInto('audit_log').values(auditValues(audit))})`,
  ];
  if (!events.length) {
    await sql`${PREPARED}WITH ${sql.join(parts)} SELECT 1`.execute(trx);
    return [];
  }
  const outbox = trx.insertInto('outbox').values(events.map((e) => eventValues(audit.tenantId, e.type, e.payload))).returning('id');
  // Prepared: a change of a kind (its rows, its number of events) is one text, planned once per connection.
  const { rows: written } = await sql<{ id: string }>`${PREPARED}WITH ${sql.join([...parts, sql`e AS (${outbox})`])}
    SELECT e.id, pg_notify(${OUTBOX_CHANNEL}, e.id::text) FROM e ORDER BY e.id`.execute(trx);
  return written.map((r) => String(r.id));
}
