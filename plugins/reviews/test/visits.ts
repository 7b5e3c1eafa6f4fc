import { DateTime } from 'luxon';
import { makeContact } from '../../../test/helpers/contacts.js';
import type { NodeTurnKit } from '../../../test/helpers/node-turn.js';
import { until } from '../../../test/helpers/wait.js';

/** The demo's regular service with more than one specialist: the visits the reviews tests rate. */
export async function reviewedService(kit: NodeTurnKit): Promise<string> {
  const db = kit.t.app.db.db;
  const service = await db.selectFrom('booking_services as s').innerJoin('booking_competencies as c', (j) => j.onRef('c.service_id', '=', 's.id').onRef('c.tenant_id', '=', 's.tenant_id'))
    .select('s.id').where('s.tenant_id', '=', kit.t.demoTenantId).where('s.needs_staff', '=', true).where('s.kind', '=', 'regular').where('s.deleted_at', 'is', null).groupBy('s.id').having((eb) => eb.fn.count('c.resource_id'), '>', 1).executeTakeFirstOrThrow();
  return service.id;
}

export interface VisitOptions { marketing?: boolean; telegram?: boolean; email?: string; locale?: 'en' | 'ru' | 'uk' }

/**
 * Makes completed visits: a client with a Telegram chat of the bot (and a phone), their visit booked and completed
 * now; resolves once reviews wrote its request. Chat ids count up from `firstChat`.
 */
export function visitMaker(kit: NodeTurnKit, opts: { botId: string; serviceId: string; firstChat: number }) {
  let chats = opts.firstChat;
  const t = kit.t;
  const db = t.app.db.db;
  return async (name: string, o: VisitOptions = {}) => {
    const chatId = ++chats;
    const contact = await makeContact(db, t.demoTenantId, {
      name, locale: o.locale ?? 'en', marketing: o.marketing,
      identities: [...(o.telegram === false ? [] : [{ kind: 'telegram' as const, value: String(chatId), botId: opts.botId }]), { kind: 'phone', value: `+7916${chatId}`, verified: true }, ...(o.email ? [{ kind: 'email' as const, value: o.email }] : [])],
    });
    const booking = t.app.host.get('reviews').ctx.service('booking');
    const now = t.clock.now();
    const slots = await booking.slots(t.demoTenantId, { serviceId: opts.serviceId, from: new Date(now.getTime() + 2 * 3600_000), to: new Date(now.getTime() + 7 * 86_400_000) });
    const taken = await db.selectFrom('reviews_requests').select('visit_start').execute();
    const slot = slots.find((s) => !taken.some((r) => r.visit_start.getTime() === Date.parse(s.start)))!;
    const actor = { kind: 'system' as const, id: null };
    const made = await booking.create(t.demoTenantId, { serviceId: opts.serviceId, start: new Date(slot.start), resourceIds: slot.resourceIds, client: { id: contact.id }, source: 'admin', actor });
    for (const status of ['arrived', 'completed'] as const) await booking.setStatus(t.demoTenantId, made.id, status, actor);
    const request = await until('the request to be written', () => db.selectFrom('reviews_requests').selectAll().where('booking_id', '=', made.id).executeTakeFirst());
    return { chatId, contactId: contact.id, bookingId: made.id, request, staffId: slot.resourceIds };
  };
}

/** 11:00 in the demo's zone, a day ahead at most: a request due 2 hours after a visit completed then is well outside the night. */
export function moveToEleven(kit: NodeTurnKit, zone = 'Europe/Moscow'): void {
  const now = DateTime.fromJSDate(kit.t.clock.now(), { zone });
  let at = now.set({ hour: 11, minute: 0, second: 0, millisecond: 0 });
  if (at <= now) at = at.plus({ days: 1 });
  kit.t.clock.set(at.toJSDate());
}
