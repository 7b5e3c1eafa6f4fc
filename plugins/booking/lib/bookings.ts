import { sql } from 'kysely';
import type { Db, FlowAnswer, Money, PluginContext, Tx } from '../../../plugin-sdk.js';
import type { BookingRequest, ExternalBusy, HoldDecision } from '../contract.js';
import { computeSlots, type Slot } from '../slots/engine.js';
import { collectBusy, loadSlotContext, type SlotContext } from './availability.js';
import { bookingConfig, type BookingConfig } from './config.js';
import { clientFor, normalizePhone, type ClientInput } from './clients.js';
import { fromMoney, isPrice, toMoney } from './money.js';
import { returnToQueue } from './waitlist.js';
import { checkPublicLimits, lockPhone, type PublicLimits } from './public-limits.js';
import { loadBooking, OPEN_STATUSES, toViews, type BookingStatus, type BookingView } from './booking-view.js';
import { insertOccupying, runOutOn, takeResources } from './occupy.js';

export type Source = 'chat' | 'widget' | 'admin' | 'phone' | 'api';
export interface Actor {
  kind: 'user' | 'client' | 'system';
  id: string | null;
}

/** How a booking was made: a bot's flow, the studio's test chat, the desk (staff), the public API or widget, a waitlist offer, another plugin. */
export type OriginSource = 'flow' | 'test-chat' | 'desk' | 'public' | 'waitlist' | 'plugin';
/** Where a booking came from, shown in its details; a chat's answers only to those who may see the booking. */
export interface BookingOrigin {
  source: OriginSource;
  /** the chat channel of a flow's booking (telegram, webchat) */
  channel?: string | null;
  /** what the client answered the flow that booked */
  answers?: FlowAnswer[];
}

export interface CreateBooking {
  tenantId: string;
  serviceId: string;
  start: Date;
  resourceIds?: string[];
  client: ClientInput | { id: string };
  source: Source;
  origin: BookingOrigin;
  comment?: string;
  /** a hold while the client pays: busy until it expires */
  hold?: boolean;
  holdMinutes?: number;
  seats?: number;
  /** staff may book outside the schedule (never over another booking) */
  force?: boolean;
  /** the same key again returns the booking made with it (unique per business) */
  idempotencyKey?: string;
  /** what the key's request asked for: the same key with another request is refused */
  idempotencyFingerprint?: string;
  /** an anonymous caller's booking: its phone is recorded and counted against the business's public limits */
  publicLimits?: PublicLimits;
  /** made in the studio test chat `chat`: held for TEST_HOLD_MINUTES only, cancelled when the chat closes */
  test?: { chat: string };
  actor: Actor;
}

/** A test chat's booking keeps the time from real clients no longer than this. */
export const TEST_HOLD_MINUTES = 10;

const MINUTE = 60_000;
const EXCLUSION_VIOLATION = '23P01';

/** Where a booking goes when it moves; cancelled, no-show and expired free the time. */
const TRANSITIONS: Record<BookingStatus, BookingStatus[]> = {
  held: ['pending', 'confirmed', 'cancelled', 'expired'],
  pending: ['confirmed', 'arrived', 'cancelled', 'no_show'],
  confirmed: ['pending', 'arrived', 'cancelled', 'no_show'],
  arrived: ['completed', 'cancelled'],
  // Undone by staff (marked completed by mistake): back to arrived, announced as booking.completion-undone.
  completed: ['arrived'],
  cancelled: [],
  no_show: [],
  expired: [],
};
const FREEING: BookingStatus[] = ['cancelled', 'no_show', 'expired'];

export function isSlotTakenError(e: unknown): boolean {
  return (e as { code?: string } | null)?.code === EXCLUSION_VIOLATION;
}

