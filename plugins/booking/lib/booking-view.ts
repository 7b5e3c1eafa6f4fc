import { sql } from 'kysely';
import type { Contact, Db, PluginContext } from '../../../plugin-sdk.js';
import type { BookingOrigin } from './bookings.js';

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
  /** the client (a contact of the business); `phone` is its verified one */
  client: { id: string; name: string; phone: string | null };
  /** the phone an online booking was made with, verified or not (the client's `phone` is only a verified one) */
  contactPhone: string | null;
  price: number;
  kind: string;
  seats: number;
  source: string;
  comment: string;
  cancelReason: string | null;
  holdExpiresAt: string | null;
  /** when the client confirmed they will come (a reminder's button), null until then */
  clientConfirmedAt: string | null;
  sessionId: string | null;
  /** made from a studio test chat: not a real visit (left out of exports and reports) */
  test: boolean;
  createdAt: string;
  updatedAt: string;
}

/** The joined select every booking read goes through, so the API shape lives in one place; clients come from ctx.contacts (toViews). */
export function bookingQuery(db: Db, tenantId: string) {
  return db.selectFrom('booking_bookings as b')
    .innerJoin('booking_services as s', (j) => j.onRef('s.tenant_id', '=', 'b.tenant_id').onRef('s.id', '=', 'b.service_id'))
    .select([
      'b.id', 'b.start_at', 'b.end_at', 'b.status', 'b.service_id', 's.name as service_name', 'b.client_id',
      'b.price', 'b.kind', 'b.seats', 'b.source', 'b.comment', 'b.cancel_reason', 'b.hold_expires_at', 'b.session_id', 'b.created_at', 'b.updated_at', 'b.contact_phone', 'b.client_confirmed_at', 'b.test',
      sql<string[]>`(SELECT coalesce(array_agg(br.resource_id ORDER BY r.kind DESC, br.resource_id), '{}') FROM booking_booking_resources br
        JOIN booking_resources r ON r.tenant_id = br.tenant_id AND r.id = br.resource_id
        WHERE br.tenant_id = b.tenant_id AND br.booking_id = b.id)`.as('resource_ids'),
    ])
    .where('b.tenant_id', '=', tenantId);
}

export type BookingRow = Awaited<ReturnType<ReturnType<typeof bookingQuery>['executeTakeFirstOrThrow']>>;
type Row = BookingRow;
const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

/** The contact's verified phone: the one that is the client's own (a typed one is only noted). */
export const verifiedPhone = (c: Contact | undefined) => c?.identities.find((i) => i.kind === 'phone' && i.verified)?.value ?? null;

function toView(r: Row, client: Contact | undefined): BookingView {
  return {
    id: r.id, start: iso(r.start_at)!, end: iso(r.end_at)!, status: r.status, serviceId: r.service_id, serviceName: r.service_name,
    // A deleted contact's bookings stay in the books, nameless.
    resourceIds: r.resource_ids, client: { id: r.client_id, name: client?.name ?? '—', phone: verifiedPhone(client) }, contactPhone: r.contact_phone,
    price: Number(r.price), kind: r.kind, seats: r.seats, source: r.source, comment: r.comment, cancelReason: r.cancel_reason,
    holdExpiresAt: iso(r.hold_expires_at), clientConfirmedAt: iso(r.client_confirmed_at), sessionId: r.session_id, test: r.test, createdAt: iso(r.created_at)!, updatedAt: iso(r.updated_at)!,
  };
}

/**
 * Rows of bookingQuery as views, their clients read in one call; `db`: the caller's transaction, when it holds one;
 * `known`: clients the caller has just read in it (they are not read again).
 */
export async function toViews(ctx: PluginContext, db: Db, tenantId: string, rows: Row[], known: Contact[] = []): Promise<BookingView[]> {
  const clients = new Map(known.map((c) => [c.id, c]));
  const missing = rows.map((r) => r.client_id).filter((id) => !clients.has(id));
  for (const c of missing.length ? await ctx.contacts.getMany(db, tenantId, missing) : []) clients.set(c.id, c);
  return rows.map((r) => toView(r, clients.get(r.client_id)));
}

export async function loadBooking(ctx: PluginContext, db: Db, tenantId: string, id: string, known?: Contact[]): Promise<BookingView | undefined> {
  const row = await bookingQuery(db, tenantId).where('b.id', '=', id).executeTakeFirst();
  return row && (await toViews(ctx, db, tenantId, [row], known))[0];
}

/** Where a booking came from (its details only: lists, history and events leave the client's answers out). */
export async function loadOrigin(db: Db, tenantId: string, id: string): Promise<BookingOrigin | undefined> {
  const row = await db.selectFrom('booking_bookings').select(['origin', 'origin_channel', 'origin_answers']).where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
  return row && { source: row.origin, channel: row.origin_channel, answers: row.origin_answers };
}
