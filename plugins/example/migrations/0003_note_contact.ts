import { sql, type Kysely } from 'kysely';

/**
 * A note may be about a client (core's contact, by id: a plugin keeps its own data about a contact by its id,
 * so a merged or deleted contact leaves the note); the client card lists that client's notes.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE example_notes ADD COLUMN contact_id uuid`.execute(db);
  await sql`CREATE INDEX example_notes_contact_idx ON example_notes (tenant_id, contact_id) WHERE deleted_at IS NULL AND contact_id IS NOT NULL`.execute(db);
}
