import { sql, type Kysely } from 'kysely';

/** A retried request (a redelivered chat turn) finds the booking it made instead of booking again. */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE booking_bookings ADD COLUMN idempotency_key text`.execute(db);
  await sql`CREATE UNIQUE INDEX booking_bookings_idempotency_key ON booking_bookings (tenant_id, idempotency_key) WHERE idempotency_key IS NOT NULL`.execute(db);
}
