import type { NodeRuntime } from '../../../plugin-sdk.js';
import { verifiedPhone as ownPhone } from '../lib/booking-view.js';
import { message, vars, verifiedPhone } from './common.js';

/** Name and phone of a new client; a client we already know (the chat's contact, or a proven phone's) with a verified phone is not asked again. */
export const askContact: NodeRuntime = async (input, ctx) => {
  const { tenantId, locale, settings } = input;
  const v = vars(input);
  const phoneNow = verifiedPhone(input);
  if (!input.input) {
    const own = input.conversation ? await ctx.contacts.resolve(input.db, tenantId, input.conversation) : null;
    const known = [own, phoneNow ? await ctx.contacts.findByPhone(input.db, tenantId, phoneNow) : null].find((c) => c && ownPhone(c));
    if (known) return { set: { bookingClientName: known.name, bookingClientPhone: ownPhone(known), bookingPhoneVerified: true, bookingAsk: null }, next: 'next' };
  }
  const askPhone = () => ({ messages: [{ text: ctx.t(locale, 'askPhone'), requestContact: { label: ctx.t(locale, 'shareContact') } }], set: { bookingAsk: 'phone' }, wait: true });
  const askName = () => ({
    messages: [message(ctx.t(locale, 'askName'), input.client.name ? [[{ label: input.client.name, value: `name:${input.client.name}` }]] : undefined)],
    set: { bookingAsk: 'name' }, wait: true,
  });

  if (v.bookingAsk === 'name' && input.input) {
    const name = (input.input.callback?.startsWith('name:') ? input.input.callback.slice(5) : input.input.text ?? '').trim().slice(0, 200);
    if (!name) return askName();
    return { ...askPhone(), set: { bookingClientName: name, bookingAsk: 'phone' } };
  }
  if (v.bookingAsk === 'phone' && input.input) {
    const { contact } = input.input;
    const phone = await ctx.contacts.normalizePhone(tenantId, contact?.phone ?? input.input.text ?? '', input.db);
    if (!phone) return { messages: [{ text: ctx.t(locale, 'phoneInvalid'), requestContact: { label: ctx.t(locale, 'shareContact') } }], wait: true };
    const name = v.bookingClientName || contact?.name || input.client.name || phone;
    return { set: { bookingClientPhone: phone, bookingClientName: name, bookingPhoneVerified: contact?.verified === true, bookingAsk: null }, next: 'next' };
  }
  return settings.askName === false ? askPhone() : askName();
};
