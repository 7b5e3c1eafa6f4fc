import { sql, type Kysely } from 'kysely';

/**
 * Public booking abuse: one-time codes that prove a phone or email, waitlist entries that only get an
 * offer with a proven contact (one open entry per contact, service and day), the phone each public
 * booking was made with (limits count it), the fingerprint of an Idempotency-Key's request, and staff
 * links only to members of the business.
 */
export async function up(db: Kysely<any>): Promise<void> {
  // Codes and tokens are stored hashed; `ip` is the requesting address (rate limits count it across businesses).
  await sql`CREATE TABLE booking_verifications (
    tenant_id uuid NOT NULL REFERENCES tenants(id),
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    channel text NOT NULL CHECK (channel IN ('phone','email')),
    contact text NOT NULL,
    code_hash text NOT NULL,
    attempts int NOT NULL DEFAULT 0,
    expires_at timestamptz NOT NULL,
    ip text NOT NULL,
    confirmed_at timestamptz,
    token_hash text,
    token_expires_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id)
  )`.execute(db);
  await sql`CREATE UNIQUE INDEX booking_verifications_token_key ON booking_verifications (token_hash) WHERE token_hash IS NOT NULL`.execute(db);
  await sql`CREATE INDEX booking_verifications_contact_idx ON booking_verifications (tenant_id, contact, created_at)`.execute(db);
  await sql`CREATE INDEX booking_verifications_ip_idx ON booking_verifications (ip, created_at)`.execute(db);

  // `contact`: 'phone:+7…', 'email:…' or, for an entry staff made for a client without a phone, 'client:<id>'.
  // Entries made before this migration count as not verified: booking kept no record of who made them
  // (the audit log is core's, not ours to read). They stay on the list; staff can add a waiter again as verified.
  await sql`ALTER TABLE booking_waitlist ADD COLUMN contact text, ADD COLUMN contact_verified boolean NOT NULL DEFAULT false`.execute(db);
  await sql`UPDATE booking_waitlist w SET contact = COALESCE('phone:' || c.phone, 'client:' || c.id) FROM booking_clients c WHERE c.tenant_id = w.tenant_id AND c.id = w.client_id`.execute(db);
  await sql`ALTER TABLE booking_waitlist ALTER COLUMN contact SET NOT NULL`.execute(db);
  // Keep one open entry per contact, service and day: an offered one first, then a verified one, then the oldest.
  await sql`UPDATE booking_waitlist w SET status = 'cancelled' FROM (
    SELECT tenant_id, id, row_number() OVER (PARTITION BY tenant_id, contact, service_id, COALESCE(day, '-infinity'::date)
      ORDER BY (status = 'offered') DESC, contact_verified DESC, created_at, id) AS n
    FROM booking_waitlist WHERE status IN ('waiting','offered')) d
    WHERE w.tenant_id = d.tenant_id AND w.id = d.id AND d.n > 1`.execute(db);
  await sql`CREATE UNIQUE INDEX booking_waitlist_contact_key ON booking_waitlist (tenant_id, contact, service_id, COALESCE(day, '-infinity'::date)) WHERE status IN ('waiting','offered')`.execute(db);

  // The phone a public booking was made with, proven or not: the per-phone limit counts it whichever client record it went to.
  await sql`ALTER TABLE booking_bookings ADD COLUMN contact_phone text, ADD COLUMN idempotency_fingerprint text`.execute(db);
  await sql`UPDATE booking_bookings b SET contact_phone = c.phone FROM booking_clients c WHERE c.tenant_id = b.tenant_id AND c.id = b.client_id AND b.source = 'widget'`.execute(db);
  await sql`CREATE INDEX booking_bookings_contact_phone_idx ON booking_bookings (tenant_id, contact_phone, start_at) WHERE contact_phone IS NOT NULL`.execute(db);
  await sql`CREATE INDEX booking_bookings_widget_created_idx ON booking_bookings (tenant_id, created_at) WHERE source = 'widget'`.execute(db);
}
