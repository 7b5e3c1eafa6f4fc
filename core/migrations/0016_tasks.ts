import { sql, type Kysely } from 'kysely';

/**
 * Staff tasks: one list per business that every plugin adds to, each task unique by (plugin, key) so a
 * retried handler finds the task it made instead of making a second one.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`CREATE TABLE tasks (
    tenant_id uuid NOT NULL REFERENCES tenants(id),
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    plugin_id text NOT NULL,
    kind text NOT NULL,
    key text NOT NULL,
    title jsonb NOT NULL,
    body jsonb,
    contact_id uuid,
    booking_id uuid,
    due_at timestamptz NOT NULL,
    roles text[] NOT NULL,
    assignee_id uuid,
    data jsonb NOT NULL DEFAULT '{}',
    status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done', 'snoozed', 'cancelled')),
    snoozed_until timestamptz,
    result text,
    done_by uuid,
    done_at timestamptz,
    created_at timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, plugin_id, key)
  )`.execute(db);
  await sql`CREATE INDEX tasks_open_idx ON tasks (tenant_id, due_at) WHERE status IN ('open', 'snoozed')`.execute(db);
  await sql`CREATE INDEX tasks_contact_idx ON tasks (tenant_id, contact_id) WHERE contact_id IS NOT NULL`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE IF EXISTS tasks`.execute(db);
}
