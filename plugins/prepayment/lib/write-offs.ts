import type { DomainEvent, PluginContext, Tx } from '../../../plugin-sdk.js';
import { record } from './ledger.js';
import { specialistOf } from './payments.js';

/**
 * booking.status-changed to completed: what loyalty's tenders (points, a certificate, the deposit) paid of the
 * visit is written off in the money ledger, one entry per kind, read through loyalty's contract. Before the
 * visit they are only held (a cancellation gives them back), so the visit is when they count; a completion
 * undone returns them (`write_off_return`). Keyed by the event: a redelivered one writes nothing.
 */
export async function writeOffTenders(event: DomainEvent<{ bookingId: string; from: string; to: string }>, trx: Tx, ctx: PluginContext): Promise<void> {
  const kind = event.payload.to === 'completed' ? 'write_off' : event.payload.from === 'completed' ? 'write_off_return' : null;
  if (!kind) return;
  const tenantId = event.tenantId;
  const loyalty = await ctx.optionalService('loyalty', tenantId, trx);
  if (!loyalty) return;
  const tenders = await loyalty.tenders(tenantId, event.payload.bookingId, trx);
  if (!tenders.length) return;
  const booking = await ctx.service('booking').getBooking(tenantId, event.payload.bookingId);
  if (!booking) return;
  const specialistId = await specialistOf(ctx, tenantId, booking);
  const byKind = new Map<string, number>();
  for (const t of tenders) byKind.set(t.kind, (byKind.get(t.kind) ?? 0) + t.amount);
  for (const [method, amount] of byKind) {
    if (amount <= 0) continue;
    await record(trx, {
      tenantId, kind, amount, currency: booking.price.currency, method, bookingId: booking.id, contactId: booking.clientId,
      serviceId: booking.serviceId, specialistId, sourceKey: `${kind}:${event.id}:${method}`, at: ctx.now(),
    });
  }
}

/** What the tenders pay of each of these bookings (minor units); empty without loyalty. */
export async function tenderTotals(ctx: PluginContext, tenantId: string, bookingIds: string[]): Promise<Map<string, number>> {
  const loyalty = await ctx.optionalService('loyalty', tenantId);
  if (!loyalty) return new Map();
  const sums = await Promise.all(bookingIds.map(async (id) => [id, (await loyalty.tenders(tenantId, id)).reduce((a, t) => a + t.amount, 0)] as const));
  return new Map(sums.filter(([, s]) => s > 0));
}
