import { sql, type Kysely } from 'kysely';

/**
 * Saved segments: a rule (JSON, validated against the business's field catalog) over contacts. The built-in
 * segment `all` is not a row: it is every contact of every business, and nobody can change or delete it.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`CREATE TABLE segments (
    tenant_id uuid NOT NULL REFERENCES tenants(id),
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    name text NOT NULL,
    description text NOT NULL DEFAULT '',
    rule jsonb NOT NULL,
    created_by uuid,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz,
    PRIMARY KEY (tenant_id, id)
  )`.execute(db);
  await sql`CREATE UNIQUE INDEX segments_name_key ON segments (tenant_id, lower(name)) WHERE deleted_at IS NULL`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE IF EXISTS segments`.execute(db);
}
