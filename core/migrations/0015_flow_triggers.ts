import { sql, type Kysely } from 'kysely';

/**
 * The triggers of published flows that do not wait for a client's text: core's `trigger.event` nodes and
 * plugins' trigger node types. Rewritten from the live version on publish, rollback, unpublish and delete,
 * so an event is matched by an index lookup instead of reading every published graph.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`CREATE TABLE flow_triggers (
    tenant_id uuid NOT NULL REFERENCES tenants(id),
    flow_id uuid NOT NULL REFERENCES flows(id),
    node_id text NOT NULL,
    node_type text NOT NULL,
    -- trigger.event: the event type it listens to; null for plugin trigger types
    event_type text,
    flow_version int NOT NULL,
    settings jsonb NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (flow_id, node_id)
  )`.execute(db);
  await sql`CREATE INDEX flow_triggers_event_idx ON flow_triggers (tenant_id, event_type) WHERE event_type IS NOT NULL`.execute(db);
  await sql`CREATE INDEX flow_triggers_type_idx ON flow_triggers (tenant_id, node_type)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE flow_triggers`.execute(db);
}