/** The slot the engine offers at exactly `start`, or the reason there is none. */
async function slotAt(ctx: PluginContext, q: Db | Tx, cfg: BookingConfig, req: { tenantId: string; serviceId: string; start: Date; resourceIds?: string[]; excludeBookingId?: string; force?: boolean; external?: ExternalBusy[]; durationMin?: number }): Promise<{ slot: Slot; sc: SlotContext }> {
  const at = req.start.getTime();
  const sc = await loadSlotContext(ctx, q, { tenantId: req.tenantId, serviceId: req.serviceId, from: at, to: at + 1, resourceIds: req.resourceIds, excludeBookingId: req.excludeBookingId, external: req.external }, cfg);
  if (sc.unmatched.length) throw ctx.error('BF_ERR_BOOKING_RESOURCE_MISMATCH', { resourceId: sc.unmatched[0] });
  // A group session's length is the session's: seats of one session cannot last differently.
  if (req.durationMin !== undefined && sc.service.kind === 'group') throw ctx.error('BF_ERR_BOOKING_FIXED_LENGTH', { kind: sc.service.kind });
  // A resized booking: the desk's length instead of the service's or the specialist's, checked against the same busy time.
  const sized = req.durationMin === undefined ? sc.input
    : { ...sc.input, service: { ...sc.input.service, durationMin: req.durationMin }, staff: sc.input.staff.map((s) => ({ ...s, durationMin: null })) };
  const input = req.force
    ? { ...sized, working: new Map([...sized.working.keys()].map((id) => [id, [{ start: at - 86_400_000, end: at + 2 * 86_400_000 }]])), serviceBlocked: [], earliestStart: 0, latestStart: Infinity, stepMin: 1 }
    : sized;
  const [slot] = computeSlots(input);
  if (slot && slot.start === at) return { slot, sc };
  // A group class that filled up (whether before or after this request began) is full, not taken.
  if (input.openSessions?.some((s) => s.start === at && s.seatsLeft <= 0)) throw ctx.error('BF_ERR_BOOKING_GROUP_FULL', { start: req.start.toISOString() });
  // Free of bookings it would fit: somebody took it. Otherwise it was never on offer.
  const [unbusy] = computeSlots({ ...input, busy: new Map(), openSessions: [] });
  throw ctx.error(unbusy && unbusy.start === at ? 'BF_ERR_SLOT_TAKEN' : 'BF_ERR_BOOKING_SLOT_UNAVAILABLE', { start: req.start.toISOString() });
}

/** The booking_history row of one mutation, built on `trx` and not executed (ctx.record writes it with the audit). */
export function historyRow(trx: Tx, tenantId: string, bookingId: string, actor: Actor, action: string, before: unknown, after: unknown) {
  return trx.insertInto('booking_history').values({
    tenant_id: tenantId, booking_id: bookingId, actor_id: actor.id, actor_kind: actor.kind, action,
    before: before === undefined ? null : JSON.stringify(before), after: after === undefined ? null : JSON.stringify(after),
  });
}

export async function writeHistory(trx: Tx, tenantId: string, bookingId: string, actor: Actor, action: string, before: unknown, after: unknown): Promise<void> {
  await historyRow(trx, tenantId, bookingId, actor, action, before, after).execute();
}

/** Writes history, audit and the outbox events of one booking mutation, on the mutation's transaction, in one statement. */
export async function record(ctx: PluginContext, trx: Tx, tenantId: string, actor: Actor, action: string, before: BookingView | undefined, after: BookingView, events: Array<[string, Record<string, unknown>]>) {
  await ctx.record(trx, {
    audit: { tenantId, actorId: actor.kind === 'user' ? actor.id : null, entity: 'booking', entityId: after.id, action, before, after },
    events: events.map(([type, payload]) => ({ type, payload: { bookingId: after.id, ...payload } })),
    rows: [historyRow(trx, tenantId, after.id, actor, action, before, after)],
  });
}

/** The key of a held booking's expiry job: one per booking, so holding again replaces it. */
export const holdExpiryKey = (bookingId: string) => `hold-expiry:${bookingId}`;

/** Expires a hold whose time ran out (frees its time and seats, history, audit, events, waiter back in the queue); anything else is left as is. */
export async function expireHoldIn(ctx: PluginContext, trx: Tx, tenantId: string, id: string): Promise<void> {
  const b = await trx.selectFrom('booking_bookings').select(['status', 'hold_expires_at']).where('tenant_id', '=', tenantId).where('id', '=', id).forUpdate().executeTakeFirst();
  if (b?.status !== 'held' || !b.hold_expires_at || new Date(b.hold_expires_at) > ctx.now()) return;
  await setStatusIn(ctx, trx, tenantId, id, 'expired', { kind: 'system', id: null });
}

