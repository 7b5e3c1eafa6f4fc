import { sql } from 'kysely';
import type { ContactMerge, Tx } from '../../../plugin-sdk.js';

const TABLES = { payment: 'prepayment_payments', ledger: 'prepayment_ledger' } as const;

/** Two contacts became one: the merged one's payments and ledger entries are the kept one's now, noted under the merge. */
export async function moveContact(trx: Tx, m: ContactMerge): Promise<void> {
  for (const [entity, table] of Object.entries(TABLES)) {
    await sql`WITH moved AS (
        UPDATE ${sql.table(table)} SET contact_id = ${m.keptId} WHERE tenant_id = ${m.tenantId} AND contact_id = ${m.mergedId} RETURNING id
      ) INSERT INTO prepayment_contact_moves (tenant_id, merge_id, entity, row_id) SELECT ${m.tenantId}, ${m.mergeId}, ${entity}, id::text FROM moved`.execute(trx);
  }
}

/** The merge was undone: what moved under it goes back to the restored contact. */
export async function moveContactBack(trx: Tx, m: ContactMerge): Promise<void> {
  for (const [entity, table] of Object.entries(TABLES)) {
    await sql`UPDATE ${sql.table(table)} t SET contact_id = ${m.mergedId} FROM prepayment_contact_moves mv
      WHERE mv.tenant_id = ${m.tenantId} AND mv.merge_id = ${m.mergeId} AND mv.entity = ${entity} AND t.tenant_id = mv.tenant_id AND t.id::text = mv.row_id`.execute(trx);
  }
  await trx.deleteFrom('prepayment_contact_moves').where('tenant_id', '=', m.tenantId).where('merge_id', '=', m.mergeId).execute();
}
