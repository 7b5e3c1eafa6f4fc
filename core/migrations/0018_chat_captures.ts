import { sql, type Kysely } from 'kysely';

/**
 * A chat's open question of a plugin (ActionResult.awaitMessages): the client's next free messages — text, a
 * photo, a video — go to that plugin's handler until it is done, the time is up or another flow starts.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE flow_sessions ADD COLUMN capture jsonb`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE flow_sessions DROP COLUMN IF EXISTS capture`.execute(db);
}
