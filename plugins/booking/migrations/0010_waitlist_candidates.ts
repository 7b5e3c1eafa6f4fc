import { sql, type Kysely } from 'kysely';

/**
 * Offers to clients another plugin proposed for freed time (`booking.freedTimeCandidates`): kept as waitlist entries so
 * they reach the client and are claimed as any offer, noting who proposed them and the later booking the earlier time
 * replaces. Such an entry is not a place in the queue: when its offer runs out it is closed, not put back.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE booking_waitlist ADD COLUMN proposed_by text, ADD COLUMN replaces_booking_id uuid,
    ADD CONSTRAINT booking_waitlist_replaces CHECK (replaces_booking_id IS NULL OR proposed_by IS NOT NULL)`.execute(db);
}
