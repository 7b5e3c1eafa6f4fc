import { sql } from 'kysely';
import type { Tx } from '../../plugin-sdk.js';
import { checkedPayload } from './catalog.js';

export const OUTBOX_CHANNEL = 'bookflow_outbox';

/**
 * Writes an event inside the caller's transaction; NOTIFY is delivered by PostgreSQL only on commit.
 * An undeclared type or a payload its schema rejects throws, failing the caller's transaction.
 */
/** The outbox row of an event; an undeclared type or a payload its schema rejects throws. */
export const eventValues = (tenantId: string, type: string, payload: Record<string, unknown>) => ({ tenant_id: tenantId, type, payload: checkedPayload(type, payload) });

export async function emitEvent(trx: Tx, tenantId: string, type: string, payload: Record<string, unknown>): Promise<string> {
  // One round trip for the row and its NOTIFY: a booking, a turn waits for each.
  const row = await trx.with('e', (db) => db.insertInto('outbox').values(eventValues(tenantId, type, payload)).returning('id'))
    .selectFrom('e').select(['e.id', sql`pg_notify(${OUTBOX_CHANNEL}, e.id::text)`.as('notified')]).executeTakeFirstOrThrow();
  return String(row.id);
}
