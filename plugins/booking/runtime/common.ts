import { DateTime } from 'luxon';
import type { Db, Locale, LocalizedText, Money, NodeRunInput, OutgoingMessage, PluginContext, Tx } from '../../../plugin-sdk.js';
import { tenantTimezone } from '../lib/config.js';
import { fromMoney, minorDigits } from '../lib/money.js';

/** Flow variables the booking nodes share; declared in nodes.ts `writes`. */
export interface BookingVars {
  bookingDepartmentId?: string | null;
  bookingServiceId?: string;
  bookingServiceName?: string;
  bookingResourceId?: string | null;
  bookingSpecialistName?: string;
  bookingDay?: string;
  bookingStart?: string;
  bookingEnd?: string;
  bookingResourceIds?: string[];
  bookingPrice?: number;
  bookingClientName?: string;
  bookingClientPhone?: string;
  /** the phone was proven the client's own (their Telegram contact, or the record tied to this chat) */
  bookingPhoneVerified?: boolean;
  bookingAsk?: 'name' | 'phone' | null;
  bookingId?: string;
  /** set when the summary is shown; a retried confirm turn finds the booking made under it */
  bookingAttempt?: string | null;
  bookingRescheduleId?: string | null;
}

export const vars = (input: NodeRunInput) => input.vars as BookingVars;

/** A node's own text from its settings (LocalizedText), else the plugin's default. */
export function say(ctx: PluginContext, input: NodeRunInput, key: string, params?: Record<string, unknown>, override?: LocalizedText): string {
  const own = override?.[input.locale] ?? override?.en;
  if (own) return ctx.render(own, params ?? {});
  return ctx.t(input.locale, key, params);
}

const LUXON_LOCALE: Record<Locale, string> = { ru: 'ru', en: 'en-GB', uk: 'uk' };

export interface Clock {
  tz: string;
  day(ms: number | string): string;
  time(ms: number | string): string;
  when(ms: number | string): string;
  /** dd.MM HH:mm, short enough for a button */
  short(ms: number | string): string;
  /** yyyy-mm-dd of an instant in the business's zone */
  date(ms: number | string): string;
}

/** `q`: the node's `input.db` (the turn's transaction for a node inside the turn). */
export async function clock(ctx: PluginContext, tenantId: string, locale: Locale, q?: Db | Tx): Promise<Clock> {
  const tz = await tenantTimezone(ctx, tenantId, q);
  const dt = (v: number | string) => (typeof v === 'number' ? DateTime.fromMillis(v, { zone: tz }) : DateTime.fromISO(v, { zone: tz })).setLocale(LUXON_LOCALE[locale]);
  return {
    tz,
    day: (v) => dt(v).toFormat('ccc, d MMMM'),
    time: (v) => dt(v).toFormat('HH:mm'),
    when: (v) => dt(v).toFormat('ccc, d MMMM, HH:mm'),
    short: (v) => dt(v).toFormat('dd.MM HH:mm'),
    date: (v) => dt(v).toISODate()!,
  };
}

/** A price as a client reads it: whole amounts without a fraction ("2 000 ₽"), others with the currency's minor digits. */
export function formatPrice(price: Money, locale: Locale): string {
  const major = fromMoney(price);
  return new Intl.NumberFormat(LUXON_LOCALE[locale], { style: 'currency', currency: price.currency, minimumFractionDigits: 0, maximumFractionDigits: Number.isInteger(major) ? 0 : minorDigits(price.currency) }).format(major);
}

export async function tenantCurrency(ctx: PluginContext, tenantId: string, q?: Db | Tx): Promise<string> {
  return (await ctx.business(tenantId, q)).currency;
}

/** Lays buttons out `perRow` to a row. */
export function grid<T>(items: T[], perRow: number): T[][] {
  const rows: T[][] = [];
  for (let i = 0; i < items.length; i += perRow) rows.push(items.slice(i, i + perRow));
  return rows;
}

export const message = (text: string, buttons?: OutgoingMessage['buttons']): OutgoingMessage => (buttons?.length ? { text, buttons } : { text });

/**
 * A phone that may identify the client: the channel's (Telegram sets it only from the sender's own
 * contact) or one the contact step verified. A typed phone proves nothing and never finds a client.
 */
export function verifiedPhone(input: NodeRunInput): string | undefined {
  const v = vars(input);
  return (v.bookingPhoneVerified ? v.bookingClientPhone : undefined) ?? input.client.phone;
}