/**
 * Run-out holds on these resources and times, or in the group session at `session`, expire now the way the
 * job expires them, so a late job never blocks a slot or keeps a seat. In id order, so concurrent bookers lock alike.
 */
export async function expireRunOutHolds(ctx: PluginContext, trx: Tx, tenantId: string, at: { resourceIds: string[]; from: Date; to: Date } | { serviceId: string; start: Date; exceptId?: string }): Promise<void> {
  const now = ctx.now();
  const { rows } = 'resourceIds' in at
    ? await sql<{ id: string }>`${runOutOn(tenantId, at, now)} ORDER BY 1`.execute(trx)
    : await sql<{ id: string }>`
      SELECT b.id FROM booking_bookings b JOIN booking_sessions s ON s.tenant_id = b.tenant_id AND s.id = b.session_id
      WHERE b.tenant_id = ${tenantId} AND s.service_id = ${at.serviceId} AND s.start_at = ${at.start} AND b.status = 'held' AND b.hold_expires_at <= ${now} AND (b.id <> ${at.exceptId ?? null}::uuid) IS NOT FALSE
      ORDER BY 1`.execute(trx);
  await expireAll(ctx, trx, tenantId, rows.map((r) => r.id));
}

async function expireAll(ctx: PluginContext, trx: Tx, tenantId: string, ids: string[]): Promise<void> {
  for (const id of ids) await expireHoldIn(ctx, trx, tenantId, id);
}

/** Takes seats of the group session at `start` under the session row's lock. */
async function takeSeats(ctx: PluginContext, trx: Tx, tenantId: string, serviceId: string, start: Date, capacity: number, seats: number): Promise<string> {
  await trx.insertInto('booking_sessions').values({ tenant_id: tenantId, service_id: serviceId, start_at: start, capacity }).onConflict((oc) => oc.columns(['tenant_id', 'service_id', 'start_at']).doNothing()).execute();
  const session = await trx.selectFrom('booking_sessions').select(['id', 'capacity', 'seats_taken']).where('tenant_id', '=', tenantId).where('service_id', '=', serviceId).where('start_at', '=', start).forUpdate().executeTakeFirstOrThrow();
  if (session.seats_taken + seats > session.capacity) throw ctx.error('BF_ERR_BOOKING_GROUP_FULL', { start: start.toISOString() });
  await trx.updateTable('booking_sessions').set({ seats_taken: session.seats_taken + seats }).where('tenant_id', '=', tenantId).where('id', '=', session.id).execute();
  return session.id;
}

async function releaseSeats(trx: Tx, tenantId: string, sessionId: string | null, seats: number): Promise<void> {
  if (sessionId) await trx.updateTable('booking_sessions').set((eb) => ({ seats_taken: eb('seats_taken', '-', seats) })).where('tenant_id', '=', tenantId).where('id', '=', sessionId).execute();
}

/** The time a slot takes of its resources: with the service's buffers. */
const span = (slot: Slot, sc: SlotContext) => ({ from: new Date(slot.start - sc.service.buffer_before_min * MINUTE), to: new Date(slot.end + sc.service.buffer_after_min * MINUTE) });

async function occupy(ctx: PluginContext, trx: Tx, tenantId: string, bookingId: string, slot: Slot, sc: SlotContext, sessionId: string | null, holdExpiresAt: Date | null): Promise<void> {
  const o = { resourceIds: slot.resourceIds, ...span(slot, sc), sessionId, holdExpiresAt };
  await expireRunOutHolds(ctx, trx, tenantId, o);
  await takeResources(trx, tenantId, bookingId, o);
}

