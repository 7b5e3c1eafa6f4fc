import { sql, type Kysely } from 'kysely';

/** The business's address, part of the profile plugins read (`ctx.business`): receipts, confirmations, maps. */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE tenants ADD COLUMN address text`.execute(db);
}
