import crypto from 'node:crypto';
import { DateTime } from 'luxon';
import type { ActionHandler, ConversationRef, Locale, MessageButton, MessageContent, NodeRuntime, PluginContext, Role, Tx } from '../../../plugin-sdk.js';
import type { BookingStatus, BookingSummary } from '../../booking/contract.js';
import { clockIn, everyLanguage } from './compose.js';
import { agendaKey, callTaskKey } from './keys.js';

const CODE_MINUTES = 15;
export const CODE_PREFIX = 'staff-';
const hash = (code: string) => crypto.createHash('sha256').update(code).digest('hex');

/** A one-time code for a member's deep link into the business's bot (`/start staff-<code>`); only its hash is kept. */
export async function newLinkCode(ctx: PluginContext, tenantId: string, userId: string): Promise<{ code: string; start: string; expiresAt: string }> {
  const code = crypto.randomBytes(12).toString('base64url');
  const expiresAt = new Date(ctx.now().getTime() + CODE_MINUTES * 60_000);
  await ctx.transaction(async (trx) => {
    await trx.deleteFrom('notifications_link_codes').where('tenant_id', '=', tenantId).where('user_id', '=', userId).execute();
    await trx.insertInto('notifications_link_codes').values({ tenant_id: tenantId, code_hash: hash(code), user_id: userId, expires_at: expiresAt }).execute();
  });
  return { code, start: `${CODE_PREFIX}${code}`, expiresAt: expiresAt.toISOString() };
}

interface StaffMember {
  userId: string;
  role: Role;
  name: string;
}

/** The member whose linked chat this is, if they are still in the business. */
async function memberOf(ctx: PluginContext, q: Tx, tenantId: string, c: ConversationRef): Promise<StaffMember | undefined> {
  if (c.channel !== 'telegram') return undefined;
  const link = await q.selectFrom('notifications_staff').select('user_id').where('tenant_id', '=', tenantId).where('bot_id', '=', c.botId ?? null).where('chat_id', '=', c.chatId).executeTakeFirst();
  if (!link) return undefined;
  const [m] = await ctx.members.list(q, tenantId, { userIds: [link.user_id] });
  return m?.active ? { userId: m.userId, role: m.role, name: m.name || m.email } : undefined;
}

const menu = (ctx: PluginContext): MessageButton[][] => [
  [{ label: everyLanguage(ctx, 'button.today'), action: 'notifications.staff-day', payload: { days: 0 } }, { label: everyLanguage(ctx, 'button.tomorrow'), action: 'notifications.staff-day', payload: { days: 1 } }],
  [{ label: everyLanguage(ctx, 'button.blockHour'), action: 'notifications.staff-block', payload: { span: 'hour' } }, { label: everyLanguage(ctx, 'button.blockDay'), action: 'notifications.staff-block', payload: { span: 'tomorrow' } }],
];

/** The flow node behind the deep link: the code's member gets this chat for their notifications and the staff menu. */
export const linkStaff: NodeRuntime = async (input, ctx) => {
  const trx = input.db as Tx;
  const raw = String(input.vars[String(input.settings.codeVar ?? 'startPayload')] ?? '');
  const code = raw.startsWith(CODE_PREFIX) ? raw.slice(CODE_PREFIX.length) : raw;
  const row = code && input.conversation?.channel === 'telegram'
    ? await trx.deleteFrom('notifications_link_codes').where('tenant_id', '=', input.tenantId).where('code_hash', '=', hash(code)).returning(['user_id', 'expires_at']).executeTakeFirst()
    : undefined;
  if (!row || new Date(row.expires_at) <= ctx.now() || !input.conversation) return { messages: [{ text: ctx.t(input.locale, 'reply.linkInvalid') }], next: 'invalid' };
  const { botId = null, chatId } = input.conversation;
  // One chat is one member's: linking it again moves it.
  await trx.updateTable('notifications_staff').set({ bot_id: null, chat_id: null }).where('tenant_id', '=', input.tenantId).where('bot_id', '=', botId).where('chat_id', '=', chatId).execute();
  await trx.insertInto('notifications_staff').values({ tenant_id: input.tenantId, user_id: row.user_id, bot_id: botId, chat_id: chatId, linked_at: ctx.now() })
    .onConflict((oc) => oc.columns(['tenant_id', 'user_id']).doUpdateSet({ bot_id: botId, chat_id: chatId, linked_at: ctx.now() })).execute();
  const [member] = await ctx.members.list(trx, input.tenantId, { userIds: [row.user_id] });
  const business = await ctx.business(input.tenantId, trx);
  await ctx.messages.send(trx, {
    tenantId: input.tenantId, to: { conversation: input.conversation }, purpose: 'reply', idempotencyKey: `notifications:linked:${row.user_id}:${ctx.now().getTime()}`,
    message: { text: everyLanguage(ctx, 'reply.linked', () => ({ name: member?.name || member?.email || '', business: business.name })), buttons: menu(ctx) },
  });
  return { next: 'linked' };
};

