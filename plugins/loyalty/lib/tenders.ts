import type { Locale, PluginContext, Tx } from '../../../plugin-sdk.js';
import type { BookingSummary } from '../../booking/contract.js';
import type { PointsTender, TenderInput, TenderKind } from '../contract.js';
import { loyaltyConfig } from './config.js';
import { formatDay } from './dates.js';
import { lockAccount, post } from './ledger.js';
import { minorPerPoint, toMajor } from './money.js';

const OPEN = ['held', 'pending', 'confirmed', 'arrived'];
const DAY = 86_400_000;

/** The client's language for a refusal that names a date. */
async function clientLocale(ctx: PluginContext, trx: Tx, tenantId: string, contactId: string): Promise<{ locale: Locale; zone: string }> {
  const [contact, business] = await Promise.all([ctx.contacts.get(trx, tenantId, contactId), ctx.business(tenantId, trx)]);
  return { locale: contact?.locale ?? business.locale, zone: contact?.timezone ?? business.timezone };
}

/** When the client may redeem again (null: now), by the last redemption not returned. */
export async function nextRedeemAt(ctx: PluginContext, q: Tx | PluginContext['db'], tenantId: string, contactId: string, intervalDays: number): Promise<Date | null> {
  if (intervalDays <= 0) return null;
  const last = await q.selectFrom('loyalty_tenders').select('at').where('tenant_id', '=', tenantId).where('contact_id', '=', contactId)
    .where('kind', '=', 'points').where('status', 'in', ['held', 'spent']).orderBy('at', 'desc').limit(1).executeTakeFirst();
  if (!last) return null;
  const next = new Date(new Date(last.at).getTime() + intervalDays * DAY);
  return next > ctx.now() ? next : null;
}

/**
 * See LoyaltyService.redeemable: the one place the redemption limits are counted for an offer (the chat's
 * offer-points node, prepayment's "Pay with points"); `redeemPoints` checks the same limits when points are applied.
 */
export async function redeemable(ctx: PluginContext, q: Tx | PluginContext['db'], tenantId: string, booking: BookingSummary, balance: number, cover?: number): Promise<PointsTender> {
  const none = { points: 0, amount: 0 };
  if (!OPEN.includes(booking.status)) return none;
  const cfg = await loyaltyConfig(ctx, tenantId, q);
  const [held, next] = await Promise.all([tendersOf(q, tenantId, booking.id), nextRedeemAt(ctx, q, tenantId, booking.clientId, cfg.redeemIntervalDays)]);
  if (next || held.some((t) => t.kind === 'points')) return none;
  const mpp = minorPerPoint(booking.price.currency);
  const left = booking.price.amount - held.reduce((sum, t) => sum + t.amount, 0);
  const allowed = Math.max(0, Math.min(balance, Math.floor((booking.price.amount * cfg.maxRedeemPercent) / 100 / mpp), Math.floor(left / mpp)));
  const points = cover === undefined ? allowed : Math.min(allowed, Math.ceil(cover / mpp));
  return { points, amount: points * mpp };
}

async function redeemPoints(ctx: PluginContext, trx: Tx, tenantId: string, t: TenderInput, priceMinor: number, currency: string): Promise<number> {
  const mpp = minorPerPoint(currency);
  if (t.amount % mpp !== 0) throw ctx.error('BF_ERR_LOYALTY_AMOUNT_INVALID', { amount: toMajor(t.amount, currency) });
  const points = t.amount / mpp;
  const cfg = await loyaltyConfig(ctx, tenantId, trx);
  const max = Math.floor((priceMinor * cfg.maxRedeemPercent) / 100 / mpp);
  if (points > max) throw ctx.error('BF_ERR_LOYALTY_REDEEM_TOO_MUCH', { percent: cfg.maxRedeemPercent, max });
  const next = await nextRedeemAt(ctx, trx, tenantId, t.contactId, cfg.redeemIntervalDays);
  if (next) {
    const { locale, zone } = await clientLocale(ctx, trx, tenantId, t.contactId);
    throw ctx.error('BF_ERR_LOYALTY_REDEEM_TOO_SOON', { from: formatDay(next, zone, locale), at: next.toISOString() });
  }
  const acc = await lockAccount(trx, tenantId, t.contactId);
  if (acc.balance < points) throw ctx.error('BF_ERR_LOYALTY_INSUFFICIENT_POINTS', { balance: acc.balance, points });
  await post(ctx, trx, tenantId, { contactId: t.contactId, ledger: 'points', kind: 'redemption', amount: -points, sourceKind: 'booking', sourceId: t.bookingId });
  return points;
}

