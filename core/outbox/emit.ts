import { sql } from 'kysely';
import type { Tx } from '../../plugin-sdk.js';
import { checkedPayload } from './catalog.js';

export const OUTBOX_CHANNEL = 'bookflow_outbox';

/**
 * Writes an event inside the caller's transaction; NOTIFY is delivered by PostgreSQL only on commit.
 * An undeclared type or a payload its schema rejects throws, failing the caller's transaction.
 */
export async function emitEvent(trx: Tx, tenantId: string, type: string, payload: Record<string, unknown>): Promise<string> {
  const row = await trx.insertInto('outbox').values({ tenant_id: tenantId, type, payload: checkedPayload(type, payload) }).returning('id').executeTakeFirstOrThrow();
  await sql`SELECT pg_notify(${OUTBOX_CHANNEL}, ${String(row.id)})`.execute(trx);
  return String(row.id);
}
