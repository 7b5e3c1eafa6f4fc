import { DateTime } from 'luxon';
import type { Contact, Locale, LocalizedText, MessageButton, PluginContext } from '../../../plugin-sdk.js';
import type { BookingSummary } from '../../booking/contract.js';
import type { PrepaymentService } from '../../prepayment/contract.js';
import type { LoyaltyService } from '../../loyalty/contract.js';
import type { NotificationsConfig, TemplateKind } from './config.js';

export const LOCALES: Locale[] = ['en', 'ru', 'uk'];

/** One of this plugin's texts in every language: a message is written once and read in the client's. */
export const everyLanguage = (ctx: PluginContext, key: string, vars: (l: Locale) => Record<string, unknown> = () => ({})): LocalizedText =>
  ({ en: ctx.t('en', key, vars('en')), ru: ctx.t('ru', key, vars('ru')), uk: ctx.t('uk', key, vars('uk')) });

export interface Clock {
  date(iso: string | Date, locale: Locale): string;
  time(iso: string | Date): string;
}

/** Dates as the client reads them: in the contact's zone (else the business's), in the message's language. */
export const clockIn = (zone: string): Clock => ({
  date: (iso, locale) => DateTime.fromJSDate(new Date(iso), { zone }).setLocale(locale).toFormat('cccc, d MMMM'),
  time: (iso) => DateTime.fromJSDate(new Date(iso), { zone }).toFormat('HH:mm'),
});

/** What a booking's messages fill their placeholders with. */
export interface BookingFacts {
  booking: BookingSummary;
  contact: Contact | null;
  specialist: string;
  clock: Clock;
  address: string;
  mapLink: string;
  phone: string;
  prepayment: string | null;
  points: number | null;
}

export async function bookingFacts(ctx: PluginContext, tenantId: string, booking: BookingSummary, cfg: NotificationsConfig): Promise<BookingFacts> {
  const [business, contact, resources] = await Promise.all([
    ctx.business(tenantId), ctx.contacts.get(ctx.db, tenantId, booking.clientId), ctx.service('booking').resources(tenantId),
  ]);
  const specialist = resources.find((r) => r.kind === 'staff' && booking.resourceIds.includes(r.id))?.name ?? '';
  const [prepayment, loyalty] = await Promise.all([
    ctx.optionalService('prepayment', tenantId) as Promise<PrepaymentService | undefined>,
    ctx.optionalService('loyalty', tenantId) as Promise<LoyaltyService | undefined>,
  ]);
  const address = business.address ?? '';
  return {
    booking, contact, specialist, clock: clockIn(contact?.timezone ?? business.timezone), address,
    mapLink: cfg.mapUrl || (address ? `https://maps.google.com/?q=${encodeURIComponent(address)}` : ''),
    phone: cfg.businessPhone,
    prepayment: prepayment ? (await prepayment.bookingPayments(tenantId, booking.id)).state : null,
    points: loyalty ? await loyalty.pointsToEarn(tenantId, booking.clientId, booking.price) : null,
  };
}

/** The placeholders in one language; `extra` adds what a message of that kind needs (a reason, a deadline). */
export function placeholders(ctx: PluginContext, f: BookingFacts, locale: Locale, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const b = f.booking;
  return {
    service: b.serviceName, specialist: f.specialist, date: f.clock.date(b.start, locale), time: f.clock.time(b.start),
    address: f.address, mapLink: f.mapLink, phone: f.phone, client: f.contact?.name ?? '',
    specialistLine: f.specialist ? ctx.t(locale, 'specialistLine', { name: f.specialist }) : '',
    prepayment: f.prepayment ? ctx.t(locale, `prepayment.${f.prepayment}`) : '',
    prepaymentLine: f.prepayment && f.prepayment !== 'none' ? ctx.t(locale, 'prepaymentLine', { state: ctx.t(locale, `prepayment.${f.prepayment}`) }) : '',
    points: f.points ?? '',
    pointsLine: f.points ? ctx.t(locale, 'pointsLine', { points: f.points }) : '',
    ...extra,
  };
}

/** A message of a kind in every language: the business's own text from the settings, else the built-in one. */
export function renderTemplate(ctx: PluginContext, cfg: NotificationsConfig, kind: TemplateKind, vars: (l: Locale) => Record<string, unknown>): LocalizedText {
  const own = cfg.templates?.[kind] ?? {};
  const one = (l: Locale) => (own[l] ? ctx.render(own[l]!, vars(l)) : ctx.t(l, `templates.${kind}`, vars(l))).trim();
  return { en: one('en'), ru: one('ru'), uk: one('uk') };
}

export interface MoveFlow {
  flowKey: string;
  nodeId: string;
}

/** Confirm, Cancel, Move: one tap each. Move opens the booking flow's reschedule with what its nodes expect. */
export function bookingButtons(ctx: PluginContext, f: BookingFacts, move: MoveFlow | null, withConfirm = true): MessageButton[][] {
  const b = f.booking;
  const label = (key: string) => everyLanguage(ctx, `button.${key}`);
  const row: MessageButton[] = [];
  if (withConfirm) row.push({ label: label('confirm'), action: 'notifications.confirm', payload: { bookingId: b.id } });
  row.push({ label: label('cancel'), action: 'notifications.cancel', payload: { bookingId: b.id } });
  const rows: MessageButton[][] = [row];
  if (move) {
    rows.push([{ label: label('move'), flow: { flowKey: move.flowKey, nodeId: move.nodeId, vars: {
      bookingRescheduleId: b.id, bookingServiceId: b.serviceId, bookingServiceName: b.serviceName, bookingResourceId: b.resourceIds[0] ?? null,
      bookingSpecialistName: f.specialist, bookingClientName: f.contact?.name ?? '', bookingClientPhone: f.contact?.identities.find((i) => i.kind === 'phone')?.value ?? null,
    } } }]);
  }
  return rows;
}
