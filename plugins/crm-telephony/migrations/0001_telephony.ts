import { sql, type Kysely } from 'kysely';

/** Calls by Mango's entry id (one call, many legs), and every accepted event's key so a redelivery does nothing. */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`CREATE TABLE crm_telephony_calls (
    tenant_id uuid NOT NULL REFERENCES tenants(id),
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    entry_id text NOT NULL,
    direction text NOT NULL CHECK (direction IN ('in','out')),
    number text NOT NULL,
    contact_id uuid,
    state text NOT NULL,
    started_at timestamptz NOT NULL,
    answered_at timestamptz,
    answered_by text,
    ended_at timestamptz,
    duration_sec int,
    result text,
    recording_url text,
    PRIMARY KEY (tenant_id, id),
    CONSTRAINT crm_telephony_calls_entry UNIQUE (tenant_id, entry_id)
  )`.execute(db);
  await sql`CREATE INDEX crm_telephony_calls_contact ON crm_telephony_calls (tenant_id, contact_id, started_at)`.execute(db);
  await sql`CREATE TABLE crm_telephony_events (
    tenant_id uuid NOT NULL REFERENCES tenants(id),
    key text NOT NULL,
    received_at timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, key)
  )`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE crm_telephony_events`.execute(db);
  await sql`DROP TABLE crm_telephony_calls`.execute(db);
}
