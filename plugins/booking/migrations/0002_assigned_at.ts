import { sql, type Kysely } from 'kysely';

/** When a resource got its booking: "any specialist" round-robin reads it without joining the bookings. */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE booking_booking_resources ADD COLUMN assigned_at timestamptz NOT NULL DEFAULT now()`.execute(db);
}
