import { sql } from 'kysely';
import type { Db } from '../../../plugin-sdk.js';

export type BookingStatus = 'held' | 'pending' | 'confirmed' | 'arrived' | 'completed' | 'cancelled' | 'no_show' | 'expired';
export const ACTIVE_STATUSES: BookingStatus[] = ['held', 'pending', 'confirmed', 'arrived', 'completed'];
/** Statuses in which the booking may still move or be edited. */
export const OPEN_STATUSES: BookingStatus[] = ['held', 'pending', 'confirmed', 'arrived'];

export interface BookingView {
  id: string;
  start: string;
  end: string;
  status: BookingStatus;
  serviceId: string;
  serviceName: string;
  resourceIds: string[];
  client: { id: string; name: string; phone: string | null };
  /** the phone an online booking was made with, verified or not (the client record holds only a verified one) */
  contactPhone: string | null;
  price: number;
  kind: string;
  seats: number;
  source: string;
  comment: string;
  cancelReason: string | null;
  holdExpiresAt: string | null;
  sessionId: string | null;
  createdAt: string;
  updatedAt: string;
}

/** The joined select every booking read goes through, so the API shape lives in one place. */
export function bookingQuery(db: Db, tenantId: string) {
  return db.selectFrom('booking_bookings as b')
    .innerJoin('booking_clients as c', (j) => j.onRef('c.tenant_id', '=', 'b.tenant_id').onRef('c.id', '=', 'b.client_id'))
    .innerJoin('booking_services as s', (j) => j.onRef('s.tenant_id', '=', 'b.tenant_id').onRef('s.id', '=', 'b.service_id'))
    .select([
      'b.id', 'b.start_at', 'b.end_at', 'b.status', 'b.service_id', 's.name as service_name', 'b.client_id', 'c.name as client_name', 'c.phone as client_phone',
      'b.price', 'b.kind', 'b.seats', 'b.source', 'b.comment', 'b.cancel_reason', 'b.hold_expires_at', 'b.session_id', 'b.created_at', 'b.updated_at', 'b.contact_phone',
      sql<string[]>`(SELECT coalesce(array_agg(br.resource_id ORDER BY r.kind DESC, br.resource_id), '{}') FROM booking_booking_resources br
        JOIN booking_resources r ON r.tenant_id = br.tenant_id AND r.id = br.resource_id
        WHERE br.tenant_id = b.tenant_id AND br.booking_id = b.id)`.as('resource_ids'),
    ])
    .where('b.tenant_id', '=', tenantId);
}

type Row = Awaited<ReturnType<ReturnType<typeof bookingQuery>['executeTakeFirstOrThrow']>>;
const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

export function toView(r: Row): BookingView {
  return {
    id: r.id, start: iso(r.start_at)!, end: iso(r.end_at)!, status: r.status, serviceId: r.service_id, serviceName: r.service_name,
    resourceIds: r.resource_ids, client: { id: r.client_id, name: r.client_name, phone: r.client_phone }, contactPhone: r.contact_phone,
    price: Number(r.price), kind: r.kind, seats: r.seats, source: r.source, comment: r.comment, cancelReason: r.cancel_reason,
    holdExpiresAt: iso(r.hold_expires_at), sessionId: r.session_id, createdAt: iso(r.created_at)!, updatedAt: iso(r.updated_at)!,
  };
}

export async function loadBooking(db: Db, tenantId: string, id: string): Promise<BookingView | undefined> {
  const row = await bookingQuery(db, tenantId).where('b.id', '=', id).executeTakeFirst();
  return row && toView(row);
}