async function bookingByKey(ctx: PluginContext, db: Tx | PluginContext['db'], req: CreateBooking): Promise<BookingView | undefined> {
  if (!req.idempotencyKey) return undefined;
  const row = await db.selectFrom('booking_bookings').select(['id', 'idempotency_fingerprint']).where('tenant_id', '=', req.tenantId).where('idempotency_key', '=', req.idempotencyKey).executeTakeFirst();
  if (row && req.idempotencyFingerprint && row.idempotency_fingerprint && row.idempotency_fingerprint !== req.idempotencyFingerprint) {
    throw ctx.error('BF_ERR_BOOKING_IDEMPOTENCY_MISMATCH', { key: req.idempotencyKey.slice(req.idempotencyKey.lastIndexOf(':') + 1) });
  }
  return row && loadBooking(ctx, db, req.tenantId, row.id);
}

/** What other plugins said about a booking, asked before its transaction: busy times, its price, its go-ahead. */
export interface Prepared {
  external: ExternalBusy[];
  /** the resources the price was computed for: the transaction books exactly these */
  resourceIds?: string[];
  /** the price other plugins agreed to; without it, the slot's price × seats */
  price?: Money;
  /** a plugin wants the booking held while the client pays (booking.hold), this many minutes (else the config's) */
  hold?: { minutes?: number };
  /** the slot's price × seats and what each booking.price contributor changed of it (minor units; a discount is positive) */
  pricing?: { listPrice: number; changes: Array<{ source: string; amount: number }> };
  /**
   * The slot found free for the asking above: the transaction books it without computing it again, as what changed
   * since (another booking of its time) the exclusion constraint refuses, and a group's seats are counted under lock.
   */
  checked?: { slot: Slot; sc: SlotContext };
}

/** Refusals by other plugins (booking.beforeCreate), told apart from booking's own errors by the chat. */
const refusals = new WeakSet<object>();
export const isRefusal = (e: unknown): boolean => typeof e === 'object' && e !== null && refusals.has(e);

/** A plugin's check that did not answer, told to the chat as a refusal (the booking waits rather than skips it). */
function checkFailed(ctx: PluginContext, plugin: string): Error {
  const error = ctx.error('BF_ERR_BOOKING_CHECK_FAILED', { plugin });
  refusals.add(error);
  return error;
}

/**
 * Asks the plugins enabled for the business about a new booking, outside any transaction (they may call
 * out over the network, and read through their own connections): busy times (`booking.busyTimes`), the price
 * (`booking.price`), then whether it may be made (`booking.beforeCreate`; a refusal is thrown as the refusing
 * plugin's own error, an unanswered check as BF_ERR_BOOKING_CHECK_FAILED). The slot is checked here, and the
 * transaction books what was found (`checked`) without a second computation.
 */
