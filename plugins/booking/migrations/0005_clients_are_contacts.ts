import { sql, type Kysely } from 'kysely';

/**
 * A booking's client is a contact of the business (core's contacts, reached through ctx.contacts): core's
 * migration 0011 made each booking_clients row a contact with the same id, so client_id keeps pointing at the
 * same person. The table goes: booking keeps nothing else of its own about a client but which rows moved with a
 * merge of contacts (booking_client_moves). The references stay
 * checked: a contact row is never removed (deleting and merging only mark it), so a booking always has one.
 */
export async function up(db: Kysely<any>): Promise<void> {
  for (const table of ['booking_bookings', 'booking_waitlist']) {
    await sql`ALTER TABLE ${sql.table(table)} DROP CONSTRAINT ${sql.ref(`${table}_tenant_id_client_id_fkey`)}`.execute(db);
    await sql`ALTER TABLE ${sql.table(table)} ADD CONSTRAINT ${sql.ref(`${table}_client_fkey`)} FOREIGN KEY (tenant_id, client_id) REFERENCES contacts (tenant_id, id)`.execute(db);
  }
  await sql`DROP TABLE booking_clients`.execute(db);
  // Which bookings and waitlist entries moved with a merge of contacts, so undoing it moves exactly those back.
  await sql`CREATE TABLE booking_client_moves (
    tenant_id uuid NOT NULL REFERENCES tenants(id),
    merge_id uuid NOT NULL,
    entity text NOT NULL CHECK (entity IN ('booking','waitlist')),
    row_id uuid NOT NULL,
    PRIMARY KEY (tenant_id, merge_id, entity, row_id)
  )`.execute(db);
}
