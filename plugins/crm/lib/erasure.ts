import type { PluginContext, Tx } from '../../../plugin-sdk.js';

const TABLES = ['crm_preferences', 'crm_prescriptions'] as const;

/** A merge: the kept contact keeps its own card (the duplicate's goes) or takes the duplicate's; preferences and prescriptions move. */
export async function moveCard(trx: Tx, tenantId: string, mergedId: string, keptId: string): Promise<void> {
  const kept = await trx.selectFrom('crm_cards').select('contact_id').where('tenant_id', '=', tenantId).where('contact_id', '=', keptId).executeTakeFirst();
  if (kept) await trx.deleteFrom('crm_cards').where('tenant_id', '=', tenantId).where('contact_id', '=', mergedId).execute();
  else await trx.updateTable('crm_cards').set({ contact_id: keptId }).where('tenant_id', '=', tenantId).where('contact_id', '=', mergedId).execute();
  await trx.deleteFrom('crm_preferences').where('tenant_id', '=', tenantId).where('contact_id', '=', mergedId)
    .where('resource_id', 'in', trx.selectFrom('crm_preferences').select('resource_id').where('tenant_id', '=', tenantId).where('contact_id', '=', keptId)).execute();
  for (const table of TABLES) await trx.updateTable(table).set({ contact_id: keptId }).where('tenant_id', '=', tenantId).where('contact_id', '=', mergedId).execute();
}

/** The client's card, notes, preferences and prescriptions go for good (core calls this inside the erasure). */
export async function eraseContactData(ctx: PluginContext, trx: Tx, tenantId: string, contactId: string): Promise<void> {
  for (const table of ['crm_cards', ...TABLES]) await trx.deleteFrom(table).where('tenant_id', '=', tenantId).where('contact_id', '=', contactId).execute();
  await trx.updateTable('crm_erasures').set({ erased_at: ctx.now() }).where('tenant_id', '=', tenantId).where('contact_id', '=', contactId).execute();
}

export const erasureKey = (contactId: string) => `erase:${contactId}`;

/** The grace period is over: the contact is erased everywhere (core and every plugin, one transaction). */
export async function eraseDue(ctx: PluginContext, tenantId: string, contactId: string): Promise<void> {
  await ctx.transaction(async (trx) => {
    const pending = await trx.selectFrom('crm_erasures').selectAll().where('tenant_id', '=', tenantId).where('contact_id', '=', contactId).where('erased_at', 'is', null).forUpdate().executeTakeFirst();
    if (!pending || new Date(pending.erase_at) > ctx.now()) return;
    await ctx.contacts.erase(trx, tenantId, contactId, pending.requested_by);
    await ctx.events.emit(trx, tenantId, 'crm.contact-erased', { contactId });
  });
}
