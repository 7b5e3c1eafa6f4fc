import { sql, type Kysely } from 'kysely';

/**
 * Delivery state per (event, handler) instead of per event: each pair has its own attempts,
 * backoff and dead-letter state, so one failing handler no longer holds back the others.
 * The old per-handler marks become `done` deliveries; the outbox keeps only whether an event
 * was fanned out to its handlers and when all of them finished.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`CREATE TABLE event_deliveries (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id uuid NOT NULL REFERENCES tenants(id),
    event_id bigint NOT NULL REFERENCES outbox(id),
    handler text NOT NULL,
    status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','done','skipped','dead')),
    attempts int NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    last_error text,
    created_at timestamptz NOT NULL DEFAULT now(),
    finished_at timestamptz,
    UNIQUE (event_id, handler)
  )`.execute(db);
  await sql`CREATE INDEX event_deliveries_due_idx ON event_deliveries (next_attempt_at) WHERE status = 'pending'`.execute(db);
  await sql`CREATE INDEX event_deliveries_dead_idx ON event_deliveries (tenant_id, finished_at DESC) WHERE status = 'dead'`.execute(db);
  await sql`INSERT INTO event_deliveries (tenant_id, event_id, handler, status, attempts, created_at, finished_at)
    SELECT o.tenant_id, d.event_id, d.handler, 'done', 1, d.delivered_at, d.delivered_at FROM outbox_deliveries d JOIN outbox o ON o.id = d.event_id`.execute(db);
  await sql`DROP TABLE outbox_deliveries`.execute(db);

  // Undispatched events fan out again: handlers that already applied them keep their done mark.
  await sql`ALTER TABLE outbox ADD COLUMN fanned_out_at timestamptz`.execute(db);
  await sql`UPDATE outbox SET fanned_out_at = dispatched_at WHERE dispatched_at IS NOT NULL`.execute(db);
  await sql`ALTER TABLE outbox DROP COLUMN attempts, DROP COLUMN next_attempt_at, DROP COLUMN last_error`.execute(db);
  await sql`CREATE INDEX outbox_fan_out_idx ON outbox (id) WHERE fanned_out_at IS NULL`.execute(db);
}
