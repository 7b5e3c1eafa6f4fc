import { sql } from 'kysely';
import type { ContactMerge, Tx } from '../../../plugin-sdk.js';

const TABLES = { booking: 'booking_bookings', waitlist: 'booking_waitlist' } as const;

/** Two contacts became one: the merged one's bookings and waitlist entries are the kept one's now, noted under the merge. */
export async function moveClientData(trx: Tx, m: ContactMerge): Promise<void> {
  for (const [entity, table] of Object.entries(TABLES)) {
    await sql`WITH moved AS (
        UPDATE ${sql.table(table)} SET client_id = ${m.keptId} WHERE tenant_id = ${m.tenantId} AND client_id = ${m.mergedId} RETURNING id
      ) INSERT INTO booking_client_moves (tenant_id, merge_id, entity, row_id) SELECT ${m.tenantId}, ${m.mergeId}, ${entity}, id FROM moved`.execute(trx);
  }
}

/** The merge was undone: what moved under it goes back to the restored contact. */
export async function moveClientDataBack(trx: Tx, m: ContactMerge): Promise<void> {
  for (const [entity, table] of Object.entries(TABLES)) {
    await sql`UPDATE ${sql.table(table)} t SET client_id = ${m.mergedId} FROM booking_client_moves mv
      WHERE mv.tenant_id = ${m.tenantId} AND mv.merge_id = ${m.mergeId} AND mv.entity = ${entity} AND t.tenant_id = mv.tenant_id AND t.id = mv.row_id`.execute(trx);
  }
  await trx.deleteFrom('booking_client_moves').where('tenant_id', '=', m.tenantId).where('merge_id', '=', m.mergeId).execute();
}
