import { sql, type Kysely } from 'kysely';

/**
 * Where a booking came from, for its details: the way it was made (`origin`), the chat channel, and the answers the
 * client gave the flow that booked. Earlier bookings get the way their `source` tells; they have no channel or answers.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE booking_bookings ADD COLUMN origin text, ADD COLUMN origin_channel text, ADD COLUMN origin_answers jsonb NOT NULL DEFAULT '[]'`.execute(db);
  await sql`UPDATE booking_bookings SET origin = CASE WHEN test THEN 'test-chat' WHEN source = 'chat' THEN 'flow'
    WHEN source IN ('admin', 'phone') THEN 'desk' WHEN source = 'widget' THEN 'public' ELSE 'plugin' END`.execute(db);
  await sql`ALTER TABLE booking_bookings ALTER COLUMN origin SET NOT NULL,
    ADD CONSTRAINT booking_bookings_origin CHECK (origin IN ('flow', 'test-chat', 'desk', 'public', 'waitlist', 'plugin')),
    ADD CONSTRAINT booking_bookings_origin_answers CHECK (jsonb_typeof(origin_answers) = 'array')`.execute(db);
}
