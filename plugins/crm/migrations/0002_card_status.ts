import { sql, type Kysely } from 'kysely';

/**
 * The status last announced (crm.status-changed): a loyalty tier change moves the status without a visit, and only
 * the stored one tells that it moved. Existing cards take the status their visits give (VIP is announced anew).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE crm_cards ADD COLUMN status text NOT NULL DEFAULT 'first' CHECK (status IN ('first','repeat','vip'))`.execute(db);
  await sql`UPDATE crm_cards SET status = 'repeat' WHERE visits + prior_visits >= 2`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE crm_cards DROP COLUMN status`.execute(db);
}
