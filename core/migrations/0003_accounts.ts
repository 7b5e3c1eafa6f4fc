import { sql, type Kysely } from 'kysely';

/** Invitations to a business, and the counters behind the login limits (kept here so they hold across instances). */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`CREATE TABLE invitations (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id uuid NOT NULL REFERENCES tenants(id),
    email text NOT NULL,
    role text NOT NULL CHECK (role IN ('owner','admin','manager','specialist')),
    token_hash text NOT NULL UNIQUE,
    invited_by uuid NOT NULL REFERENCES users(id),
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL,
    accepted_at timestamptz,
    accepted_by uuid REFERENCES users(id),
    revoked_at timestamptz
  )`.execute(db);
  await sql`CREATE INDEX invitations_pending_idx ON invitations (tenant_id, lower(email)) WHERE accepted_at IS NULL AND revoked_at IS NULL`.execute(db);

  // One row per account name (normalized email, known or not) with failed sign-ins in a row.
  await sql`CREATE TABLE login_account_limits (
    email_key text PRIMARY KEY,
    failures int NOT NULL,
    last_attempt_at timestamptz NOT NULL DEFAULT now(),
    locked_until timestamptz
  )`.execute(db);

  // Sign-in attempts not (yet) followed by a success, per client address and account name.
  await sql`CREATE TABLE login_address_attempts (
    address text NOT NULL,
    email_key text NOT NULL,
    at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (address, email_key)
  )`.execute(db);
  await sql`CREATE INDEX login_address_attempts_at_idx ON login_address_attempts (at)`.execute(db);
  await sql`CREATE INDEX sessions_expires_idx ON sessions (expires_at)`.execute(db);
}
