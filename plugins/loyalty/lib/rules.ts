import type { DomainEvent, Locale, PluginContext, Tx } from '../../../plugin-sdk.js';
import { loyaltyConfig, tierOf } from './config.js';
import { everyLanguage, formatDay } from './dates.js';
import { lockAccount, post } from './ledger.js';
import { percentPoints, toMajor, toMinor } from './money.js';
import { markTenders, returnTenders, tendersOf } from './tenders.js';

const DAY = 86_400_000;
type Payload = { bookingId: string; clientId: string; start: string; price?: number; by?: string; to?: string };

/** A penalty, a block or an expiry explained to the client, once per key. */
async function tell(ctx: PluginContext, trx: Tx, tenantId: string, contactId: string, key: string, text: (l: Locale) => string) {
  await ctx.messages.send(trx, { tenantId, to: { contactId }, purpose: 'transactional', idempotencyKey: `loyalty:${key}`, message: { text: everyLanguage(text) } });
}

export async function onCreated(event: DomainEvent<Payload>, trx: Tx, ctx: PluginContext) {
  const p = event.payload;
  await trx.insertInto('loyalty_visits').values({ tenant_id: event.tenantId, booking_id: p.bookingId, contact_id: p.clientId, booked_at: ctx.now(), start_at: new Date(p.start) })
    .onConflict((oc) => oc.columns(['tenant_id', 'booking_id']).doNothing()).execute();
}

/**
 * Accrual: the tier's percent (plus the quick-rebooking bonus) of the money paid — the price less what points
 * and certificates paid (tips are never in booking's price). Held tenders are spent.
 */
export async function onCompleted(event: DomainEvent<Payload>, trx: Tx, ctx: PluginContext) {
  const { tenantId } = event;
  const p = event.payload;
  const [cfg, { currency }] = await Promise.all([loyaltyConfig(ctx, tenantId, trx), ctx.business(tenantId, trx)]);
  const acc = await lockAccount(trx, tenantId, p.clientId);
  const round = await trx.selectFrom('loyalty_entries').select((eb) => eb.fn.countAll<number>().as('n')).where('tenant_id', '=', tenantId)
    .where('source_kind', '=', 'booking').where('source_id', 'like', `${p.bookingId}#%`).where('kind', '=', 'accrual-reversal').executeTakeFirstOrThrow();
  const sourceId = `${p.bookingId}#${Number(round.n)}`;
  if (await trx.selectFrom('loyalty_entries').select('id').where('tenant_id', '=', tenantId).where('source_kind', '=', 'booking').where('source_id', '=', sourceId).where('kind', '=', 'accrual').executeTakeFirst()) return;
  const price = toMinor(p.price ?? 0, currency);
  const tenders = await tendersOf(trx, tenantId, p.bookingId);
  const notMoney = tenders.filter((t) => t.kind !== 'deposit').reduce((s, t) => s + t.amount, 0);
  const paid = Math.max(price - notMoney, 0);
  const visit = await trx.selectFrom('loyalty_visits').select('booked_at').where('tenant_id', '=', tenantId).where('booking_id', '=', p.bookingId).executeTakeFirst();
  const bookedAt = visit ? new Date(visit.booked_at) : ctx.now();
  const previous = await trx.selectFrom('loyalty_visits').select('start_at').where('tenant_id', '=', tenantId).where('contact_id', '=', p.clientId)
    .where('completed_at', 'is not', null).where('booking_id', '!=', p.bookingId).where('start_at', '<=', bookedAt).orderBy('start_at', 'desc').limit(1).executeTakeFirst();
  const quick = previous && bookedAt.getTime() - new Date(previous.start_at).getTime() <= cfg.quickRebookDays * DAY;
  const percent = tierOf(cfg, toMajor(acc.spent, currency), acc.visits).percent + (quick ? cfg.quickRebookBonusPercent : 0);
  const points = percentPoints(paid, percent, currency);
  const expiresAt = cfg.expiryMonths > 0 ? new Date(ctx.now().getTime() + cfg.expiryMonths * 30 * DAY) : null;
  await post(ctx, trx, tenantId, { contactId: p.clientId, ledger: 'points', kind: 'accrual', amount: points, sourceKind: 'booking', sourceId, reason: `${percent}%`, expiresAt });
  await trx.insertInto('loyalty_visits').values({ tenant_id: tenantId, booking_id: p.bookingId, contact_id: p.clientId, booked_at: bookedAt, start_at: new Date(p.start), completed_at: ctx.now(), paid })
    .onConflict((oc) => oc.columns(['tenant_id', 'booking_id']).doUpdateSet({ completed_at: ctx.now(), paid })).execute();
  await trx.updateTable('loyalty_accounts').set((eb) => ({ spent: eb('spent', '+', paid), visits: eb('visits', '+', 1) }))
    .where('tenant_id', '=', tenantId).where('contact_id', '=', p.clientId).execute();
  await markTenders(trx, tenantId, p.bookingId, 'held', 'spent');
  if (expiresAt && points > 0) {
    const data = { contactId: p.clientId, sourceId, points, expiresAt: expiresAt.toISOString() };
    await ctx.jobs.schedule(expiresAt, 'expire', data, { tenantId, key: `expire:${sourceId}`, trx });
    if (cfg.expiryNoticeDays > 0) {
      const noticeAt = new Date(Math.max(expiresAt.getTime() - cfg.expiryNoticeDays * DAY, ctx.now().getTime()));
      await ctx.jobs.schedule(noticeAt, 'expiry-notice', data, { tenantId, key: `expiry-notice:${sourceId}`, trx });
    }
  }
}

