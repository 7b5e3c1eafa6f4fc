import { sql, type Kysely } from 'kysely';

/**
 * A booking's client is a contact of the business (core's contacts, reached through ctx.contacts): core's
 * migration 0011 made each booking_clients row a contact with the same id, so client_id keeps pointing at the
 * same person. The table goes; booking keeps no other data of its own about a client. The references stay
 * checked: a contact row is never removed (deleting and merging only mark it), so a booking always has one.
 */
export async function up(db: Kysely<any>): Promise<void> {
  for (const table of ['booking_bookings', 'booking_waitlist']) {
    await sql`ALTER TABLE ${sql.table(table)} DROP CONSTRAINT ${sql.ref(`${table}_tenant_id_client_id_fkey`)}`.execute(db);
    await sql`ALTER TABLE ${sql.table(table)} ADD CONSTRAINT ${sql.ref(`${table}_client_fkey`)} FOREIGN KEY (tenant_id, client_id) REFERENCES contacts (tenant_id, id)`.execute(db);
  }
  await sql`DROP TABLE booking_clients`.execute(db);
}
