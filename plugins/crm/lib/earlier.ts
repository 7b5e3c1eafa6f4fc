import { DateTime } from 'luxon';
import type { PluginContext, Tx } from '../../../plugin-sdk.js';
import { earlierCandidates } from './earlier-candidates.js';

interface FreedSlot { bookingId: string; serviceId: string; resourceIds: string[]; start: string; end: string }

/**
 * Freed time before the day a "yellow" client wants to come earlier than: a task to offer it to them first
 * (booking's waitlist offers it to its queue meanwhile). The soonest wished dates first, at most 20 clients.
 * Those holding a later booking of the service are left out: booking offers them the time itself (earlier-candidates).
 */
export async function offerEarlierTime(ctx: PluginContext, trx: Tx, tenantId: string, slot: FreedSlot): Promise<void> {
  const { timezone } = await ctx.business(tenantId, trx);
  const day = DateTime.fromISO(slot.start, { zone: timezone }).toISODate()!;
  const wanting = await trx.selectFrom('crm_cards').select(['contact_id', 'earlier_than', 'earlier_comment']).where('tenant_id', '=', tenantId)
    .where('color', '=', 'earlier').where('earlier_than', '>', day).orderBy('earlier_than').limit(20).execute();
  if (!wanting.length) return;
  const offered = new Set((await earlierCandidates(slot, ctx, tenantId)).map((c) => c.clientId));
  const left = wanting.filter((w) => !offered.has(w.contact_id));
  if (!left.length) return;
  const service = (await ctx.service('booking').services(tenantId, undefined, trx)).find((s) => s.id === slot.serviceId)?.name ?? '';
  const when = DateTime.fromISO(slot.start, { zone: timezone }).toFormat('dd.MM HH:mm');
  for (const c of await ctx.contacts.getMany(trx, tenantId, left.map((w) => w.contact_id))) {
    const w = wanting.find((x) => x.contact_id === c.id)!;
    const vars = { name: c.name, when, service, comment: w.earlier_comment };
    await ctx.tasks.create(trx, tenantId, {
      kind: 'earlier-time', key: `earlier:${slot.bookingId}:${c.id}`, contactId: c.id, dueAt: ctx.now(),
      title: { en: ctx.t('en', 'task.earlier', vars), ru: ctx.t('ru', 'task.earlier', vars), uk: ctx.t('uk', 'task.earlier', vars) },
      data: { serviceId: slot.serviceId, start: slot.start, resourceIds: slot.resourceIds, actions: ['call', 'message', 'book'] },
    });
  }
}
