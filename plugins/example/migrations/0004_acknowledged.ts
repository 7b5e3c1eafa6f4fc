import { sql, type Kysely } from 'kysely';

/** A note sent to a client (POST /example/notes/:id/send) is acknowledged when the client presses its button. */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE example_notes ADD COLUMN acknowledged_at timestamptz`.execute(db);
}