async function prepareBooking(ctx: PluginContext, req: CreateBooking, cfg: BookingConfig): Promise<Prepared> {
  const at = req.start.getTime();
  const [{ busy }, pricing, checking, holding, { currency }] = await Promise.all([
    collectBusy(ctx, req.tenantId, req.serviceId, at, at + 1),
    ctx.extensions.contributors(req.tenantId, 'booking.price'), ctx.extensions.contributors(req.tenantId, 'booking.beforeCreate'),
    ctx.extensions.contributors(req.tenantId, 'booking.hold'), ctx.business(req.tenantId),
  ]);
  // On the pool, its reads in parallel; the transaction that follows only writes.
  const check = () => slotAt(ctx, ctx.db, cfg, { ...req, external: busy });
  const checked = await check().catch(async (e) => {
    if ((e as { code?: string }).code !== 'BF_ERR_BOOKING_GROUP_FULL') throw e;
    // A run-out hold's seats count as taken until it expires: expire it, then count again.
    await inTransaction(ctx, req.start, (trx) => expireRunOutHolds(ctx, trx, req.tenantId, { serviceId: req.serviceId, start: req.start }));
    return check();
  });
  const { slot } = checked;
  // Nobody to ask about the price or the go-ahead: the slot's price, and the transaction decides.
  if (!pricing.length && !checking.length && !holding.length) return { external: busy, resourceIds: slot.resourceIds, checked };
  const seats = req.seats ?? 1;
  const phone = 'id' in req.client || !req.client.phone ? undefined : await normalizePhone(ctx, req.tenantId, req.client.phone);
  const client: BookingRequest['client'] = 'id' in req.client
    ? { id: req.client.id, phoneVerified: false }
    : {
      phone, phoneVerified: req.client.phoneVerified === true, name: req.client.name, conversation: req.client.conversation,
      phoneHolder: phone ? await ctx.contacts.findByPhone(ctx.db, req.tenantId, phone) : null,
    };
  const request: BookingRequest = {
    serviceId: req.serviceId, start: new Date(slot.start).toISOString(), end: new Date(slot.end).toISOString(), resourceIds: slot.resourceIds,
    seats, kind: slot.kind, source: req.source, hold: req.hold === true, client,
  };
  const list = toMoney(slot.price * seats, currency);
  const { value: price, steps } = await ctx.extensions.pipeline(req.tenantId, 'booking.price', request, list, { accept: isPrice(currency) });
  const changes = steps.map((st, i) => ({ source: st.plugin, amount: (i ? steps[i - 1].value.amount : list.amount) - st.value.amount })).filter((c) => c.amount !== 0);
  const verdict = await ctx.extensions.veto(req.tenantId, 'booking.beforeCreate', { ...request, price });
  if (verdict.reasons.length) {
    refusals.add(verdict.reasons[0].error);
    throw verdict.reasons[0].error;
  }
  // A check that did not answer may be the one that would refuse (a prepayment): the booking waits for it.
  if (verdict.failed.length) throw checkFailed(ctx, verdict.failed[0].plugin);
  // A hold already asked for stays one; a prepayment due turns a booking into a hold while the client pays.
  const asked = req.hold ? { value: { hold: true }, failed: [] } : await ctx.extensions.pipeline(req.tenantId, 'booking.hold', { ...request, price }, { hold: false }, { accept: (v) => typeof v?.hold === 'boolean' });
  // A hold check that did not answer may be a prepayment due: booking without it would confirm the (discounted) price unpaid.
  if (asked.failed.length) throw checkFailed(ctx, asked.failed[0].plugin);
  const hold: HoldDecision = asked.value;
  return {
    external: busy, resourceIds: slot.resourceIds, price, pricing: { listPrice: list.amount, changes }, checked,
    ...(hold.hold && !req.hold ? { hold: { minutes: hold.minutes } } : {}),
  };
}

