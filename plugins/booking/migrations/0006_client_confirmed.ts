import { sql, type Kysely } from 'kysely';

/** When the client confirmed they will come (a reminder's "Confirm" button): staff see who still needs a call. */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE booking_bookings ADD COLUMN client_confirmed_at timestamptz`.execute(db);
}
