import { sql, type Kysely } from 'kysely';

/**
 * Money of bookings: payments (prepayments and tips) at a provider, their refunds, and the ledger every report
 * reads. Amounts are integer minor units; the ledger's source key makes each entry happen once.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`CREATE TABLE prepayment_payments (
    tenant_id uuid NOT NULL REFERENCES tenants(id),
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    booking_id uuid NOT NULL,
    contact_id uuid NOT NULL,
    purpose text NOT NULL CHECK (purpose IN ('prepayment','tip')),
    service_id uuid NOT NULL,
    specialist_id uuid,
    -- when the visit is: a prepayment is held for a future visit until then
    booking_start timestamptz NOT NULL,
    provider text NOT NULL CHECK (provider IN ('telegram','yookassa','stripe')),
    provider_payment_id text,
    telegram_charge_id text,
    provider_charge_id text,
    status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','succeeded','canceled','expired')),
    amount bigint NOT NULL CHECK (amount > 0),
    currency text NOT NULL,
    refunded bigint NOT NULL DEFAULT 0,
    confirmation_url text,
    expires_at timestamptz,
    paid_at timestamptz,
    created_at timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, id),
    CHECK (refunded >= 0 AND refunded <= amount)
  )`.execute(db);
  // One prepayment per booking, one tip per booking; a Telegram charge fulfils one payment.
  await sql`CREATE UNIQUE INDEX prepayment_payments_booking ON prepayment_payments (tenant_id, booking_id, purpose)`.execute(db);
  await sql`CREATE UNIQUE INDEX prepayment_payments_tg_charge ON prepayment_payments (telegram_charge_id) WHERE telegram_charge_id IS NOT NULL`.execute(db);
  await sql`CREATE INDEX prepayment_payments_provider_id ON prepayment_payments (tenant_id, provider, provider_payment_id)`.execute(db);

  await sql`CREATE TABLE prepayment_refunds (
    tenant_id uuid NOT NULL REFERENCES tenants(id),
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    payment_id uuid NOT NULL,
    booking_id uuid NOT NULL,
    key text NOT NULL,
    amount bigint NOT NULL CHECK (amount > 0),
    currency text NOT NULL,
    percent int NOT NULL,
    reason text NOT NULL,
    actor_id uuid,
    status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','succeeded','failed')),
    provider_refund_id text,
    attempts int NOT NULL DEFAULT 0,
    last_error text,
    created_at timestamptz NOT NULL,
    done_at timestamptz,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, payment_id) REFERENCES prepayment_payments(tenant_id, id),
    UNIQUE (tenant_id, key)
  )`.execute(db);

  await sql`CREATE TABLE prepayment_ledger (
    tenant_id uuid NOT NULL REFERENCES tenants(id),
    id bigserial NOT NULL,
    kind text NOT NULL CHECK (kind IN ('payment','refund','tip','write_off')),
    amount bigint NOT NULL CHECK (amount >= 0),
    currency text NOT NULL,
    method text NOT NULL,
    booking_id uuid NOT NULL,
    contact_id uuid NOT NULL,
    service_id uuid NOT NULL,
    specialist_id uuid,
    payment_id uuid,
    refund_id uuid,
    source_key text NOT NULL,
    at timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, source_key)
  )`.execute(db);
  await sql`CREATE INDEX prepayment_ledger_at ON prepayment_ledger (tenant_id, at)`.execute(db);

  await sql`CREATE TABLE prepayment_tip_offers (
    tenant_id uuid NOT NULL REFERENCES tenants(id),
    booking_id uuid NOT NULL,
    offered_at timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, booking_id)
  )`.execute(db);

  // Rows a contact merge moved to the kept contact, to move back when it is undone.
  await sql`CREATE TABLE prepayment_contact_moves (
    tenant_id uuid NOT NULL REFERENCES tenants(id),
    merge_id uuid NOT NULL,
    entity text NOT NULL,
    row_id text NOT NULL,
    PRIMARY KEY (tenant_id, merge_id, entity, row_id)
  )`.execute(db);

  await sql`CREATE TABLE prepayment_reconciliations (
    tenant_id uuid NOT NULL REFERENCES tenants(id),
    day date NOT NULL,
    checked int NOT NULL,
    mismatches jsonb NOT NULL,
    created_at timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, day)
  )`.execute(db);
}
