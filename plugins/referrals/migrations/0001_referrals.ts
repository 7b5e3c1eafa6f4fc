import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`CREATE TABLE referrals_codes (
    tenant_id uuid NOT NULL REFERENCES tenants(id),
    contact_id uuid NOT NULL,
    code text NOT NULL,
    PRIMARY KEY (tenant_id, contact_id),
    UNIQUE (tenant_id, code)
  )`.execute(db);
  // One referrer per friend, known by contact (the bot) or by phone (a web link before the first booking).
  await sql`CREATE TABLE referrals_referrals (
    tenant_id uuid NOT NULL REFERENCES tenants(id),
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    referrer_contact_id uuid NOT NULL,
    friend_contact_id uuid,
    friend_phone text,
    first_booking_id uuid,
    status text NOT NULL CHECK (status IN ('pending', 'converted')),
    bonus_points integer NOT NULL DEFAULT 0,
    -- completions undone so far: each completion's bonus is its own ledger source
    bonus_rounds integer NOT NULL DEFAULT 0,
    created_at timestamptz NOT NULL,
    converted_at timestamptz,
    CHECK (friend_contact_id IS NOT NULL OR friend_phone IS NOT NULL),
    PRIMARY KEY (tenant_id, id),
    CONSTRAINT referrals_friend_contact_key UNIQUE (tenant_id, friend_contact_id),
    CONSTRAINT referrals_friend_phone_key UNIQUE (tenant_id, friend_phone)
  )`.execute(db);
}
