import { sql, type Kysely } from 'kysely';

/**
 * Core's file store (core/files): the bytes live in PostgreSQL, so every instance on the database serves the
 * same files, and a business's files go with its backups. `key` makes a plugin's put idempotent (a retried job
 * stores its file once); `roles` says which staff roles may read it through the studio's route.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`CREATE TABLE files (
    tenant_id uuid NOT NULL REFERENCES tenants(id),
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    plugin_id text NOT NULL,
    key text,
    content_type text NOT NULL,
    size integer NOT NULL CHECK (size > 0),
    sha256 text NOT NULL,
    roles text[] NOT NULL,
    data bytea NOT NULL,
    created_at timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, id),
    CONSTRAINT files_key UNIQUE (tenant_id, plugin_id, key)
  )`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE IF EXISTS files`.execute(db);
}
