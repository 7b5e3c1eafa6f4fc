import { sql, type Kysely } from 'kysely';

/**
 * The business day whose morning tasks were last made: a booking or a card saved after the morning hour, before the
 * job's run, must not push that run to tomorrow (the keyed job is re-scheduled on every use of the CRM).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`CREATE TABLE crm_morning_runs (
    tenant_id uuid PRIMARY KEY REFERENCES tenants(id),
    day date NOT NULL
  )`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE crm_morning_runs`.execute(db);
}
