import { sql } from 'kysely';
import type { LocalizedText, MessageButton, PluginContext, Role, Tx } from '../../../plugin-sdk.js';
import type { NotificationsService, StaffAlert } from '../contract.js';
import { everyLanguage, placeholders, type BookingFacts } from './compose.js';
import { logEntry } from './send.js';
import { callTaskKey } from './keys.js';
import { messageMember } from './member-message.js';

const DEFAULT_ROLES: Role[] = ['owner', 'admin'];

/**
 * Staff alerts through the members' linked Telegram and, for those who chose it, their email, in the alert's
 * transaction (the outbox sends after commit). Recipients: the alert's members and members of its roles, owners and
 * admins when it names neither; a member who turned the topic off, or has neither a linked chat nor email on, gets
 * nothing. Answers how many messages were queued.
 */
export async function alertStaff(ctx: PluginContext, trx: Tx, tenantId: string, alert: StaffAlert): Promise<{ queued: number }> {
  const members = await ctx.members.list(trx, tenantId);
  const roles = alert.roles ?? (alert.userIds ? [] : DEFAULT_ROLES);
  const wanted = members.filter((m) => m.active && (roles.includes(m.role) || alert.userIds?.includes(m.userId)));
  if (!wanted.length) return { queued: 0 };
  const prefs = await trx.selectFrom('notifications_staff').select(['user_id', 'bot_id', 'chat_id', 'email']).where('tenant_id', '=', tenantId).where('user_id', 'in', wanted.map((m) => m.userId))
    .where(sql<boolean>`${alert.topic} = ANY(topics)`).execute();
  const buttons = [...(alert.buttons ?? []), ...studioButton(ctx, alert.link)];
  const message = { text: alert.text, ...(buttons.length ? { buttons: [buttons] } : {}) };
  let queued = 0;
  for (const p of prefs) {
    const key = `notifications:staff:${alert.key}:${p.user_id}`;
    if (p.chat_id && p.bot_id) {
      await ctx.messages.send(trx, { tenantId, to: { conversation: { channel: 'telegram', botId: p.bot_id, chatId: p.chat_id } }, purpose: 'transactional', idempotencyKey: key, message });
      queued++;
    }
    const address = p.email && wanted.find((m) => m.userId === p.user_id)?.email;
    if (address) {
      await ctx.messages.send(trx, { tenantId, to: { email: address }, purpose: 'transactional', idempotencyKey: `${key}:email`, message: { ...message, subject: alert.subject ?? subjectOf(alert.text) } });
      queued++;
    }
  }
  return { queued };
}

/** An alert's first line as its email's subject, cut to the outbox's 200 characters. */
const subjectOf = (text: LocalizedText): LocalizedText =>
  Object.fromEntries(Object.entries(text).map(([l, v]) => [l, (v ?? '').split('\n')[0].slice(0, 200)])) as LocalizedText;

/** The alert's studio page as a link button; only with PUBLIC_URL, as Telegram opens absolute https links only. */
function studioButton(ctx: PluginContext, link: string | undefined): MessageButton[] {
  if (!link || !ctx.publicUrl) return [];
  return [{ label: everyLanguage(ctx, 'button.openStudio'), url: `${ctx.publicUrl}${link.startsWith('/') ? link : `/${link}`}` }];
}

export const notificationsService = (ctx: PluginContext): NotificationsService => ({
  alertStaff: (trx, tenantId, alert) => alertStaff(ctx, trx, tenantId, alert),
  messageMember: (trx, tenantId, userId, message, key) => messageMember(ctx, trx, tenantId, userId, message, key),
});

/** The members whose calendars a booking is on (a specialist's resource belongs to them). */
export async function calendarOwners(ctx: PluginContext, tenantId: string, resourceIds: string[]): Promise<string[]> {
  const resources = await ctx.service('booking').resources(tenantId);
  return resources.filter((r) => r.userId && resourceIds.includes(r.id)).map((r) => r.userId!);
}

/** Tells the specialists of a booking (and the admins) what happened to it. */
export async function bookingAlert(ctx: PluginContext, trx: Tx, tenantId: string, facts: BookingFacts, what: 'new' | 'changed' | 'cancelled', key: string): Promise<void> {
  const userIds = await calendarOwners(ctx, tenantId, facts.booking.resourceIds);
  const topic = what === 'new' ? 'booking.new' : what === 'changed' ? 'booking.changed' : 'booking.cancelled';
  await alertStaff(ctx, trx, tenantId, { topic, key, userIds, roles: DEFAULT_ROLES, text: everyLanguage(ctx, `staff.${what}`, (l) => placeholders(ctx, facts, l)), link: `/studio/booking/bookings?id=${facts.booking.id}` });
}

/** The last step of an unanswered reminder: a task "call the client" for the admins, and an alert with a button to close it. */
export async function callClient(ctx: PluginContext, trx: Tx, tenantId: string, facts: BookingFacts): Promise<void> {
  const b = facts.booking;
  const clientPhone = facts.contact?.identities.find((i) => i.kind === 'phone')?.value ?? '—';
  const vars = (l: 'en' | 'ru' | 'uk') => placeholders(ctx, facts, l, { clientPhone });
  const task = await ctx.tasks.create(trx, tenantId, {
    kind: 'call-client', key: callTaskKey(b.id), title: everyLanguage(ctx, 'task.call', vars), contactId: b.clientId, bookingId: b.id,
    dueAt: new Date(Math.min(Date.parse(b.start), ctx.now().getTime() + 30 * 60_000)), data: { bookingId: b.id },
  });
  await alertStaff(ctx, trx, tenantId, {
    topic: 'task.new', key: callTaskKey(b.id), roles: ['owner', 'admin', 'manager'], text: everyLanguage(ctx, 'staff.call', vars),
    buttons: [{ label: everyLanguage(ctx, 'button.called'), action: 'notifications.called', payload: { bookingId: b.id } }],
  });
  await logEntry(ctx, trx, tenantId, b.id, 'escalated', { taskId: task.id });
}
