import type { BeforeCreateInput, StaffChoice, StaffChoiceQuery } from '../../booking/contract.js';
import type { PluginContext, VetoReason } from '../../../plugin-sdk.js';
import { cardRow } from './cards.js';

/** The fixed specialist narrows the choice to them; liked staff come first and disliked ones are left out when others remain. */
export async function staffChoice(query: StaffChoiceQuery, ctx: PluginContext, tenantId: string): Promise<StaffChoice> {
  const [card, prefs] = await Promise.all([
    cardRow(ctx.db, tenantId, query.clientId),
    ctx.db.selectFrom('crm_preferences').select(['resource_id', 'kind']).where('tenant_id', '=', tenantId).where('contact_id', '=', query.clientId).execute(),
  ]);
  const only = card.locked && card.fixed_resource_id && query.staffIds.includes(card.fixed_resource_id) ? [card.fixed_resource_id] : undefined;
  return {
    ...(only ? { only } : {}),
    prefer: prefs.filter((p) => p.kind === 'positive').map((p) => p.resource_id),
    avoid: prefs.filter((p) => p.kind === 'negative').map((p) => p.resource_id),
  };
}

/** A booking of a locked client with another specialist is refused (the desk's "any" that fell on someone else, too). */
export async function lockedSpecialistVeto(input: BeforeCreateInput, ctx: PluginContext, tenantId: string): Promise<VetoReason | undefined> {
  const contact = input.client.id ? { id: input.client.id } : input.client.phoneHolder;
  if (!contact) return;
  const card = await cardRow(ctx.db, tenantId, contact.id);
  if (!card.locked || !card.fixed_resource_id) return;
  const resources = await ctx.service('booking').resources(tenantId);
  const staff = resources.filter((r) => r.kind === 'staff' && input.resourceIds.includes(r.id));
  if (!staff.length || staff.some((r) => r.id === card.fixed_resource_id)) return;
  const fixed = resources.find((r) => r.id === card.fixed_resource_id);
  return { code: 'BF_ERR_CRM_SPECIALIST_LOCKED', details: { name: fixed?.name ?? '' } };
}
