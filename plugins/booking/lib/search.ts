import { sql } from 'kysely';
import type { AuthInfo, Db, PluginContext } from '../../../plugin-sdk.js';
import { bookingQuery, toViews, type BookingView } from './booking-view.js';

export interface BookingFilter {
  from?: string;
  to?: string;
  /** one status or several, comma-separated */
  status?: string;
  /** client name or phone, or words of the comment */
  q?: string;
  serviceId?: string;
  resourceId?: string;
  clientId?: string;
  /** test chats' bookings: listed (and marked) unless false; exports pass false */
  test?: boolean;
  limit?: number;
  offset?: number;
}

const CLIENT_MATCHES = 200;

/**
 * The filtered booking list that the API, the CSV and the XLSX export all share, so an export
 * holds exactly what the list shows. A specialist sees only bookings on their own resources.
 */
export async function searchBookings(ctx: PluginContext, tenantId: string, f: BookingFilter, auth: AuthInfo | null): Promise<{ items: BookingView[]; total: number }> {
  const { db } = ctx;
  let q = bookingQuery(db, tenantId);
  if (f.from) q = q.where('b.start_at', '>=', new Date(f.from));
  if (f.to) q = q.where('b.start_at', '<', new Date(f.to));
  if (f.status) q = q.where('b.status', 'in', f.status.split(',').map((s) => s.trim()).filter(Boolean));
  if (f.serviceId) q = q.where('b.service_id', '=', f.serviceId);
  if (f.clientId) q = q.where('b.client_id', '=', f.clientId);
  if (f.test !== undefined) q = q.where('b.test', '=', f.test);
  const onResource = (resourceFilter: (sub: any) => any) =>
    q.where((eb) => eb.exists(resourceFilter(eb.selectFrom('booking_booking_resources as br').select('br.booking_id').whereRef('br.tenant_id', '=', 'b.tenant_id').whereRef('br.booking_id', '=', 'b.id'))));
  if (f.resourceId) q = onResource((sub) => sub.where('br.resource_id', '=', f.resourceId));
  if (auth?.role === 'specialist') {
    q = onResource((sub) => sub.innerJoin('booking_resources as own', (j: any) => j.onRef('own.tenant_id', '=', 'br.tenant_id').onRef('own.id', '=', 'br.resource_id')).where('own.user_id', '=', auth.userId));
  }
  if (f.q?.trim()) {
    const text = f.q.trim();
    const like = `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    const digits = text.replace(/\D/g, '');
    // Clients by name or phone in any format (ctx.contacts); a very broad text finds the first CLIENT_MATCHES of them.
    const clients = (await ctx.contacts.search(db, tenantId, { q: text, limit: CLIENT_MATCHES })).items.map((c) => c.id);
    q = q.where((eb) => eb.or([
      ...(clients.length ? [eb('b.client_id', 'in', clients)] : []),
      eb('b.comment', 'ilike', like),
      ...(digits.length >= 3 ? [eb('b.contact_phone', 'like', `%${digits}%`)] : []),
      eb(sql<string>`to_tsvector('simple', b.comment)`, '@@', sql<string>`plainto_tsquery('simple', ${text})`),
    ]));
  }
  const { total } = await db.selectFrom(q.as('filtered')).select((eb) => eb.fn.countAll<string>().as('total')).executeTakeFirstOrThrow();
  const rows = await q.orderBy('b.start_at').orderBy('b.id').limit(f.limit ?? 100).offset(f.offset ?? 0).execute();
  return { items: await toViews(ctx, db, tenantId, rows), total: Number(total) };
}

/** A specialist reaches only bookings on their own resources; anyone else every booking of the business. */
export async function canReach(db: Db, tenantId: string, bookingId: string, auth: AuthInfo | null): Promise<boolean> {
  if (auth?.role !== 'specialist') return true;
  const own = await db.selectFrom('booking_booking_resources as br').innerJoin('booking_resources as r', (j) => j.onRef('r.tenant_id', '=', 'br.tenant_id').onRef('r.id', '=', 'br.resource_id'))
    .select('br.booking_id').where('br.tenant_id', '=', tenantId).where('br.booking_id', '=', bookingId).where('r.user_id', '=', auth.userId).executeTakeFirst();
  return Boolean(own);
}
