import { sql, type Kysely } from 'kysely';

/**
 * The guest card and what hangs off it. Keys start with tenant_id; a contact is core's, a resource and a service
 * booking's: their ids are kept here without foreign keys to other plugins' tables.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`CREATE TABLE crm_cards (
    tenant_id uuid NOT NULL REFERENCES tenants(id),
    contact_id uuid NOT NULL,
    color text CHECK (color IN ('guest','attention','employee','earlier')),
    earlier_than date,
    earlier_comment text NOT NULL DEFAULT '',
    fixed_resource_id uuid,
    locked boolean NOT NULL DEFAULT false,
    public_note text NOT NULL DEFAULT '',
    confidential_note text NOT NULL DEFAULT '',
    survey jsonb NOT NULL DEFAULT '{}',
    parking boolean NOT NULL DEFAULT false,
    bonus_percent int CHECK (bonus_percent BETWEEN 0 AND 100),
    privileges text[] NOT NULL DEFAULT '{}',
    contract_number text,
    contract_date date,
    prior_visits int NOT NULL DEFAULT 0 CHECK (prior_visits >= 0),
    visits int NOT NULL DEFAULT 0,
    behaviour jsonb NOT NULL DEFAULT '{}',
    last_visit_at timestamptz,
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, contact_id)
  )`.execute(db);

  await sql`CREATE TABLE crm_preferences (
    tenant_id uuid NOT NULL REFERENCES tenants(id),
    contact_id uuid NOT NULL,
    resource_id uuid NOT NULL,
    kind text NOT NULL CHECK (kind IN ('positive','negative')),
    PRIMARY KEY (tenant_id, contact_id, resource_id)
  )`.execute(db);

  await sql`CREATE TABLE crm_doctors (
    tenant_id uuid NOT NULL REFERENCES tenants(id),
    resource_id uuid NOT NULL,
    PRIMARY KEY (tenant_id, resource_id)
  )`.execute(db);

  await sql`CREATE TABLE crm_courses (
    tenant_id uuid NOT NULL REFERENCES tenants(id),
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    name text NOT NULL,
    service_id uuid NOT NULL,
    count int NOT NULL CHECK (count BETWEEN 1 AND 100),
    interval_days int NOT NULL CHECK (interval_days BETWEEN 1 AND 365),
    promotion text NOT NULL DEFAULT '',
    deleted_at timestamptz,
    PRIMARY KEY (tenant_id, id)
  )`.execute(db);

  await sql`CREATE TABLE crm_prescriptions (
    tenant_id uuid NOT NULL REFERENCES tenants(id),
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    contact_id uuid NOT NULL,
    course_id uuid NOT NULL,
    doctor_resource_id uuid NOT NULL,
    count int NOT NULL,
    interval_days int NOT NULL,
    prescribed_at timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, course_id) REFERENCES crm_courses(tenant_id, id)
  )`.execute(db);
  await sql`CREATE INDEX crm_prescriptions_contact ON crm_prescriptions (tenant_id, contact_id)`.execute(db);

  await sql`CREATE TABLE crm_erasures (
    tenant_id uuid NOT NULL REFERENCES tenants(id),
    contact_id uuid NOT NULL,
    requested_by uuid,
    requested_at timestamptz NOT NULL,
    erase_at timestamptz NOT NULL,
    erased_at timestamptz,
    PRIMARY KEY (tenant_id, contact_id)
  )`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['crm_erasures', 'crm_prescriptions', 'crm_courses', 'crm_doctors', 'crm_preferences', 'crm_cards']) await sql`DROP TABLE ${sql.table(t)}`.execute(db);
}
