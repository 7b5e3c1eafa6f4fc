import type { LocalizedText, MessageButton, PluginContext, Tx } from '../../../plugin-sdk.js';
import type { BookingSlot } from '../../booking/contract.js';
import { notificationsConfig } from './config.js';
import { bookingFacts, LOCALES, placeholders, renderTemplate } from './compose.js';
import { REMINDED } from './reminders.js';
import { logEntry, sendToClient } from './send.js';

const DAY = 86_400_000;
/** How many other days of the same specialist are offered, and how far ahead they are looked for. */
const OTHER_DAYS = 3;
const LOOK_AHEAD_DAYS = 14;

export interface Block {
  resourceId: string;
  start: string;
  end: string;
  eventId: string;
}

/** The first free start of each of the next days, the blocked period's days left out. */
function firstOfEachDay(slots: BookingSlot[], blockEnd: number, zoneDay: (iso: string) => string): BookingSlot[] {
  const days = new Map<string, BookingSlot>();
  for (const s of slots) {
    if (Date.parse(s.start) < blockEnd) continue;
    const day = zoneDay(s.start);
    if (!days.has(day)) days.set(day, s);
    if (days.size === OTHER_DAYS) break;
  }
  return [...days.values()];
}

/**
 * A booking in a blocked period: its client gets the nearest alternatives as one-tap buttons — another qualified
 * specialist at the same time, the same specialist on other days. Nobody is moved without choosing, unless the
 * business lets the booking move to another specialist at the same time by itself.
 */
export async function offerAlternatives(ctx: PluginContext, trx: Tx, tenantId: string, bookingId: string, block: Block): Promise<void> {
  const svc = ctx.service('booking');
  const b = await svc.getBooking(tenantId, bookingId);
  if (!b || !REMINDED.includes(b.status) || !b.resourceIds.includes(block.resourceId)) return;
  const cfg = await notificationsConfig(ctx, tenantId, trx);
  const start = new Date(b.start);
  const sameTime = (await svc.slots(tenantId, { serviceId: b.serviceId, from: start, to: new Date(start.getTime() + 1), excludeBookingId: b.id }))
    .filter((s) => s.start === b.start && !s.resourceIds.includes(block.resourceId));
  if (cfg.autoMoveToOtherSpecialist && sameTime.length) {
    // The reschedule's own event tells the client where the booking went.
    await svc.reschedule(tenantId, b.id, { start, resourceIds: sameTime[0].resourceIds }, { kind: 'system', id: null });
    await logEntry(ctx, trx, tenantId, b.id, 'auto-moved', { resourceIds: sameTime[0].resourceIds });
    return;
  }
  const now = ctx.now().getTime();
  const later = await svc.slots(tenantId, { serviceId: b.serviceId, from: new Date(now), to: new Date(now + LOOK_AHEAD_DAYS * DAY), resourceIds: [block.resourceId], excludeBookingId: b.id });
  const facts = await bookingFacts(ctx, tenantId, b, cfg);
  const names = new Map((await svc.resources(tenantId)).map((r) => [r.id, { name: r.name, staff: r.kind === 'staff' }]));
  const staffName = (s: BookingSlot) => s.resourceIds.map((id) => names.get(id)).find((r) => r?.staff)?.name ?? '';
  const options = [...sameTime.slice(0, 2), ...firstOfEachDay(later, Date.parse(block.end), (iso) => facts.clock.date(iso, 'en'))];
  const label = (s: BookingSlot): LocalizedText => Object.fromEntries(LOCALES.map((l) => [l, ctx.t(l, 'button.alternative', { date: facts.clock.date(s.start, l), time: facts.clock.time(s.start), specialist: staffName(s) })])) as LocalizedText;
  const buttons: MessageButton[][] = options.map((s) => [{ label: label(s), action: 'notifications.move-to', payload: { bookingId: b.id, start: s.start, resourceIds: s.resourceIds } }]);
  const text = renderTemplate(ctx, cfg, 'blocked', (l) => placeholders(ctx, facts, l));
  if (!options.length) for (const l of LOCALES) text[l] = `${text[l]}\n${ctx.t(l, 'noAlternatives', { phone: cfg.businessPhone })}`;
  await sendToClient(ctx, trx, cfg, {
    tenantId, bookingId: b.id, contactId: b.clientId, kind: 'blocked', key: `blocked:${b.id}:${block.eventId}`, detail: { alternatives: options.map((s) => s.start) },
    message: { text, buttons },
  });
}