/** Told before an accrual expires: what of it is still there, and the day, in the client's language. */
export async function noticeExpiry(ctx: PluginContext, trx: Tx, tenantId: string, data: { contactId: string; sourceId: string; points: number; expiresAt: string }) {
  const acc = await lockAccount(trx, tenantId, data.contactId);
  const points = Math.min(acc.balance, data.points);
  if (points <= 0) return;
  const { timezone } = await ctx.business(tenantId, trx);
  await tell(ctx, trx, tenantId, data.contactId, `expiry-notice:${data.sourceId}`, (l) => ctx.t(l, 'expiryNotice', { points, date: formatDay(new Date(data.expiresAt), timezone, l) }));
}

/** The completion was a mistake: its accrual is taken back (the balance may go into debt), tenders are held again. */
export async function onCompletionUndone(event: DomainEvent<Payload>, trx: Tx, ctx: PluginContext) {
  const { tenantId } = event;
  const p = event.payload;
  const accruals = await trx.selectFrom('loyalty_entries').select(['source_id', 'amount']).where('tenant_id', '=', tenantId).where('source_kind', '=', 'booking')
    .where('source_id', 'like', `${p.bookingId}#%`).where('kind', '=', 'accrual').execute();
  const reversed = new Set((await trx.selectFrom('loyalty_entries').select('source_id').where('tenant_id', '=', tenantId).where('source_kind', '=', 'booking')
    .where('source_id', 'like', `${p.bookingId}#%`).where('kind', '=', 'accrual-reversal').execute()).map((r) => r.source_id));
  const open = accruals.find((a) => !reversed.has(a.source_id));
  if (!open) return;
  await post(ctx, trx, tenantId, { contactId: p.clientId, ledger: 'points', kind: 'accrual-reversal', amount: -Number(open.amount), sourceKind: 'booking', sourceId: open.source_id });
  await ctx.jobs.cancel({ tenantId, key: `expire:${open.source_id}`, trx });
  await ctx.jobs.cancel({ tenantId, key: `expiry-notice:${open.source_id}`, trx });
  const visit = await trx.selectFrom('loyalty_visits').select('paid').where('tenant_id', '=', tenantId).where('booking_id', '=', p.bookingId).executeTakeFirst();
  await trx.updateTable('loyalty_visits').set({ completed_at: null, paid: 0 }).where('tenant_id', '=', tenantId).where('booking_id', '=', p.bookingId).execute();
  await trx.updateTable('loyalty_accounts').set((eb) => ({ spent: eb('spent', '-', Number(visit?.paid ?? 0)), visits: eb('visits', '-', 1) }))
    .where('tenant_id', '=', tenantId).where('contact_id', '=', p.clientId).execute();
  await markTenders(trx, tenantId, p.bookingId, 'spent', 'held');
}

