import { sql, type Kysely } from 'kysely';

/**
 * One rating request per visit (unique per booking) and the review it brings. A request's link token is kept
 * by its SHA-256 (the lookup) and sealed with the
 * secrets key (a reminder resends the same link): the database alone never gives the link away.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`CREATE TABLE reviews_requests (
    tenant_id uuid NOT NULL REFERENCES tenants(id),
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    booking_id uuid NOT NULL,
    contact_id uuid NOT NULL,
    service_id uuid NOT NULL,
    resource_ids uuid[] NOT NULL DEFAULT '{}',
    visit_start timestamptz NOT NULL,
    token_hash text NOT NULL,
    token_sealed text NOT NULL,
    status text NOT NULL DEFAULT 'scheduled' CHECK (status IN ('scheduled','sent','rated','skipped')),
    skip_reason text,
    due_at timestamptz NOT NULL,
    sent_at timestamptz,
    reminded_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    CONSTRAINT reviews_requests_booking_key UNIQUE (tenant_id, booking_id)
  )`.execute(db);
  await sql`CREATE UNIQUE INDEX reviews_requests_token ON reviews_requests (token_hash)`.execute(db);

  await sql`CREATE TABLE reviews_reviews (
    tenant_id uuid NOT NULL REFERENCES tenants(id),
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    request_id uuid,
    booking_id uuid,
    contact_id uuid NOT NULL,
    service_id uuid NOT NULL,
    resource_ids uuid[] NOT NULL DEFAULT '{}',
    visit_start timestamptz NOT NULL,
    rating int NOT NULL CHECK (rating BETWEEN 1 AND 5),
    comment text NOT NULL DEFAULT '',
    author text NOT NULL DEFAULT '',
    publish_consent boolean NOT NULL DEFAULT false,
    status text NOT NULL DEFAULT 'new' CHECK (status IN ('new','published','hidden')),
    reply text,
    replied_at timestamptz,
    replied_by uuid,
    posted_at timestamptz,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, id),
    CONSTRAINT reviews_reviews_booking_key UNIQUE (tenant_id, booking_id)
  )`.execute(db);
  await sql`CREATE INDEX reviews_by_time ON reviews_reviews (tenant_id, created_at DESC)`.execute(db);
  await sql`CREATE INDEX reviews_by_contact ON reviews_reviews (tenant_id, contact_id)`.execute(db);

  // Which rows a contact merge moved, to move exactly those back when it is undone.
  await sql`CREATE TABLE reviews_merge_moves (
    tenant_id uuid NOT NULL REFERENCES tenants(id),
    merge_id uuid NOT NULL,
    kind text NOT NULL,
    row_id uuid NOT NULL,
    PRIMARY KEY (tenant_id, merge_id, kind, row_id)
  )`.execute(db);
}
