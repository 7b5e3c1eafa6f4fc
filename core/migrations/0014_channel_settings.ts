import { sql, type Kysely } from 'kysely';

/**
 * Per business, how core reaches clients by email (SMTP) and SMS (a provider account). One row per
 * channel kind; secret fields of `settings` (passwords, API keys) are sealed with the secrets key,
 * like `x-secret` plugin config fields.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`CREATE TABLE channel_settings (
    tenant_id uuid NOT NULL REFERENCES tenants(id),
    kind text NOT NULL CHECK (kind IN ('email','sms')),
    settings jsonb NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, kind)
  )`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE IF EXISTS channel_settings`.execute(db);
}