async function penalty(ctx: PluginContext, trx: Tx, tenantId: string, p: Payload, kind: string, percent: number): Promise<number> {
  const booking = await ctx.service('booking').getBooking(tenantId, p.bookingId);
  const points = booking ? percentPoints(booking.price.amount, percent, booking.price.currency) : 0;
  if (points <= 0) return 0;
  const { posted } = await post(ctx, trx, tenantId, { contactId: p.clientId, ledger: 'points', kind, amount: -points, sourceKind: 'booking', sourceId: p.bookingId, reason: `${percent}%` });
  return posted ? points : 0;
}

/** A cancellation less than lateCancelHours before the start costs a share of the price; held tenders go back. */
export async function onCancelled(event: DomainEvent<Payload>, trx: Tx, ctx: PluginContext) {
  const { tenantId } = event;
  const p = event.payload;
  await returnTenders(ctx, trx, tenantId, p.bookingId);
  // The system cancels what nobody decided on (an expired offer): no one to blame.
  if (p.by === 'system') return;
  const cfg = await loyaltyConfig(ctx, tenantId, trx);
  if (new Date(p.start).getTime() - ctx.now().getTime() >= cfg.lateCancelHours * 3_600_000) return;
  const points = await penalty(ctx, trx, tenantId, p, 'late-cancel-penalty', cfg.lateCancelPenaltyPercent);
  if (points) await tell(ctx, trx, tenantId, p.clientId, `late-cancel:${p.bookingId}`, (l) => ctx.t(l, 'lateCancelPenalty', { points, hours: cfg.lateCancelHours }));
}

/**
 * A no-show costs a share of the price; a second one within noShowWindowDays blocks online booking for
 * blockDays from now. An expired hold or a no-show frees its tenders.
 */
export async function onStatusChanged(event: DomainEvent<Payload>, trx: Tx, ctx: PluginContext) {
  const { tenantId } = event;
  const p = event.payload;
  if (p.to === 'expired' || p.to === 'no_show') await returnTenders(ctx, trx, tenantId, p.bookingId);
  if (p.to !== 'no_show') return;
  const cfg = await loyaltyConfig(ctx, tenantId, trx);
  const points = await penalty(ctx, trx, tenantId, p, 'no-show-penalty', cfg.noShowPenaltyPercent);
  const now = ctx.now();
  const earlier = await trx.selectFrom('loyalty_visits').select('booking_id').where('tenant_id', '=', tenantId).where('contact_id', '=', p.clientId)
    .where('no_show_at', '>=', new Date(now.getTime() - cfg.noShowWindowDays * DAY)).where('booking_id', '!=', p.bookingId).executeTakeFirst();
  await trx.insertInto('loyalty_visits').values({ tenant_id: tenantId, booking_id: p.bookingId, contact_id: p.clientId, booked_at: now, start_at: new Date(p.start), no_show_at: now })
    .onConflict((oc) => oc.columns(['tenant_id', 'booking_id']).doUpdateSet({ no_show_at: now })).execute();
  const { timezone } = await ctx.business(tenantId, trx);
  if (earlier && cfg.blockDays > 0) {
    const until = new Date(now.getTime() + cfg.blockDays * DAY);
    const made = await trx.insertInto('loyalty_blocks').values({ tenant_id: tenantId, contact_id: p.clientId, booking_id: p.bookingId, from_at: now, until })
      .onConflict((oc) => oc.columns(['tenant_id', 'booking_id']).doNothing()).returning('id').executeTakeFirst();
    if (made) {
      await ctx.events.emit(trx, tenantId, 'loyalty.blocked', { contactId: p.clientId, until: until.toISOString() });
      await tell(ctx, trx, tenantId, p.clientId, `no-show:${p.bookingId}`, (l) => ctx.t(l, 'noShowBlocked', { points, until: formatDay(until, timezone, l) }));
      return;
    }
  }
  if (points) await tell(ctx, trx, tenantId, p.clientId, `no-show:${p.bookingId}`, (l) => ctx.t(l, 'noShowPenalty', { points }));
}
