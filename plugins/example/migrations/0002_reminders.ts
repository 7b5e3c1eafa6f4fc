import { sql, type Kysely } from 'kysely';

/** A note may carry a reminder: when it is due, and when the reminder job ran. */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE example_notes ADD COLUMN remind_at timestamptz, ADD COLUMN reminded_at timestamptz`.execute(db);
}
