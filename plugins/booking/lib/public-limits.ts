import { sql } from 'kysely';
import type { PluginContext, Tx } from '../../../plugin-sdk.js';
import { OPEN_STATUSES } from './booking-view.js';

/** Limits of one anonymous (widget, integrator) booking; `phone` is E.164, proven or not. */
export interface PublicLimits {
  phone: string;
  maxUpcoming: number;
  maxPerHour: number;
}

/** Serializes the public bookings of one phone in one business until commit, so parallel requests cannot pass the count together. */
export async function lockPhone(trx: Tx, tenantId: string, phone: string): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(hashtext(${tenantId}::text), hashtext(${`booking-phone:${phone}`}::text))`.execute(trx);
}

/**
 * Upcoming open public bookings of the phone (exact: under lockPhone), and public bookings of the business in the last hour.
 * The hourly count takes no lock (one business-wide lock would queue every booking of the business): a burst in flight may pass it by a few.
 */
export async function checkPublicLimits(ctx: PluginContext, trx: Tx, tenantId: string, l: PublicLimits): Promise<void> {
  const { rows: [n] } = await sql<{ upcoming: number; lastHour: number }>`SELECT
      (SELECT count(*) FROM booking_bookings WHERE tenant_id = ${tenantId} AND contact_phone = ${l.phone} AND source = 'widget'
        AND status = ANY(${OPEN_STATUSES}::text[]) AND start_at > ${ctx.now()})::int AS upcoming,
      -- created_at is the database's stamp: its window is on the database's now()
      (SELECT count(*) FROM booking_bookings WHERE tenant_id = ${tenantId} AND source = 'widget' AND created_at > now() - interval '1 hour')::int AS "lastHour"`.execute(trx);
  if (n.upcoming >= l.maxUpcoming) throw ctx.error('BF_ERR_BOOKING_PHONE_LIMIT', { max: l.maxUpcoming });
  if (n.lastHour >= l.maxPerHour) throw ctx.error('BF_ERR_BOOKING_PUBLIC_LIMIT', { max: l.maxPerHour });
}
