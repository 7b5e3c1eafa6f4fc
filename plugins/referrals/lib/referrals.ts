import crypto from 'node:crypto';
import type { Contact, Db, DomainEvent, PluginContext, Tx } from '../../../plugin-sdk.js';
import type { BookingRequest } from '../../booking/contract.js';

export interface ReferralsConfig { friendDiscountPercent: number; referrerBonusPoints: number; botUsername: string; webBookingUrl: string }

const ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';
const newCode = () => Array.from(crypto.randomBytes(8), (b) => ALPHABET[b % ALPHABET.length]).join('');

/** The client's invite code, made on first ask. */
export async function codeOf(trx: Tx, tenantId: string, contactId: string): Promise<string> {
  await trx.insertInto('referrals_codes').values({ tenant_id: tenantId, contact_id: contactId, code: newCode() })
    .onConflict((oc) => oc.columns(['tenant_id', 'contact_id']).doNothing()).execute();
  return (await trx.selectFrom('referrals_codes').select('code').where('tenant_id', '=', tenantId).where('contact_id', '=', contactId).executeTakeFirstOrThrow()).code;
}

/**
 * The bot of the t.me links: the one named in the settings, else the chat's own bot, else the business's first
 * connected one (so links work without the owner typing the bot's name).
 */
export async function linkBot(ctx: PluginContext, q: Db | Tx, tenantId: string, cfg: ReferralsConfig, botId?: string | null): Promise<string | null> {
  if (cfg.botUsername) return cfg.botUsername;
  const bots = (await ctx.business(tenantId, q)).telegramBots;
  return (bots.find((b) => b.id === botId) ?? bots[0])?.username ?? null;
}

export function links(cfg: ReferralsConfig, code: string, bot: string | null) {
  return {
    code,
    telegram: bot ? `https://t.me/${bot}?start=ref_${code}` : null,
    web: cfg.webBookingUrl ? `${cfg.webBookingUrl}${cfg.webBookingUrl.includes('?') ? '&' : '?'}ref=${code}` : null,
  };
}

/** The same person by any way of reaching them: one phone, email or chat in common. */
function samePerson(a: Contact, b: Contact): boolean {
  if (a.id === b.id) return true;
  const keys = new Set(a.identities.map((i) => `${i.kind}:${i.value}`));
  return b.identities.some((i) => keys.has(`${i.kind}:${i.value}`));
}

const GONE = ['cancelled', 'expired'];

/** The client's bookings that count as having booked: any but the cancelled and expired ones. */
async function openOrPastBookings(ctx: PluginContext, tenantId: string, contactId: string) {
  const all = await ctx.service('booking').clientBookings(tenantId, contactId, { from: new Date(0), to: new Date(ctx.now().getTime() + 3 * 365 * 86_400_000) });
  return all.filter((b) => !GONE.includes(b.status));
}

export interface Friend { contact: Contact | null; phone: string | null }

/**
 * Records who invited the friend, by the rules: a known code, not oneself (no phone, chat or email in
 * common), one referrer per friend, and a friend who never booked.
 */
export async function claim(ctx: PluginContext, trx: Tx, tenantId: string, code: string, friend: Friend): Promise<{ id: string }> {
  const owner = await trx.selectFrom('referrals_codes').select('contact_id').where('tenant_id', '=', tenantId).where('code', '=', code).executeTakeFirst();
  const referrer = owner && await ctx.contacts.get(trx, tenantId, owner.contact_id);
  if (!referrer) throw ctx.error('BF_ERR_REFERRALS_CODE_NOT_FOUND', { code });
  const phoneHolder = friend.phone ? await ctx.contacts.findByPhone(trx, tenantId, friend.phone) : null;
  const contact = friend.contact ?? phoneHolder;
  if ((contact && samePerson(referrer, contact)) || (phoneHolder && samePerson(referrer, phoneHolder))) throw ctx.error('BF_ERR_REFERRALS_SELF');
  let q = trx.selectFrom('referrals_referrals').select('id').where('tenant_id', '=', tenantId);
  q = q.where((eb) => eb.or([...(contact ? [eb('friend_contact_id', '=', contact.id)] : []), ...(friend.phone ? [eb('friend_phone', '=', friend.phone)] : []), eb.val(false)]));
  if (await q.executeTakeFirst()) throw ctx.error('BF_ERR_REFERRALS_ALREADY_REFERRED');
  if (contact && (await openOrPastBookings(ctx, tenantId, contact.id)).length) throw ctx.error('BF_ERR_REFERRALS_NOT_NEW');
  return trx.insertInto('referrals_referrals').values({
    tenant_id: tenantId, referrer_contact_id: referrer.id, friend_contact_id: contact?.id ?? null, friend_phone: friend.phone, status: 'pending', created_at: ctx.now(),
  }).returning('id').executeTakeFirstOrThrow();
}

const phonesOf = (c: Contact) => c.identities.filter((i) => i.kind === 'phone').map((i) => i.value);

/** The friend's referral still waiting for its first visit, by contact or by a phone the contact holds. */
async function pendingFor(q: Db | Tx, tenantId: string, contactId: string | null, phones: string[]) {
  if (!contactId && !phones.length) return undefined;
  return q.selectFrom('referrals_referrals').selectAll().where('tenant_id', '=', tenantId).where('status', '=', 'pending')
    .where((eb) => eb.or([...(contactId ? [eb('friend_contact_id', '=', contactId)] : []), ...(phones.length ? [eb('friend_phone', 'in', phones)] : [])]))
    .executeTakeFirst();
}

