import type { PluginContext } from '../../../plugin-sdk.js';
import type { BookingService, BookingSummary } from '../contract.js';
import { bookingQuery, toViews, verifiedPhone, type BookingView } from './booking-view.js';
import { toMoney } from './money.js';
import { createBookingOnce, inTransaction, patchBooking } from './bookings.js';
import { claimOffer } from './waitlist.js';
import { confirmByClientIn } from './client-confirm.js';
import { cancelByClientIn } from './client-cancel.js';
import { addException } from './exceptions.js';
import { findSlots } from './availability.js';
import { bookingConfig, tenantTimezone } from './config.js';
import { workIntervals } from './work-time.js';

const summary = (b: BookingView, currency: string): BookingSummary => ({
  id: b.id, serviceId: b.serviceId, clientId: b.client.id, status: b.status, start: b.start, end: b.end, resourceIds: b.resourceIds, seats: b.seats, price: toMoney(b.price, currency), source: b.source,
  serviceName: b.serviceName, clientConfirmedAt: b.clientConfirmedAt,
});

/** What booking offers the plugins that depend on it (`ctx.service('booking')`), typed by contract.ts. */
export function bookingService(ctx: PluginContext): BookingService {
  const currency = async (tenantId: string) => (await ctx.business(tenantId)).currency;
  return {
    async services(tenantId, ids, db = ctx.db) {
      let q = db.selectFrom('booking_services as s').innerJoin('booking_departments as d', (j) => j.onRef('d.tenant_id', '=', 's.tenant_id').onRef('d.id', '=', 's.department_id'))
        .select(['s.id', 's.name', 's.department_id', 's.kind', 's.price', 'd.name as department_name', 's.requires_contract']).where('s.tenant_id', '=', tenantId);
      q = ids ? q.where('s.id', 'in', ids.length ? ids : [null as unknown as string]) : q.where('s.deleted_at', 'is', null);
      const cur = (await ctx.business(tenantId, db)).currency;
      return (await q.orderBy('s.sort').orderBy('s.name').execute()).map((r) => ({
        id: r.id, name: r.name, departmentId: r.department_id, kind: r.kind, price: toMoney(Number(r.price), cur), departmentName: r.department_name, requiresContract: r.requires_contract,
      }));
    },

    async resources(tenantId, ids, db = ctx.db) {
      let q = db.selectFrom('booking_resources').select(['id', 'name', 'kind', 'user_id']).where('tenant_id', '=', tenantId);
      q = ids ? q.where('id', 'in', ids.length ? ids : [null as unknown as string]) : q.where('deleted_at', 'is', null);
      return (await q.orderBy('sort').orderBy('name').execute()).map((r) => ({ id: r.id, name: r.name, kind: r.kind, userId: r.user_id }));
    },

    async workingMinutes(tenantId, resourceIds, { from, to }) {
      const work = await workIntervals(ctx, tenantId, resourceIds, await tenantTimezone(ctx, tenantId), from.getTime(), to.getTime());
      return Object.fromEntries([...work].map(([id, w]) => [id, w.work.reduce((n, i) => n + (i.end - i.start) / 60_000, 0)]));
    },

    async getBooking(tenantId, id) {
      const row = await bookingQuery(ctx.db, tenantId).where('b.id', '=', id).executeTakeFirst();
      return row && summary((await toViews(ctx, ctx.db, tenantId, [row]))[0], await currency(tenantId));
    },

    async clientBookings(tenantId, clientId, { from, to }) {
      const rows = await bookingQuery(ctx.db, tenantId).where('b.client_id', '=', clientId).where('b.start_at', '>=', from).where('b.start_at', '<', to).orderBy('b.start_at').orderBy('b.id').execute();
      const cur = await currency(tenantId);
      return (await toViews(ctx, ctx.db, tenantId, rows)).map((b) => summary(b, cur));
    },

    async findClientByPhone(tenantId, phone) {
      // Only a verified phone is the client's own: a typed one may be anybody's.
      const contact = await ctx.contacts.findByPhone(ctx.db, tenantId, phone);
      const own = verifiedPhone(contact ?? undefined);
      return contact && own ? { id: contact.id, name: contact.name, phone: own } : undefined;
    },

    async bookings(tenantId, { from, to, resourceIds, statuses }, db = ctx.db) {
      // For reports and other plugins' counts: a test chat's bookings are not visits.
      let query = bookingQuery(db, tenantId).where('b.start_at', '>=', from).where('b.start_at', '<', to).where('b.test', '=', false);
      if (statuses?.length) query = query.where('b.status', 'in', statuses);
      if (resourceIds?.length) {
        query = query.where((eb) => eb.exists(eb.selectFrom('booking_booking_resources as br').select('br.booking_id')
          .whereRef('br.tenant_id', '=', 'b.tenant_id').whereRef('br.booking_id', '=', 'b.id').where('br.resource_id', 'in', resourceIds)));
      }
      const cur = (await ctx.business(tenantId, db)).currency;
      return (await toViews(ctx, db, tenantId, await query.orderBy('b.start_at').orderBy('b.id').limit(5000).execute())).map((b) => summary(b, cur));
    },

    async slots(tenantId, { serviceId, from, to, resourceIds, excludeBookingId }) {
      const cfg = await bookingConfig(ctx, tenantId);
      const { slots } = await findSlots(ctx, { tenantId, serviceId, from: from.getTime(), to: to.getTime(), resourceIds, excludeBookingId }, cfg);
      const cur = await currency(tenantId);
      return slots.map((s) => ({ start: new Date(s.start).toISOString(), end: new Date(s.end).toISOString(), resourceIds: s.resourceIds, price: toMoney(s.price, cur), ...(s.seatsLeft === undefined ? {} : { seatsLeft: s.seatsLeft }) }));
    },

    async create(tenantId, req) {
      const { view } = await createBookingOnce(ctx, { ...req, tenantId, origin: { source: 'plugin' } });
      return summary(view, await currency(tenantId));
    },

    async setStatus(tenantId, id, status, actor, reason) {
      return summary(await patchBooking(ctx, tenantId, id, { status, ...(reason === undefined ? {} : { cancelReason: reason }) }, actor), await currency(tenantId));
    },

    async reschedule(tenantId, id, to, actor) {
      return summary(await patchBooking(ctx, tenantId, id, { start: to.start.toISOString(), resourceIds: to.resourceIds }, actor), await currency(tenantId));
    },

    async confirmByClient(tenantId, id, clientId) {
      return summary(await inTransaction(ctx, undefined, (trx) => confirmByClientIn(ctx, trx, tenantId, id, clientId)), await currency(tenantId));
    },

    async cancelByClient(tenantId, id, clientId, reason) {
      return summary(await inTransaction(ctx, undefined, (trx) => cancelByClientIn(ctx, trx, tenantId, id, clientId, reason)), await currency(tenantId));
    },

    async claimWaitlistOffer(tenantId, waitlistId, actor) {
      const cfg = await bookingConfig(ctx, tenantId);
      return summary(await inTransaction(ctx, undefined, (trx) => claimOffer(ctx, trx, tenantId, waitlistId, actor, cfg)), await currency(tenantId));
    },

    async blockPeriod(tenantId, block, actorId) {
      const { exception, affectedBookings } = await addException(ctx, tenantId, { ...block, start: block.start.toISOString(), end: block.end.toISOString() }, actorId);
      return { exceptionId: exception.id, affectedBookingIds: affectedBookings.map((b) => b.id) };
    },

    async names(tenantId, { serviceIds = [], resourceIds = [] }) {
      const [services, resources] = await Promise.all([
        serviceIds.length ? ctx.db.selectFrom('booking_services').select(['id', 'name']).where('tenant_id', '=', tenantId).where('id', 'in', serviceIds).execute() : [],
        resourceIds.length ? ctx.db.selectFrom('booking_resources').select(['id', 'name', 'kind']).where('tenant_id', '=', tenantId).where('id', 'in', resourceIds).execute() : [],
      ]);
      return { services, resources };
    },
  };
}
