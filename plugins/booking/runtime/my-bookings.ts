import type { NodeRunInput, NodeRuntime, PluginContext, Tx } from '../../../plugin-sdk.js';
import { bookingQuery, toViews, verifiedPhone as ownPhone, type BookingView } from '../lib/booking-view.js';
import { clientCutoff } from '../lib/client-cutoff.js';
import { setStatusIn } from '../lib/bookings.js';
import { clock, message, verifiedPhone } from './common.js';

/** Upcoming bookings of the client in this chat (its contact, or the one whose phone it proved; a typed phone shows nothing). */
async function upcoming(ctx: PluginContext, input: NodeRunInput): Promise<BookingView[]> {
  const { tenantId } = input;
  const phone = verifiedPhone(input);
  const own = input.conversation ? await ctx.contacts.resolve(input.db, tenantId, input.conversation) : null;
  const byPhone = phone ? await ctx.contacts.findByPhone(input.db, tenantId, phone) : null;
  const clients = [own?.id, ownPhone(byPhone ?? undefined) ? byPhone?.id : undefined].filter((id): id is string => Boolean(id));
  if (!clients.length) return [];
  const rows = await bookingQuery(input.db, tenantId).where('b.client_id', 'in', clients)
    .where('b.status', 'in', ['held', 'pending', 'confirmed']).where('b.start_at', '>', ctx.now())
    .orderBy('b.start_at').limit(10).execute();
  return toViews(ctx, input.db, tenantId, rows);
}

/** "My bookings": the list with cancel and reschedule buttons; rescheduling continues on the `reschedule` port. */
export const myBookings: NodeRuntime = async (input, ctx) => {
  const { tenantId, locale } = input;
  const clk = await clock(ctx, tenantId, locale, input.db);
  let list = await upcoming(ctx, input);
  const value = input.input?.callback ?? '';
  if (value === 'done') return { next: 'next' };
  const target = list.find((b) => b.id === value.split(':')[1]);
  const notes = [];
  if (target) {
    if ((await clientCutoff(ctx, tenantId, target.start, input.db)).tooLate) {
      notes.push(message(ctx.t(locale, 'tooLate')));
    } else if (value.startsWith('cancel:')) {
      // On the turn's transaction (this node runs inside the turn): the cancellation commits with the dialog's step.
      await setStatusIn(ctx, input.db as Tx, tenantId, target.id, 'cancelled', { kind: 'client', id: null }, ctx.t(locale, 'cancelReason'));
      notes.push(message(ctx.t(locale, 'cancelled', { when: clk.when(target.start) })));
      list = list.filter((b) => b.id !== target.id);
    } else if (value.startsWith('move:')) {
      const staff = await input.db.selectFrom('booking_resources').select(['id', 'name']).where('tenant_id', '=', tenantId).where('id', 'in', target.resourceIds).where('kind', '=', 'staff').executeTakeFirst();
      return {
        set: {
          bookingRescheduleId: target.id, bookingServiceId: target.serviceId, bookingServiceName: target.serviceName, bookingResourceId: staff?.id ?? null, bookingSpecialistName: staff?.name ?? '',
          bookingClientName: target.client.name, bookingClientPhone: target.client.phone,
        },
        next: 'reschedule',
      };
    }
  }
  if (!list.length) return { messages: [...notes, message(ctx.t(locale, 'noBookings'))], next: 'next' };
  const text = ctx.t(locale, 'yourBookings', { list: list.map((b) => ctx.t(locale, 'bookingLine', { when: clk.when(b.start), service: b.serviceName })).join('\n') });
  const buttons = [
    ...list.map((b) => {
      const when = clk.short(b.start);
      return [{ label: ctx.t(locale, 'cancelButton', { when }), value: `cancel:${b.id}` }, { label: ctx.t(locale, 'moveButton', { when }), value: `move:${b.id}` }];
    }),
    [{ label: ctx.t(locale, 'done'), value: 'done' }],
  ];
  return { messages: [...notes, message(text, buttons)], wait: true };
};