const OPEN: BookingStatus[] = ['pending', 'confirmed', 'arrived'];
const SHOWN: BookingStatus[] = [...OPEN, 'completed', 'no_show'];

/** The member's own calendars: the resources that are theirs. */
async function ownResources(ctx: PluginContext, tenantId: string, userId: string): Promise<string[]> {
  return (await ctx.service('booking').resources(tenantId)).filter((r) => r.userId === userId).map((r) => r.id);
}

/** A day's bookings on the member's calendars, with a button for each next step of each open one. */
export async function agenda(ctx: PluginContext, tenantId: string, userId: string, days: number, locale: Locale): Promise<MessageContent> {
  const { timezone } = await ctx.business(tenantId);
  const resources = await ownResources(ctx, tenantId, userId);
  const day = DateTime.fromJSDate(ctx.now(), { zone: timezone }).startOf('day').plus({ days });
  const clock = clockIn(timezone);
  const date = clock.date(day.toJSDate(), locale);
  if (!resources.length) return { text: ctx.t(locale, 'reply.noResource'), buttons: menu(ctx) };
  const list = await ctx.service('booking').bookings(tenantId, { from: day.toJSDate(), to: day.plus({ days: 1 }).toJSDate(), resourceIds: resources, statuses: SHOWN });
  if (!list.length) return { text: ctx.t(locale, 'reply.noBookings', { date }), buttons: menu(ctx) };
  const clients = new Map((await ctx.contacts.getMany(ctx.db, tenantId, list.map((b) => b.clientId))).map((c) => [c.id, c.name]));
  const lines = list.map((b) => ctx.t(locale, 'reply.agendaLine', { time: clock.time(b.start), service: b.serviceName, client: clients.get(b.clientId) ?? '—', status: ctx.t(locale, `status.${b.status}`) }));
  const mark = (b: BookingSummary, status: BookingStatus, key: string): MessageButton => ({ label: everyLanguage(ctx, `button.${key}`, () => ({ time: clock.time(b.start) })), action: 'notifications.staff-mark', payload: { bookingId: b.id, status } });
  const buttons = list.filter((b) => OPEN.includes(b.status)).map((b) => (b.status === 'arrived' ? [mark(b, 'completed', 'completed')] : [mark(b, 'arrived', 'arrived'), mark(b, 'completed', 'completed'), mark(b, 'no_show', 'noShow')]));
  return { text: ctx.t(locale, 'reply.agenda', { date, list: lines.join('\n') }), buttons: [...buttons, ...menu(ctx)] };
}

const notStaff = (ctx: PluginContext, locale: Locale) => ({ reply: { text: ctx.t(locale, 'reply.notStaff') } });

const staffDay: ActionHandler = async (input, trx, ctx) => {
  const m = await memberOf(ctx, trx, input.tenantId, input.conversation);
  if (!m) return notStaff(ctx, input.locale);
  return { reply: await agenda(ctx, input.tenantId, m.userId, Number(input.payload.days) === 1 ? 1 : 0, input.locale) };
};

/**
 * A specialist marks a visit from Telegram, through the booking service as themselves: only bookings on their own
 * calendars (a manager's rights are not a specialist's). "Done" for a client not yet marked arrived marks both.
 */
const staffMark: ActionHandler = async (input, trx, ctx) => {
  const m = await memberOf(ctx, trx, input.tenantId, input.conversation);
  if (!m) return notStaff(ctx, input.locale);
  const svc = ctx.service('booking');
  const b = await svc.getBooking(input.tenantId, String(input.payload.bookingId));
  const own = await ownResources(ctx, input.tenantId, m.userId);
  const status = input.payload.status as BookingStatus;
  if (!b || !b.resourceIds.some((id) => own.includes(id)) || !OPEN.includes(b.status) || !['arrived', 'completed', 'no_show'].includes(status)) return { reply: { text: ctx.t(input.locale, 'reply.stale') } };
  const actor = { kind: 'user' as const, id: m.userId };
  if (status === 'completed' && b.status !== 'arrived') await svc.setStatus(input.tenantId, b.id, 'arrived', actor);
  const after = await svc.setStatus(input.tenantId, b.id, status, actor);
  const { timezone } = await ctx.business(input.tenantId);
  const client = await ctx.contacts.get(ctx.db, input.tenantId, b.clientId);
  return { reply: { text: ctx.t(input.locale, 'reply.marked', { time: clockIn(timezone).time(after.start), client: client?.name ?? '—', status: ctx.t(input.locale, `status.${after.status}`) }) }, removeButtons: true };
};

