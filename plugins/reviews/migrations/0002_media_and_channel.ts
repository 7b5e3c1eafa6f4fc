import { sql, type Kysely } from 'kysely';

/**
 * What a client sends in Telegram after rating: photos and a short video, by Telegram's file ids (the bytes are
 * fetched by a job into core's file store, `file_id`), one row per file per review; and the one post of a review
 * to the business's Telegram channel (`channel_message_id`: the outbox row).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`CREATE TABLE reviews_media (
    tenant_id uuid NOT NULL REFERENCES tenants(id),
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    review_id uuid NOT NULL,
    kind text NOT NULL CHECK (kind IN ('photo','video')),
    bot_id uuid NOT NULL,
    chat_id text NOT NULL,
    locale text NOT NULL,
    telegram_file_id text NOT NULL,
    telegram_file_unique_id text NOT NULL,
    thumb_telegram_file_id text,
    status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','stored','rejected')),
    reject_code text,
    file_id uuid,
    thumb_file_id uuid,
    created_at timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, id),
    CONSTRAINT reviews_media_file UNIQUE (tenant_id, review_id, telegram_file_unique_id),
    FOREIGN KEY (tenant_id, review_id) REFERENCES reviews_reviews (tenant_id, id) ON DELETE CASCADE
  )`.execute(db);
  await sql`ALTER TABLE reviews_reviews ADD COLUMN channel_message_id uuid, ADD COLUMN channel_posted_at timestamptz`.execute(db);
}
