import crypto from 'node:crypto';
import type { NodeRunInput, NodeRuntime } from '../../../plugin-sdk.js';
import { createBooking, isRefusal, patchBooking, type BookingOrigin } from '../lib/bookings.js';
import { toMoney } from '../lib/money.js';
import { clock, formatPrice, message, tenantCurrency, vars } from './common.js';

/** The channels a flow's booking is told to come by; a flow run for a contact no chat reaches has none. */
const CHAT_CHANNELS = new Set(['telegram', 'webchat']);

/** Where a chat's booking came from: the flow (or the studio's test chat), its channel and the client's answers. */
const chatOrigin = (input: NodeRunInput): BookingOrigin => ({
  source: input.test ? 'test-chat' : 'flow',
  channel: CHAT_CHANNELS.has(input.client.channel) ? input.client.channel : null,
  answers: input.answers ?? [],
});

const RETRY_CODES = new Set(['BF_ERR_SLOT_TAKEN', 'BF_ERR_BOOKING_SLOT_UNAVAILABLE', 'BF_ERR_BOOKING_GROUP_FULL']);

/** Shows the summary; on "confirm" books (or moves the booking being rescheduled). A time taken meanwhile leads back. */
export const confirm: NodeRuntime = async (input, ctx) => {
  const { tenantId, locale } = input;
  const v = vars(input);
  const value = input.input?.callback;
  if (value === 'back') return { next: 'back' };
  if (value === 'no') return { messages: [message(ctx.t(locale, 'abandoned'))], set: { bookingRescheduleId: null }, next: 'cancel' };
  if (!v.bookingServiceId || !v.bookingStart) return { next: 'back' };
  const clk = await clock(ctx, tenantId, locale);
  const when = clk.when(v.bookingStart);

  if (value === 'yes') {
    try {
      const actor = { kind: 'client' as const, id: null };
      const booking = v.bookingRescheduleId
        ? await patchBooking(ctx, tenantId, v.bookingRescheduleId, { start: v.bookingStart, resourceIds: v.bookingResourceIds }, actor)
        : await createBooking(ctx, {
          tenantId, serviceId: v.bookingServiceId, start: new Date(v.bookingStart), resourceIds: v.bookingResourceIds, source: 'chat', actor, origin: chatOrigin(input),
          // A turn that fails after the booking committed is run again with the same variables: same key, same booking.
          idempotencyKey: v.bookingAttempt ? `chat:${input.client.channel}:${input.client.chatId ?? input.client.id}:${input.nodeId}:${v.bookingAttempt}` : undefined,
          client: { name: v.bookingClientName, phone: v.bookingClientPhone, phoneVerified: v.bookingPhoneVerified === true, conversation: input.conversation },
          ...(input.test ? { test: { chat: input.client.chatId ?? input.client.id } } : {}),
        });
      // A test chat's booking is held too, briefly, with nothing to pay.
      const key = v.bookingRescheduleId ? 'rescheduled' : booking.status === 'held' && !input.test ? 'heldForPayment' : 'booked';
      return { messages: [message(ctx.t(locale, key, { service: v.bookingServiceName, when: clk.when(booking.start) }))], set: { bookingId: booking.id, bookingRescheduleId: null, bookingAttempt: null }, next: 'next' };
    } catch (e) {
      // Another plugin refused (a loyalty rule, a payment still due): its own words, then another choice.
      if (isRefusal(e)) return { messages: [message(ctx.errorMessage(e, locale))], next: 'back' };
      if (!RETRY_CODES.has((e as { code?: string }).code ?? '')) throw e;
      return { messages: [message(ctx.t(locale, 'slotTaken'))], next: 'back' };
    }
  }

  const currency = await tenantCurrency(ctx, tenantId);
  const text = ctx.t(locale, 'summary', {
    service: v.bookingServiceName, when, price: formatPrice(toMoney(Number(v.bookingPrice ?? 0), currency), locale),
    specialist: v.bookingSpecialistName ? ctx.t(locale, 'specialistLine', { name: v.bookingSpecialistName }) : '',
    name: v.bookingClientName ?? '', phone: v.bookingClientPhone ?? '',
  });
  return {
    messages: [message(text, [[{ label: ctx.t(locale, 'confirm'), value: 'yes' }], [{ label: ctx.t(locale, 'changeTime'), value: 'back' }, { label: ctx.t(locale, 'cancel'), value: 'no' }]])],
    set: { bookingAttempt: crypto.randomUUID() },
    wait: true,
  };
};