/** Books on the caller's transaction; `prepared` (from prepareBooking) pins the resources and the price other plugins agreed to. */
export async function createBookingIn(ctx: PluginContext, trx: Tx, req: CreateBooking, cfg: BookingConfig, prepared?: Prepared): Promise<BookingView> {
  // A run-out hold's seats count as taken until it expires: expire it before the seats are counted (only a group has seats).
  const kind = prepared?.checked?.sc.service.kind;
  if (kind === undefined || kind === 'group') await expireRunOutHolds(ctx, trx, req.tenantId, { serviceId: req.serviceId, start: req.start });
  const { slot, sc } = prepared?.checked ?? await slotAt(ctx, trx, cfg, { ...req, resourceIds: prepared?.resourceIds ?? req.resourceIds, external: prepared?.external });
  const client = await clientFor(ctx, trx, req.tenantId, req.client);
  const seats = req.seats ?? 1;
  const sessionId = sc.service.kind === 'group' ? await takeSeats(ctx, trx, req.tenantId, req.serviceId, req.start, sc.service.capacity, seats) : null;
  if (!sessionId && seats !== 1) throw ctx.error('BF_ERR_BOOKING_GROUP_FULL', { start: req.start.toISOString() });
  const held = req.hold === true || prepared?.hold !== undefined || req.test !== undefined;
  const holdExpiresAt = held ? new Date(ctx.now().getTime() + (req.test ? TEST_HOLD_MINUTES : req.holdMinutes ?? prepared?.hold?.minutes ?? cfg.holdMinutes) * MINUTE) : null;
  const status: BookingStatus = held ? 'held' : cfg.autoConfirm ? 'confirmed' : 'pending';
  const insert = trx.insertInto('booking_bookings').values({
    tenant_id: req.tenantId, service_id: req.serviceId, client_id: client.id, session_id: sessionId, start_at: new Date(slot.start), end_at: new Date(slot.end),
    status, kind: slot.kind, price: prepared?.price ? fromMoney(prepared.price) : slot.price * seats, seats, source: req.source, comment: req.comment ?? '', hold_expires_at: holdExpiresAt, created_by: req.actor.kind === 'user' ? req.actor.id : null,
    idempotency_key: req.idempotencyKey ?? null, idempotency_fingerprint: req.idempotencyFingerprint ?? null, contact_phone: req.publicLimits?.phone ?? null,
    test: req.test !== undefined, test_chat: req.test?.chat ?? null,
    origin: req.origin.source, origin_channel: req.origin.channel ?? null, origin_answers: JSON.stringify(req.origin.answers ?? []),
  }).returningAll();
  // The booking, its resources and its view in one statement; a run-out hold in the way is expired first (rare).
  const o = { resourceIds: slot.resourceIds, ...span(slot, sc), sessionId, holdExpiresAt };
  const { row, runOut } = await insertOccupying(trx, req.tenantId, insert, o, ctx.now());
  if (runOut.length) {
    await expireAll(ctx, trx, req.tenantId, runOut);
    await takeResources(trx, req.tenantId, row.id, o);
  }
  // On this transaction: a booking rolled back (taken slot, a waitlist offer's savepoint) leaves no job behind.
  if (holdExpiresAt) await ctx.jobs.schedule(holdExpiresAt, 'expire-hold', { bookingId: row.id }, { tenantId: req.tenantId, key: holdExpiryKey(row.id), trx });
  const view = runOut.length ? (await loadBooking(ctx, trx, req.tenantId, row.id, [client]))! : (await toViews(ctx, trx, req.tenantId, [row], [client]))[0];
  await record(ctx, trx, req.tenantId, req.actor, 'created', undefined, view, [['booking.created', {
    serviceId: view.serviceId, clientId: view.client.id, start: view.start, end: view.end, resourceIds: view.resourceIds, status, source: req.source,
    ...(prepared?.pricing?.changes.length ? { pricing: prepared.pricing } : {}),
  }]]);
  return view;
}

/** Runs a booking mutation in its own transaction and maps exclusion-constraint conflicts to BF_ERR_SLOT_TAKEN. */
export async function inTransaction<T>(ctx: PluginContext, start: Date | undefined, fn: (trx: Tx) => Promise<T>): Promise<T> {
  try {
    return await ctx.transaction(fn);
  } catch (e) {
    if (isSlotTakenError(e)) throw ctx.error('BF_ERR_SLOT_TAKEN', { start: start?.toISOString() ?? '' }, e);
    throw e;
  }
}

/** Books in its own transaction; `replayed`: the idempotency key had already booked, and that booking is the answer. */
export async function createBookingOnce(ctx: PluginContext, req: CreateBooking): Promise<{ view: BookingView; replayed: boolean }> {
  const cfg = await bookingConfig(ctx, req.tenantId);
  // A retry of a booking already made gets it back, without asking other plugins again (a second ask could refuse it).
  const done = await bookingByKey(ctx, ctx.db, req);
  if (done) return { view: done, replayed: true };
  let made: BookingView | undefined;
  let view: BookingView;
  try {
    // Inside the try: the slot it finds taken may be this key's own booking, committed a moment ago by a retry.
    const prepared = await prepareBooking(ctx, req, cfg);
    view = await inTransaction(ctx, req.start, async (trx) => {
      // The phone's lock before the key: a retry racing its original waits for it and finds its booking, not the limit.
      if (req.publicLimits) await lockPhone(trx, req.tenantId, req.publicLimits.phone);
      made = await bookingByKey(ctx, trx, req);
      if (made) return made;
      if (req.publicLimits) await checkPublicLimits(ctx, trx, req.tenantId, req.publicLimits);
      return createBookingIn(ctx, trx, req, cfg, prepared);
    });
  } catch (e) {
    // The same key committed meanwhile (its insert met ours on the key's index, or took the slot before we looked): that booking is the answer.
    made = await bookingByKey(ctx, ctx.db, req);
    if (!made) throw e;
    return { view: made, replayed: true };
  }
  return { view, replayed: made !== undefined };
}

