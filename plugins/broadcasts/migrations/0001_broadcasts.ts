import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`CREATE TABLE broadcasts_campaigns (
    tenant_id uuid NOT NULL REFERENCES tenants(id),
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    name text NOT NULL,
    segment_ids text[] NOT NULL,
    message jsonb NOT NULL,
    purpose text NOT NULL CHECK (purpose IN ('marketing', 'transactional')),
    send_at timestamptz,
    status text NOT NULL CHECK (status IN ('draft', 'scheduled', 'running', 'paused', 'cancelled', 'finished')),
    origin_plugin text,
    origin_id text,
    created_by uuid,
    created_at timestamptz NOT NULL,
    started_at timestamptz,
    finished_at timestamptz,
    excluded jsonb NOT NULL DEFAULT '{}',
    inflight int NOT NULL DEFAULT 0,
    PRIMARY KEY (tenant_id, id)
  )`.execute(db);
  await sql`CREATE UNIQUE INDEX broadcasts_campaigns_origin ON broadcasts_campaigns (tenant_id, origin_plugin, origin_id) WHERE origin_plugin IS NOT NULL`.execute(db);
  await sql`CREATE INDEX broadcasts_campaigns_due ON broadcasts_campaigns (status) WHERE status IN ('scheduled', 'running') OR inflight > 0`.execute(db);
  // Materialized when the campaign starts: the audience a crash cannot change, one row per contact.
  await sql`CREATE TABLE broadcasts_recipients (
    tenant_id uuid NOT NULL,
    campaign_id uuid NOT NULL,
    seq int NOT NULL,
    contact_id uuid NOT NULL,
    state text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'queued', 'sent', 'failed', 'blocked', 'optedout', 'cancelled')),
    message_id uuid,
    sent_at timestamptz,
    clicked_at timestamptz,
    unsubscribed_at timestamptz,
    booking_id uuid,
    PRIMARY KEY (tenant_id, campaign_id, contact_id),
    UNIQUE (tenant_id, campaign_id, seq),
    FOREIGN KEY (tenant_id, campaign_id) REFERENCES broadcasts_campaigns (tenant_id, id)
  )`.execute(db);
  await sql`CREATE INDEX broadcasts_recipients_open ON broadcasts_recipients (tenant_id, campaign_id, state, seq) WHERE state IN ('pending', 'queued')`.execute(db);
  await sql`CREATE INDEX broadcasts_recipients_message ON broadcasts_recipients (tenant_id, message_id) WHERE message_id IS NOT NULL`.execute(db);
  await sql`CREATE INDEX broadcasts_recipients_clicks ON broadcasts_recipients (tenant_id, contact_id, clicked_at) WHERE clicked_at IS NOT NULL`.execute(db);
}