/** booking.price: the invited friend's first booking costs friendDiscountPercent less. */
export async function friendDiscount(ctx: PluginContext, tenantId: string, req: BookingRequest, price: { amount: number; currency: string }) {
  let contact: Contact | null = null;
  if (req.client.id) contact = await ctx.contacts.get(ctx.db, tenantId, req.client.id);
  else if (req.client.conversation) contact = await ctx.contacts.resolve(ctx.db, tenantId, req.client.conversation);
  const phones = [...(contact ? phonesOf(contact) : []), ...(req.client.phone ? [req.client.phone] : [])];
  contact ??= req.client.phoneHolder ?? null;
  const referral = await pendingFor(ctx.db, tenantId, contact?.id ?? null, phones);
  if (!referral || referral.first_booking_id) return price;
  // Booking's own record decides "first": the created event that sets first_booking_id may not have run yet.
  if (contact && (await openOrPastBookings(ctx, tenantId, contact.id)).length) return price;
  const { friendDiscountPercent } = await ctx.config<ReferralsConfig>(tenantId);
  return { ...price, amount: Math.round((price.amount * (100 - friendDiscountPercent)) / 100) };
}

type Payload = { bookingId: string; clientId: string; to?: string };

/** The friend's first booking is the one the bonus waits for (the discount was given on it). */
export async function onCreated(event: DomainEvent<Payload>, trx: Tx, ctx: PluginContext) {
  const contact = await ctx.contacts.get(trx, event.tenantId, event.payload.clientId);
  if (!contact) return;
  const referral = await pendingFor(trx, event.tenantId, contact.id, phonesOf(contact));
  if (!referral || referral.first_booking_id) return;
  await trx.updateTable('referrals_referrals').set({ first_booking_id: event.payload.bookingId, friend_contact_id: contact.id })
    .where('tenant_id', '=', event.tenantId).where('id', '=', referral.id).execute();
}

/** A first booking that will not happen leaves the discount for the next one. */
export async function onStatusChanged(event: DomainEvent<Payload>, trx: Tx) {
  if (!['cancelled', 'no_show', 'expired'].includes(event.payload.to ?? '')) return;
  await trx.updateTable('referrals_referrals').set({ first_booking_id: null }).where('tenant_id', '=', event.tenantId)
    .where('first_booking_id', '=', event.payload.bookingId).where('status', '=', 'pending').execute();
}

async function rounds(trx: Tx, tenantId: string, id: string) {
  return trx.selectFrom('referrals_referrals').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).forUpdate().executeTakeFirstOrThrow();
}

/** The first visit completed: the referrer is credited, once per completion (a retried event posts nothing more). */
export async function onCompleted(event: DomainEvent<Payload>, trx: Tx, ctx: PluginContext) {
  const { tenantId } = event;
  const found = await trx.selectFrom('referrals_referrals').select('id').where('tenant_id', '=', tenantId).where('first_booking_id', '=', event.payload.bookingId).executeTakeFirst();
  if (!found) return;
  const r = await rounds(trx, tenantId, found.id);
  if (r.status === 'converted') return;
  const { referrerBonusPoints } = await ctx.config<ReferralsConfig>(tenantId, trx);
  const round = await reversals(trx, tenantId, r.id);
  await ctx.service('loyalty').credit(trx, tenantId, { contactId: r.referrer_contact_id, kind: 'referral-bonus', points: referrerBonusPoints, sourceKind: 'referral', sourceId: `${r.id}#${round}` });
  await trx.updateTable('referrals_referrals').set({ status: 'converted', bonus_points: referrerBonusPoints, converted_at: ctx.now() }).where('tenant_id', '=', tenantId).where('id', '=', r.id).execute();
  await ctx.events.emit(trx, tenantId, 'referrals.converted', { referralId: r.id, referrerId: r.referrer_contact_id, friendId: event.payload.clientId, points: referrerBonusPoints });
}

const reversals = async (trx: Tx, tenantId: string, id: string) =>
  Number((await trx.selectFrom('referrals_referrals').select('bonus_rounds').where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirstOrThrow()).bonus_rounds);

/** The first visit's completion was undone: so is the bonus. */
export async function onCompletionUndone(event: DomainEvent<Payload>, trx: Tx, ctx: PluginContext) {
  const { tenantId } = event;
  const found = await trx.selectFrom('referrals_referrals').select('id').where('tenant_id', '=', tenantId).where('first_booking_id', '=', event.payload.bookingId).executeTakeFirst();
  if (!found) return;
  const r = await rounds(trx, tenantId, found.id);
  if (r.status !== 'converted') return;
  const round = await reversals(trx, tenantId, r.id);
  await ctx.service('loyalty').credit(trx, tenantId, { contactId: r.referrer_contact_id, kind: 'referral-bonus-reversal', points: -r.bonus_points, sourceKind: 'referral', sourceId: `${r.id}#${round}` });
  await trx.updateTable('referrals_referrals').set((eb) => ({ status: 'pending', bonus_points: 0, converted_at: null, bonus_rounds: eb('bonus_rounds', '+', 1) }))
    .where('tenant_id', '=', tenantId).where('id', '=', r.id).execute();
}
