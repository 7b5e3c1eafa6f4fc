import { sql, type Kysely } from 'kysely';

/**
 * Bookings made from a studio test chat with a draft: flagged, so lists mark them and exports and reports
 * leave them out, and tied to their chat, so closing it cancels them.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE booking_bookings ADD COLUMN test boolean NOT NULL DEFAULT false, ADD COLUMN test_chat text,
    ADD CONSTRAINT booking_bookings_test_chat CHECK (test = (test_chat IS NOT NULL))`.execute(db);
  await sql`CREATE INDEX booking_bookings_test_chat_idx ON booking_bookings (tenant_id, test_chat) WHERE test_chat IS NOT NULL`.execute(db);
}
