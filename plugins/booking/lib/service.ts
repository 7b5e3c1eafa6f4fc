import type { PluginContext } from '../../../plugin-sdk.js';
import type { BookingService, BookingSummary } from '../contract.js';
import { bookingConfig } from './config.js';
import { bookingQuery, toView, type BookingView } from './booking-view.js';
import { toE164 } from './phone.js';
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
      return row && summary(toView(row), await currency(tenantId));
    },

    async clientBookings(tenantId, clientId, { from, to }) {
      const rows = await bookingQuery(ctx.db, tenantId).where('b.client_id', '=', clientId).where('b.start_at', '>=', from).where('b.start_at', '<', to).orderBy('b.start_at').orderBy('b.id').execute();
      const cur = await currency(tenantId);
      return rows.map((r) => summary(toView(r), cur));
    },

    async findClientByPhone(tenantId, phone) {
      const e164 = toE164(phone, (await bookingConfig(ctx, tenantId)).defaultCountryCode);
      if (!e164) return undefined;
      return ctx.db.selectFrom('booking_clients').select(['id', 'name', 'phone']).where('tenant_id', '=', tenantId).where('phone', '=', e164).where('deleted_at', 'is', null).executeTakeFirst();
    },
  };
}
