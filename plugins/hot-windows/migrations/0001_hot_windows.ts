import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  // Days and hours are the business's wall clock: a window "10:00–14:00" stays so across a DST change.
  await sql`CREATE TABLE hot_windows_windows (
    tenant_id uuid NOT NULL REFERENCES tenants(id),
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    resource_ids uuid[] NOT NULL,
    service_ids uuid[] NOT NULL,
    date_from date NOT NULL,
    date_to date NOT NULL,
    from_min int NOT NULL CHECK (from_min BETWEEN 0 AND 1439),
    to_min int NOT NULL CHECK (to_min BETWEEN 1 AND 1440 AND to_min > from_min),
    discount_percent int NOT NULL CHECK (discount_percent BETWEEN 1 AND 90),
    prepayment_amount bigint NOT NULL CHECK (prepayment_amount >= 0),
    currency text NOT NULL,
    campaign_id uuid,
    created_by uuid,
    created_at timestamptz NOT NULL,
    cancelled_at timestamptz,
    PRIMARY KEY (tenant_id, id),
    CHECK (date_to >= date_from)
  )`.execute(db);
  await sql`CREATE INDEX hot_windows_windows_live ON hot_windows_windows (tenant_id, date_to) WHERE cancelled_at IS NULL`.execute(db);
}
