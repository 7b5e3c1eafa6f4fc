import { sql, type Kysely } from 'kysely';

/**
 * One Telegram bot serves one row: Telegram keeps one webhook per bot, so two rows of one bot (two
 * POST /bots with one token at once passed the route's check together) fought over it. The database
 * now refuses the second. Duplicates already there keep the oldest; the later ones go to the trash
 * (soft-deleted, restorable once the oldest is gone) and stop.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`UPDATE bots b SET deleted_at = now(), enabled = false, status = 'off', last_error = 'another bot of this business or another one already serves this Telegram bot'
    WHERE b.deleted_at IS NULL AND b.telegram_id IS NOT NULL
      AND EXISTS (SELECT 1 FROM bots o WHERE o.telegram_id = b.telegram_id AND o.deleted_at IS NULL AND (o.created_at, o.id) < (b.created_at, b.id))`.execute(db);
  await sql`CREATE UNIQUE INDEX bots_telegram_id_key ON bots (telegram_id) WHERE deleted_at IS NULL`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP INDEX IF EXISTS bots_telegram_id_key`.execute(db);
}
