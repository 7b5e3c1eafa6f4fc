import { sql, type InsertQueryBuilder, type RawBuilder } from 'kysely';
import type { Tx } from '../../../plugin-sdk.js';
import type { BookingRow } from './booking-view.js';

/** What a booking takes of its resources: the time with the service's buffers, shared by a group's seats. */
export interface Occupation {
  resourceIds: string[];
  from: Date;
  to: Date;
  /** the group session the seats are of; alone, a booking is its own session */
  sessionId: string | null;
  holdExpiresAt: Date | null;
}

/** Bookings whose hold ran out by `now` and still keep these resources at these times. */
export function runOutOn(tenantId: string, at: { resourceIds: string[]; from: Date; to: Date }, now: Date): RawBuilder<{ id: string }> {
  return sql<{ id: string }>`
    SELECT DISTINCT booking_id AS id FROM booking_booking_resources
    WHERE tenant_id = ${tenantId} AND resource_id = ANY(${at.resourceIds}::uuid[]) AND active AND hold_expires_at <= ${now} AND busy && tstzrange(${at.from}, ${at.to})`;
}

export async function takeResources(trx: Tx, tenantId: string, bookingId: string, o: Occupation): Promise<void> {
  await trx.insertInto('booking_booking_resources').values(o.resourceIds.map((resourceId) => ({
    tenant_id: tenantId, booking_id: bookingId, resource_id: resourceId, busy: sql`tstzrange(${o.from}, ${o.to})`, session_key: o.sessionId ?? bookingId, hold_expires_at: o.holdExpiresAt,
  }))).execute();
}

/**
 * Inserts a booking (`insert`, returning all its columns) and takes its resources in one statement, and answers the
 * booking as bookingQuery reads it. A run-out hold in the way (`runOut`, in id order) is not expired here: then no
 * resource is taken, and the caller expires those holds and takes them (takeResources).
 */
export async function insertOccupying(trx: Tx, tenantId: string, insert: InsertQueryBuilder<any, any, any>, o: Occupation, now: Date): Promise<{ row: BookingRow; runOut: string[] }> {
  const { rows } = await sql<BookingRow & { run_out: string[] }>`/* prepared */ WITH run_out AS (${runOutOn(tenantId, o, now)}),
    b AS (${insert}),
    r AS (
      INSERT INTO booking_booking_resources (tenant_id, booking_id, resource_id, busy, session_key, hold_expires_at)
      SELECT b.tenant_id, b.id, x.id, tstzrange(${o.from}, ${o.to}), coalesce(${o.sessionId}::uuid, b.id), ${o.holdExpiresAt}::timestamptz
      FROM b, unnest(${o.resourceIds}::uuid[]) AS x(id) WHERE NOT EXISTS (SELECT 1 FROM run_out)
      RETURNING resource_id)
    SELECT b.id, b.start_at, b.end_at, b.status, b.service_id, s.name AS service_name, b.client_id, b.price, b.kind, b.seats, b.source,
      b.comment, b.cancel_reason, b.hold_expires_at, b.session_id, b.created_at, b.updated_at, b.contact_phone, b.client_confirmed_at, b.test,
      (SELECT coalesce(array_agg(r.resource_id ORDER BY res.kind DESC, r.resource_id), '{}') FROM r
        JOIN booking_resources res ON res.tenant_id = b.tenant_id AND res.id = r.resource_id) AS resource_ids,
      (SELECT coalesce(array_agg(id ORDER BY id), '{}') FROM run_out) AS run_out
    FROM b JOIN booking_services s ON s.tenant_id = b.tenant_id AND s.id = b.service_id`.execute(trx);
  const { run_out: runOut, ...row } = rows[0];
  return { row, runOut };
}
