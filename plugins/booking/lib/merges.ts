import { sql } from 'kysely';
import type { ContactErasure, ContactMerge, Tx } from '../../../plugin-sdk.js';

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

/**
 * The client was erased on request: bookings stay (times, services, prices: the reports) without their free text
 * (comments, the answers they gave the flow),
 * and their history keeps the moves without the snapshots' client and comment.
 */
export async function eraseClientData(trx: Tx, e: ContactErasure): Promise<void> {
  await trx.updateTable('booking_bookings').set({ comment: '', contact_phone: null, origin_answers: '[]', cancel_reason: sql`CASE WHEN cancel_reason IS NULL THEN NULL ELSE '' END` }).where('tenant_id', '=', e.tenantId).where('client_id', '=', e.contactId).execute();
  await trx.updateTable('booking_waitlist').set({ comment: '' }).where('tenant_id', '=', e.tenantId).where('client_id', '=', e.contactId).execute();
  await sql`UPDATE booking_history h SET before = h.before - 'client' - 'comment' - 'cancelReason' - 'contactPhone', after = h.after - 'client' - 'comment' - 'cancelReason' - 'contactPhone'
    FROM booking_bookings b WHERE b.tenant_id = ${e.tenantId} AND b.client_id = ${e.contactId} AND h.tenant_id = b.tenant_id AND h.booking_id = b.id`.execute(trx);
}
