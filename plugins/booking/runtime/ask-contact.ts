import type { NodeRuntime } from '../../../plugin-sdk.js';
import { bookingConfig } from '../lib/config.js';
import { toE164 } from '../lib/phone.js';
import { message, telegramChat, vars, verifiedPhone } from './common.js';

/** Name and phone of a new client; a client we already know (by Telegram chat or verified phone) is not asked again. */
export const askContact: NodeRuntime = async (input, ctx) => {
  const { tenantId, locale, settings } = input;
  const v = vars(input);
  const chat = telegramChat(input);
  const phoneNow = verifiedPhone(input);
  if (!input.input) {
    const known = chat || phoneNow
      ? await input.db.selectFrom('booking_clients').select(['name', 'phone']).where('tenant_id', '=', tenantId).where('deleted_at', 'is', null).where('phone', 'is not', null)
        .where((eb) => eb.or([...(chat ? [eb('telegram_chat_id', '=', chat)] : []), ...(phoneNow ? [eb('phone', '=', phoneNow)] : [])])).executeTakeFirst()
      : undefined;
    if (known) return { set: { bookingClientName: known.name, bookingClientPhone: known.phone, bookingPhoneVerified: true, bookingAsk: null }, next: 'next' };
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
    const { defaultCountryCode } = await bookingConfig(ctx, tenantId, input.db);
    const { contact } = input.input;
    const phone = toE164(contact?.phone ?? input.input.text ?? '', defaultCountryCode);
    if (!phone) return { messages: [{ text: ctx.t(locale, 'phoneInvalid'), requestContact: { label: ctx.t(locale, 'shareContact') } }], wait: true };
    const name = v.bookingClientName || contact?.name || input.client.name || phone;
    return { set: { bookingClientPhone: phone, bookingClientName: name, bookingPhoneVerified: contact?.verified === true, bookingAsk: null }, next: 'next' };
  }
  return settings.askName === false ? askPhone() : askName();
};
