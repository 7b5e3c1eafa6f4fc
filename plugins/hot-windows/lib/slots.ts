import { DateTime } from 'luxon';
import type { Locale, LocalizedText, Money, PluginContext } from '../../../plugin-sdk.js';
import type { BookingSlot } from '../../booking/contract.js';
import { SLOT_COLORS } from './config.js';
import { discounted, windowOf, type HotWindow } from './windows.js';
import { liveWindows } from './live-windows.js';

export interface CalendarSlot extends BookingSlot {
  kind: keyof typeof SLOT_COLORS;
  color: string;
  /** what the client pays: the discounted price of a hot slot */
  pay: Money;
  windowId: string | null;
  prepayment: Money | null;
}

const LUXON: Record<Locale, string> = { ru: 'ru', en: 'en-GB', uk: 'uk' };

const minorDigits = (currency: string) => new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
/** Money in major units (booking's flow variables keep prices so). */
export const major = (m: Money) => m.amount / 10 ** minorDigits(m.currency);
export const toMinor = (amount: number, currency: string): Money => ({ amount: Math.round(amount * 10 ** minorDigits(currency)), currency });

export const price = (m: Money, locale: Locale) =>
  new Intl.NumberFormat(LUXON[locale], { style: 'currency', currency: m.currency, minimumFractionDigits: 0, maximumFractionDigits: Number.isInteger(major(m)) ? 0 : minorDigits(m.currency) }).format(major(m));

export const when = (start: string, timezone: string, locale: Locale) => DateTime.fromISO(start, { zone: timezone }).setLocale(LUXON[locale]).toFormat('ccc d MMM, HH:mm');

/** One text in every language from this plugin's locales. */
export const everyLanguage = (ctx: PluginContext, key: string, vars: (l: Locale) => Record<string, unknown>): LocalizedText =>
  ({ en: ctx.t('en', key, vars('en')), ru: ctx.t('ru', key, vars('ru')), uk: ctx.t('uk', key, vars('uk')) });

/** Free slots of a service in [from, to), each marked regular, hot (with its price after the discount) or online. */
export async function calendar(ctx: PluginContext, tenantId: string, serviceId: string, from: Date, to: Date, windows?: HotWindow[]): Promise<CalendarSlot[]> {
  const booking = ctx.service('booking');
  const [service, business] = await Promise.all([booking.services(tenantId, [serviceId]).then((r) => r[0]), ctx.business(tenantId)]);
  if (!service) throw ctx.error('BF_ERR_BOOKING_SERVICE_NOT_FOUND', { id: serviceId });
  const live = windows ?? (await liveWindows(ctx).of(tenantId, business.timezone));
  const now = ctx.now();
  return (await booking.slots(tenantId, { serviceId, from, to })).map((s) => {
    const w = windowOf(live, business.timezone, now, { serviceId, start: s.start, resourceIds: s.resourceIds });
    const kind = w ? 'hot' : service.kind === 'online' ? 'online' : 'regular';
    return { ...s, kind, color: SLOT_COLORS[kind], pay: w ? discounted(s.price, w.discountPercent) : s.price, windowId: w?.id ?? null, prepayment: w?.prepayment ?? null };
  });
}
