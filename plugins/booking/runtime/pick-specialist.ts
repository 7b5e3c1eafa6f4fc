import type { NodeRuntime } from '../../../plugin-sdk.js';
import { message, say, vars } from './common.js';
import { chooseStaff } from '../lib/staff-choice.js';

/** Qualified staff of the chosen service and "any"; skipped when there is no choice to make. */
export const pickSpecialist: NodeRuntime = async (input, ctx) => {
  const { tenantId, locale, settings } = input;
  const serviceId = vars(input).bookingServiceId;
  if (!serviceId) return { next: 'next' };
  const [service, qualified] = await Promise.all([
    input.db.selectFrom('booking_services').select('needs_staff').where('tenant_id', '=', tenantId).where('id', '=', serviceId).executeTakeFirst(),
    input.db.selectFrom('booking_competencies as c').innerJoin('booking_resources as r', (j) => j.onRef('r.tenant_id', '=', 'c.tenant_id').onRef('r.id', '=', 'c.resource_id'))
      .select(['r.id', 'r.name', 'r.title']).where('c.tenant_id', '=', tenantId).where('c.service_id', '=', serviceId).where('r.deleted_at', 'is', null).where('r.active', '=', true)
      .orderBy('r.sort').orderBy('r.name').execute(),
  ]);
  // A fixed specialist leaves one to offer (so "any" is them); preferences order the list.
  const staff = await chooseStaff(ctx, tenantId, serviceId, input.client.contactId, qualified);
  if (!service?.needs_staff || staff.length === 0) return { set: { bookingResourceId: null, bookingSpecialistName: '' }, next: 'next' };
  if (staff.length === 1) return { set: { bookingResourceId: staff[0].id, bookingSpecialistName: staff[0].name }, next: 'next' };

  const value = input.input?.callback;
  if (value === 'any' && settings.allowAny !== false) return { set: { bookingResourceId: null, bookingSpecialistName: '' }, next: 'next' };
  const chosen = value?.startsWith('res:') ? staff.find((s) => s.id === value.slice(4)) : staff.find((s) => input.input?.text && s.name.toLowerCase().includes(input.input.text.trim().toLowerCase()));
  if (chosen) return { set: { bookingResourceId: chosen.id, bookingSpecialistName: chosen.name }, next: 'next' };

  // Other plugins' notes (a rating) follow the name; one that fails or is slow is left out by the core.
  const { results } = await ctx.extensions.collect(tenantId, 'booking.resourceBadges', { resourceIds: staff.map((s) => s.id), locale });
  const badge = (id: string) => results.flatMap((r) => (Array.isArray(r.value) ? r.value : [])).filter((b) => b.resourceId === id).map((b) => ` · ${b.text}`).join('');
  const buttons = [
    ...(settings.allowAny !== false ? [[{ label: ctx.t(locale, 'anySpecialist'), value: 'any' }]] : []),
    ...staff.map((s) => [{ label: `${s.title ? `${s.name} — ${s.title}` : s.name}${badge(s.id)}`, value: `res:${s.id}` }]),
  ];
  return { messages: [message(say(ctx, input, 'pickSpecialist', {}, settings.text), buttons)], wait: true };
};
