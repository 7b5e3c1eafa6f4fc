import { sql, type Kysely } from 'kysely';

/**
 * Plugin jobs as rows of our own, written on the caller's transaction: a job scheduled inside a business
 * transaction exists only if it commits, and a key makes scheduling idempotent (the row is replaced).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`CREATE TABLE plugin_jobs (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id uuid NOT NULL REFERENCES tenants(id),
    plugin_id text NOT NULL,
    name text NOT NULL,
    key text,
    data jsonb NOT NULL DEFAULT '{}',
    run_at timestamptz NOT NULL,
    status text NOT NULL DEFAULT 'scheduled' CHECK (status IN ('scheduled','running','done','failed')),
    attempts int NOT NULL DEFAULT 0,
    last_error text,
    locked_by uuid,
    locked_until timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
  )`.execute(db);
  await sql`CREATE UNIQUE INDEX plugin_jobs_key_idx ON plugin_jobs (tenant_id, plugin_id, key) WHERE key IS NOT NULL`.execute(db);
  await sql`CREATE INDEX plugin_jobs_due_idx ON plugin_jobs (run_at) WHERE status = 'scheduled'`.execute(db);
  await sql`CREATE INDEX plugin_jobs_lease_idx ON plugin_jobs (locked_until) WHERE status = 'running'`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE plugin_jobs`.execute(db);
}