/** Blocks the next hour or tomorrow on the specialist's own calendar; the clients of bookings in it are offered other times. */
const staffBlock: ActionHandler = async (input, trx, ctx) => {
  const m = await memberOf(ctx, trx, input.tenantId, input.conversation);
  if (!m) return notStaff(ctx, input.locale);
  const [resourceId] = await ownResources(ctx, input.tenantId, m.userId);
  if (!resourceId) return { reply: { text: ctx.t(input.locale, 'reply.noResource') } };
  const { timezone } = await ctx.business(input.tenantId);
  const now = DateTime.fromJSDate(ctx.now(), { zone: timezone });
  const [start, end] = input.payload.span === 'tomorrow' ? [now.startOf('day').plus({ days: 1 }), now.startOf('day').plus({ days: 2 })] : [now.startOf('minute'), now.startOf('minute').plus({ hours: 1 })];
  const done = await ctx.service('booking').blockPeriod(input.tenantId, { resourceId, kind: 'blocked', start: start.toJSDate(), end: end.toJSDate(), reason: 'Telegram' }, m.userId);
  const clock = clockIn(timezone);
  const at = (d: DateTime) => `${clock.date(d.toJSDate(), input.locale)} ${clock.time(d.toJSDate())}`;
  return { reply: { text: ctx.t(input.locale, 'reply.blocked', { from: at(start), to: at(end), count: done.affectedBookingIds.length }) } };
};

/** A member's daily agenda, at their chosen local time; each run schedules the next day's. */
export async function scheduleAgenda(ctx: PluginContext, trx: Tx, tenantId: string, userId: string, time: string | null): Promise<void> {
  if (!time) {
    await ctx.jobs.cancel({ tenantId, key: agendaKey(userId), trx });
    return;
  }
  const { timezone } = await ctx.business(tenantId, trx);
  const now = DateTime.fromJSDate(ctx.now(), { zone: timezone });
  let at = now.set({ hour: Number(time.slice(0, 2)), minute: Number(time.slice(3, 5)), second: 0, millisecond: 0 });
  if (at <= now) at = at.plus({ days: 1 });
  await ctx.jobs.schedule(at.toJSDate(), 'agenda', { userId }, { tenantId, key: agendaKey(userId), trx });
}

/** The member's agenda of the day to their linked chat and, when they chose email, to their address. */
export async function sendAgenda(ctx: PluginContext, tenantId: string, userId: string): Promise<void> {
  const link = await ctx.db.selectFrom('notifications_staff').select(['bot_id', 'chat_id', 'email', 'agenda_time']).where('tenant_id', '=', tenantId).where('user_id', '=', userId).executeTakeFirst();
  if (!link?.agenda_time) return;
  const { locale, timezone } = await ctx.business(tenantId);
  const [member] = await ctx.members.list(ctx.db, tenantId, { userIds: [userId] });
  const address = link.email && member?.active ? member.email : undefined;
  const content = (link.chat_id && link.bot_id) || address ? await agenda(ctx, tenantId, userId, 0, locale) : undefined;
  await ctx.transaction(async (trx) => {
    // Once per the business's day: the process's zone would make 01:00 in Moscow yesterday's agenda in UTC.
    const key = `notifications:agenda:${userId}:${DateTime.fromJSDate(ctx.now(), { zone: timezone }).toISODate()}`;
    if (content && link.chat_id && link.bot_id) {
      await ctx.messages.send(trx, { tenantId, to: { conversation: { channel: 'telegram', botId: link.bot_id, chatId: link.chat_id } }, purpose: 'transactional', idempotencyKey: key, message: content });
    }
    if (content && address) {
      await ctx.messages.send(trx, { tenantId, to: { email: address }, purpose: 'transactional', idempotencyKey: `${key}:email`, message: { ...content, subject: everyLanguage(ctx, 'email.agendaSubject') } });
    }
    await scheduleAgenda(ctx, trx, tenantId, userId, link.agenda_time);
  });
}

/** "Reached the client" under a call alert: the task is done, by this member. */
const called: ActionHandler = async (input, trx, ctx) => {
  const m = await memberOf(ctx, trx, input.tenantId, input.conversation);
  if (!m) return notStaff(ctx, input.locale);
  await ctx.tasks.close(trx, input.tenantId, callTaskKey(String(input.payload.bookingId)), { status: 'done', result: 'called', actorId: m.userId });
  return { reply: { text: ctx.t(input.locale, 'reply.callDone') }, removeButtons: true };
};

export const staffActions: Record<string, ActionHandler> = { 'staff-day': staffDay, 'staff-mark': staffMark, 'staff-block': staffBlock, called };
