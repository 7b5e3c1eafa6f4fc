import { sql, type Kysely } from 'kysely';

/**
 * One account per client; an append-only ledger of entries in three currencies of the account: points
 * (balance − debt is the sum of the points entries), the deposit (money, minor units) and certificate
 * write-offs. A deferred constraint trigger proves the sums after every write, whatever path wrote.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`CREATE TABLE loyalty_accounts (
    tenant_id uuid NOT NULL REFERENCES tenants(id),
    contact_id uuid NOT NULL,
    balance integer NOT NULL DEFAULT 0 CHECK (balance >= 0),
    debt integer NOT NULL DEFAULT 0 CHECK (debt >= 0),
    deposit bigint NOT NULL DEFAULT 0 CHECK (deposit >= 0),
    spent bigint NOT NULL DEFAULT 0,
    visits integer NOT NULL DEFAULT 0,
    CHECK (balance = 0 OR debt = 0),
    PRIMARY KEY (tenant_id, contact_id)
  )`.execute(db);
  await sql`CREATE TABLE loyalty_entries (
    tenant_id uuid NOT NULL REFERENCES tenants(id),
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    contact_id uuid NOT NULL,
    ledger text NOT NULL CHECK (ledger IN ('points', 'deposit', 'certificate')),
    kind text NOT NULL,
    amount bigint NOT NULL,
    balance_after bigint NOT NULL,
    debt_after integer NOT NULL DEFAULT 0,
    source_kind text NOT NULL,
    source_id text NOT NULL,
    certificate_number text,
    reason text NOT NULL DEFAULT '',
    actor_id uuid,
    expires_at timestamptz,
    at timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, id),
    CONSTRAINT loyalty_entries_source_key UNIQUE (tenant_id, source_kind, source_id, kind)
  )`.execute(db);
  await sql`CREATE INDEX loyalty_entries_contact ON loyalty_entries (tenant_id, contact_id, at)`.execute(db);
  await sql`CREATE FUNCTION loyalty_check_sums() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE points bigint; money bigint; acc record;
    BEGIN
      -- Deferred: each row event is checked at commit, against the row as it is then (not as the event saw it).
      SELECT balance, debt, deposit INTO acc FROM loyalty_accounts WHERE tenant_id = NEW.tenant_id AND contact_id = NEW.contact_id;
      SELECT coalesce(sum(amount) FILTER (WHERE ledger = 'points'), 0), coalesce(sum(amount) FILTER (WHERE ledger = 'deposit'), 0)
        INTO points, money FROM loyalty_entries WHERE tenant_id = NEW.tenant_id AND contact_id = NEW.contact_id;
      IF points <> acc.balance - acc.debt OR money <> acc.deposit THEN
        RAISE EXCEPTION 'loyalty account % does not match its ledger', NEW.contact_id;
      END IF;
      RETURN NULL;
    END $$`.execute(db);
  await sql`CREATE CONSTRAINT TRIGGER loyalty_accounts_sums AFTER INSERT OR UPDATE ON loyalty_accounts
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION loyalty_check_sums()`.execute(db);
  await sql`CREATE FUNCTION loyalty_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN RAISE EXCEPTION 'loyalty_entries is append-only'; END $$`.execute(db);
  await sql`CREATE TRIGGER loyalty_entries_append_only BEFORE UPDATE OR DELETE ON loyalty_entries
    FOR EACH ROW EXECUTE FUNCTION loyalty_append_only()`.execute(db);

  // What pays part of a booking: held when applied, spent when the visit completes, returned when it is not.
  await sql`CREATE TABLE loyalty_tenders (
    tenant_id uuid NOT NULL REFERENCES tenants(id),
    booking_id uuid NOT NULL,
    kind text NOT NULL CHECK (kind IN ('points', 'certificate', 'deposit')),
    contact_id uuid NOT NULL,
    amount bigint NOT NULL CHECK (amount > 0),
    points integer NOT NULL DEFAULT 0,
    certificate_number text,
    status text NOT NULL CHECK (status IN ('held', 'spent', 'returned')),
    generation integer NOT NULL DEFAULT 0,
    at timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, booking_id, kind)
  )`.execute(db);
  await sql`CREATE INDEX loyalty_tenders_contact ON loyalty_tenders (tenant_id, contact_id, kind, at)`.execute(db);

  // When each booking was made (for the quick-rebooking bonus) and what its completed visit paid.
  await sql`CREATE TABLE loyalty_visits (
    tenant_id uuid NOT NULL REFERENCES tenants(id),
    booking_id uuid NOT NULL,
    contact_id uuid NOT NULL,
    booked_at timestamptz NOT NULL,
    start_at timestamptz NOT NULL,
    completed_at timestamptz,
    no_show_at timestamptz,
    paid bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (tenant_id, booking_id)
  )`.execute(db);
  await sql`CREATE INDEX loyalty_visits_contact ON loyalty_visits (tenant_id, contact_id, completed_at)`.execute(db);

  await sql`CREATE TABLE loyalty_blocks (
    tenant_id uuid NOT NULL REFERENCES tenants(id),
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    contact_id uuid NOT NULL,
    booking_id uuid NOT NULL,
    from_at timestamptz NOT NULL,
    until timestamptz NOT NULL,
    lifted_at timestamptz,
    lifted_by uuid,
    lift_reason text,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, booking_id)
  )`.execute(db);

  await sql`CREATE TABLE loyalty_certificates (
    tenant_id uuid NOT NULL REFERENCES tenants(id),
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    number text NOT NULL,
    nominal bigint NOT NULL CHECK (nominal > 0),
    balance bigint NOT NULL CHECK (balance >= 0),
    currency text NOT NULL,
    sold_at timestamptz NOT NULL,
    sold_by uuid,
    buyer_contact_id uuid,
    holder_contact_id uuid,
    valid_until timestamptz NOT NULL,
    status text NOT NULL CHECK (status IN ('active', 'used', 'cancelled')),
    CHECK (balance <= nominal),
    PRIMARY KEY (tenant_id, id),
    CONSTRAINT loyalty_certificates_number_key UNIQUE (tenant_id, number)
  )`.execute(db);
}