async function writeOffCertificate(ctx: PluginContext, trx: Tx, tenantId: string, t: TenderInput, currency: string): Promise<void> {
  const number = t.certificateNumber ?? '';
  const cert = await trx.selectFrom('loyalty_certificates').selectAll().where('tenant_id', '=', tenantId).where('number', '=', number).forUpdate().executeTakeFirst();
  if (!cert) throw ctx.error('BF_ERR_LOYALTY_CERTIFICATE_NOT_FOUND', { number });
  const expired = new Date(cert.valid_until) < ctx.now();
  if (cert.status !== 'active' || expired) throw ctx.error('BF_ERR_LOYALTY_CERTIFICATE_UNUSABLE', { number, status: expired ? 'expired' : cert.status });
  const left = Number(cert.balance);
  if (left < t.amount) throw ctx.error('BF_ERR_LOYALTY_CERTIFICATE_INSUFFICIENT', { number, balance: toMajor(left, currency) });
  const balance = left - t.amount;
  // The write-off is the holder's (seed 003: the holder's account shows the number and the amount); an unnamed certificate becomes the payer's.
  const holder = cert.holder_contact_id ?? t.contactId;
  await trx.updateTable('loyalty_certificates').set({ balance, status: balance === 0 ? 'used' : 'active', holder_contact_id: holder })
    .where('tenant_id', '=', tenantId).where('id', '=', cert.id).execute();
  await post(ctx, trx, tenantId, { contactId: holder, ledger: 'certificate', kind: 'certificate-payment', amount: -t.amount, sourceKind: 'booking', sourceId: t.bookingId, certificateNumber: number, certificateBalance: balance });
}

/**
 * See LoyaltyService.applyTender. The account lock makes a client's tenders queue up: none overdraws. Callers
 * holding `trx` who can read the booking first pass it: booking reads through a pool connection of its own, and
 * many transactions each waiting for a second connection would starve the pool.
 */