export const createBooking = async (ctx: PluginContext, req: CreateBooking): Promise<BookingView> => (await createBookingOnce(ctx, req)).view;

export async function lockBooking(ctx: PluginContext, trx: Tx, tenantId: string, id: string): Promise<BookingView> {
  const locked = await trx.selectFrom('booking_bookings').select('id').where('tenant_id', '=', tenantId).where('id', '=', id).forUpdate().executeTakeFirst();
  if (!locked) throw ctx.error('BF_ERR_BOOKING_NOT_FOUND', { id });
  return (await loadBooking(ctx, trx, tenantId, id))!;
}

function freedPayload(b: BookingView) {
  return { serviceId: b.serviceId, resourceIds: b.resourceIds, start: b.start, end: b.end };
}

export interface Reschedule {
  start: Date;
  resourceIds?: string[];
  force?: boolean;
  /** busy times from other plugins, collected before the transaction */
  external?: ExternalBusy[];
  /** a new length (resizing in the journal); otherwise the service's or the specialist's */
  durationMin?: number;
}

/** Moves a booking to another start (and maybe other resources); the old time is announced as freed. */
export async function rescheduleIn(ctx: PluginContext, trx: Tx, tenantId: string, id: string, to: Reschedule, actor: Actor, cfg: BookingConfig): Promise<BookingView> {
  const before = await lockBooking(ctx, trx, tenantId, id);
  if (!OPEN_STATUSES.includes(before.status) || before.status === 'arrived') throw ctx.error('BF_ERR_BOOKING_FINISHED', { id, status: before.status });
  await expireRunOutHolds(ctx, trx, tenantId, { serviceId: before.serviceId, start: to.start, exceptId: id });
  const { slot, sc } = await slotAt(ctx, trx, cfg, { tenantId, serviceId: before.serviceId, start: to.start, resourceIds: to.resourceIds, excludeBookingId: id, force: to.force, external: to.external, durationMin: to.durationMin });
  await releaseSeats(trx, tenantId, before.sessionId, before.seats);
  const sessionId = sc.service.kind === 'group' ? await takeSeats(ctx, trx, tenantId, before.serviceId, to.start, sc.service.capacity, before.seats) : null;
  await trx.deleteFrom('booking_booking_resources').where('tenant_id', '=', tenantId).where('booking_id', '=', id).execute();
  await trx.updateTable('booking_bookings').set({ start_at: new Date(slot.start), end_at: new Date(slot.end), session_id: sessionId, price: slot.price * before.seats, updated_at: ctx.now() })
    .where('tenant_id', '=', tenantId).where('id', '=', id).execute();
  await occupy(ctx, trx, tenantId, id, slot, sc, sessionId, before.holdExpiresAt ? new Date(before.holdExpiresAt) : null);
  const after = (await loadBooking(ctx, trx, tenantId, id))!;
  await record(ctx, trx, tenantId, actor, 'rescheduled', before, after, [
    ['booking.rescheduled', { from: { start: before.start, end: before.end, resourceIds: before.resourceIds }, to: { start: after.start, end: after.end, resourceIds: after.resourceIds }, clientId: after.client.id }],
    ['booking.slot-freed', freedPayload(before)],
  ]);
  return after;
}

