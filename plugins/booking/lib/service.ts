import type { PluginContext } from '../../../plugin-sdk.js';
import type { BookingService, BookingSummary } from '../contract.js';
import { bookingQuery, toViews, verifiedPhone, type BookingView } from './booking-view.js';
import { toMoney } from './money.js';

const summary = (b: BookingView, currency: string): BookingSummary => ({
  id: b.id, serviceId: b.serviceId, clientId: b.client.id, status: b.status, start: b.start, end: b.end, resourceIds: b.resourceIds, seats: b.seats, price: toMoney(b.price, currency), source: b.source,
});

/** What booking offers the plugins that depend on it (`ctx.service('booking')`), typed by contract.ts. */
export function bookingService(ctx: PluginContext): BookingService {
  const currency = async (tenantId: string) => (await ctx.business(tenantId)).currency;
  return {
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
  };
}
