import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`CREATE TABLE example_notes (
    tenant_id uuid NOT NULL REFERENCES tenants(id),
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    text text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz,
    PRIMARY KEY (tenant_id, id)
  )`.execute(db);
  await sql`CREATE TABLE example_counters (
    tenant_id uuid NOT NULL REFERENCES tenants(id),
    kind text NOT NULL,
    value int NOT NULL DEFAULT 0,
    PRIMARY KEY (tenant_id, kind)
  )`.execute(db);
}