/** Moves a booking along its status graph; leaving to cancelled / no-show / expired frees its time and seats. */
export async function setStatusIn(ctx: PluginContext, trx: Tx, tenantId: string, id: string, status: BookingStatus, actor: Actor, reason?: string): Promise<BookingView> {
  const before = await lockBooking(ctx, trx, tenantId, id);
  if (before.status === status) return before;
  if (!TRANSITIONS[before.status].includes(status)) throw ctx.error('BF_ERR_BOOKING_BAD_TRANSITION', { from: before.status, to: status });
  const frees = FREEING.includes(status);
  await trx.updateTable('booking_bookings').set({ status, hold_expires_at: null, updated_at: ctx.now(), ...(status === 'cancelled' ? { cancel_reason: reason ?? '' } : {}) })
    .where('tenant_id', '=', tenantId).where('id', '=', id).execute();
  await trx.updateTable('booking_booking_resources').set({ hold_expires_at: null, ...(frees ? { active: false } : {}) }).where('tenant_id', '=', tenantId).where('booking_id', '=', id).execute();
  if (frees) await releaseSeats(trx, tenantId, before.sessionId, before.seats);
  if (before.status === 'held') await ctx.jobs.cancel({ tenantId, key: holdExpiryKey(id), trx });
  if (status === 'expired' || status === 'cancelled') await returnToQueue(trx, tenantId, [id]);
  const after = (await loadBooking(ctx, trx, tenantId, id))!;
  const events: Array<[string, Record<string, unknown>]> = [['booking.status-changed', { from: before.status, to: status, clientId: after.client.id, serviceId: after.serviceId, start: after.start }]];
  if (status === 'cancelled') events.push(['booking.cancelled', { reason: reason ?? '', clientId: after.client.id, serviceId: after.serviceId, start: after.start, by: actor.kind }]);
  if (status === 'completed') events.push(['booking.completed', { clientId: after.client.id, serviceId: after.serviceId, price: after.price, start: after.start }]);
  if (before.status === 'completed') events.push(['booking.completion-undone', { clientId: after.client.id, serviceId: after.serviceId, start: after.start }]);
  if (frees && new Date(before.end) > ctx.now()) events.push(['booking.slot-freed', freedPayload(before)]);
  await record(ctx, trx, tenantId, actor, status === 'cancelled' ? 'cancelled' : 'status', before, after, events);
  return after;
}

export async function setCommentIn(ctx: PluginContext, trx: Tx, tenantId: string, id: string, comment: string, actor: Actor): Promise<BookingView> {
  const before = await lockBooking(ctx, trx, tenantId, id);
  if (before.comment === comment) return before;
  await trx.updateTable('booking_bookings').set({ comment, updated_at: ctx.now() }).where('tenant_id', '=', tenantId).where('id', '=', id).execute();
  const after = (await loadBooking(ctx, trx, tenantId, id))!;
  await record(ctx, trx, tenantId, actor, 'updated', before, after, []);
  return after;
}

export interface BookingPatch {
  start?: string;
  /** a new length in minutes, from the same start unless `start` is given */
  durationMin?: number;
  resourceIds?: string[];
  force?: boolean;
  status?: BookingStatus;
  comment?: string;
  cancelReason?: string;
}

/**
 * Applies a PATCH in one transaction: comment, then time, then status. A new time without resources may go to
 * other resources free then, unless `keepResources` (a specialist's change never hands the booking to a colleague).
 */
export async function patchBooking(ctx: PluginContext, tenantId: string, id: string, patch: BookingPatch, actor: Actor, opts: { keepResources?: boolean } = {}): Promise<BookingView> {
  const start = patch.start ? new Date(patch.start) : undefined;
  const cfg = await bookingConfig(ctx, tenantId);
  const moves = Boolean(start || patch.resourceIds || patch.durationMin);
  // Busy times elsewhere are asked before the transaction; a missing booking is reported inside it, as before.
  const current = moves ? await loadBooking(ctx, ctx.db, tenantId, id) : undefined;
  const external = current ? (await collectBusy(ctx, tenantId, current.serviceId, (start ?? new Date(current.start)).getTime(), (start ?? new Date(current.start)).getTime() + 1)).busy : undefined;
  return inTransaction(ctx, start, async (trx) => {
    let view = await lockBooking(ctx, trx, tenantId, id);
    if (patch.comment !== undefined) view = await setCommentIn(ctx, trx, tenantId, id, patch.comment, actor);
    const resourceIds = patch.resourceIds ?? (opts.keepResources ? view.resourceIds : undefined);
    if (moves) view = await rescheduleIn(ctx, trx, tenantId, id, { start: start ?? new Date(view.start), resourceIds, force: patch.force, external, durationMin: patch.durationMin }, actor, cfg);
    if (patch.status) view = await setStatusIn(ctx, trx, tenantId, id, patch.status, actor, patch.cancelReason);
    return view;
  });
}
