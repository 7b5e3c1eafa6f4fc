import { sql, type Kysely } from 'kysely';

/**
 * A booking's list price and the discounts other plugins gave it (booking.created's `pricing`: hot windows,
 * referrals), kept for the price breakdown the client and the desk see. Minor units; a discount is positive.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`CREATE TABLE prepayment_prices (
    tenant_id uuid NOT NULL REFERENCES tenants(id),
    booking_id uuid NOT NULL,
    list_price bigint NOT NULL CHECK (list_price >= 0),
    currency text NOT NULL,
    discounts jsonb NOT NULL,
    PRIMARY KEY (tenant_id, booking_id)
  )`.execute(db);
}