export async function applyTender(ctx: PluginContext, trx: Tx, tenantId: string, t: TenderInput, known?: BookingSummary): Promise<{ applied: number }> {
  if (!Number.isSafeInteger(t.amount) || t.amount <= 0) throw ctx.error('BF_ERR_LOYALTY_AMOUNT_INVALID', { amount: t.amount });
  const booking = known ?? await ctx.service('booking').getBooking(tenantId, t.bookingId);
  if (!booking) throw ctx.error('BF_ERR_LOYALTY_BOOKING_NOT_FOUND', { id: t.bookingId });
  if (booking.clientId !== t.contactId) throw ctx.error('BF_ERR_LOYALTY_NOT_THE_CLIENT', { id: t.bookingId });
  await lockAccount(trx, tenantId, t.contactId);
  const existing = await trx.selectFrom('loyalty_tenders').select(['amount', 'status']).where('tenant_id', '=', tenantId).where('booking_id', '=', t.bookingId).where('kind', '=', t.kind).executeTakeFirst();
  if (existing && existing.status !== 'returned') return { applied: Number(existing.amount) };
  if (!OPEN.includes(booking.status) || existing) throw ctx.error('BF_ERR_LOYALTY_BOOKING_CLOSED', { id: t.bookingId, status: booking.status });
  const { currency, amount: price } = booking.price;
  const others = await trx.selectFrom('loyalty_tenders').select((eb) => eb.fn.coalesce(eb.fn.sum<number>('amount'), eb.val(0)).as('sum'))
    .where('tenant_id', '=', tenantId).where('booking_id', '=', t.bookingId).where('status', '!=', 'returned').executeTakeFirstOrThrow();
  const due = price - Number(others.sum);
  if (t.amount > due) throw ctx.error('BF_ERR_LOYALTY_OVER_PRICE', { due: toMajor(Math.max(due, 0), currency) });
  let points = 0;
  if (t.kind === 'points') points = await redeemPoints(ctx, trx, tenantId, t, price, currency);
  else if (t.kind === 'certificate') await writeOffCertificate(ctx, trx, tenantId, t, currency);
  else {
    const acc = await lockAccount(trx, tenantId, t.contactId);
    if (acc.deposit < t.amount) throw ctx.error('BF_ERR_LOYALTY_DEPOSIT_INSUFFICIENT', { deposit: toMajor(acc.deposit, currency) });
    await post(ctx, trx, tenantId, { contactId: t.contactId, ledger: 'deposit', kind: 'deposit-payment', amount: -t.amount, sourceKind: 'booking', sourceId: t.bookingId });
  }
  await trx.insertInto('loyalty_tenders').values({
    tenant_id: tenantId, booking_id: t.bookingId, kind: t.kind, contact_id: t.contactId, amount: t.amount, points,
    certificate_number: t.kind === 'certificate' ? t.certificateNumber : null, status: 'held', at: ctx.now(),
  }).execute();
  return { applied: t.amount };
}

export async function tendersOf(q: Tx | PluginContext['db'], tenantId: string, bookingId: string, statuses = ['held', 'spent']) {
  const rows = await q.selectFrom('loyalty_tenders').selectAll().where('tenant_id', '=', tenantId).where('booking_id', '=', bookingId).where('status', 'in', statuses).orderBy('kind').execute();
  return rows.map((r) => ({ kind: r.kind as TenderKind, amount: Number(r.amount), points: r.points as number, contactId: r.contact_id as string, status: r.status as string, ...(r.certificate_number ? { certificateNumber: r.certificate_number as string } : {}) }));
}

/** A visit completed (spent), its completion undone (held again). */
export async function markTenders(trx: Tx, tenantId: string, bookingId: string, from: 'held' | 'spent', to: 'held' | 'spent') {
  await trx.updateTable('loyalty_tenders').set({ status: to }).where('tenant_id', '=', tenantId).where('booking_id', '=', bookingId).where('status', '=', from).execute();
}

/** The booking will not be paid: every held tender goes back where it came from, and the redemption window frees. */
export async function returnTenders(ctx: PluginContext, trx: Tx, tenantId: string, bookingId: string): Promise<void> {
  for (const t of await tendersOf(trx, tenantId, bookingId, ['held'])) {
    const base = { contactId: t.contactId, sourceKind: 'booking', sourceId: bookingId };
    if (t.kind === 'points') await post(ctx, trx, tenantId, { ...base, ledger: 'points', kind: 'redemption-return', amount: t.points });
    else if (t.kind === 'deposit') await post(ctx, trx, tenantId, { ...base, ledger: 'deposit', kind: 'deposit-return', amount: t.amount });
    else {
      const cert = await trx.updateTable('loyalty_certificates').set((eb) => ({ balance: eb('balance', '+', t.amount), status: 'active' }))
        .where('tenant_id', '=', tenantId).where('number', '=', t.certificateNumber!).returning(['balance', 'holder_contact_id']).executeTakeFirstOrThrow();
      await post(ctx, trx, tenantId, { ...base, contactId: cert.holder_contact_id ?? t.contactId, ledger: 'certificate', kind: 'certificate-return', amount: t.amount, certificateNumber: t.certificateNumber, certificateBalance: Number(cert.balance) });
    }
    await trx.updateTable('loyalty_tenders').set({ status: 'returned' }).where('tenant_id', '=', tenantId).where('booking_id', '=', bookingId).where('kind', '=', t.kind).execute();
  }
}
