import type { PluginContext } from '../../../plugin-sdk.js';
import { cardRow } from './cards.js';
import { crmConfig } from './config.js';

/**
 * A card's survey and custom privileges must come from the business's editable lists (the CRM settings'
 * interestCategories and privilegeOptions). A privilege the card already holds stays valid after it left the list,
 * so the card can still be saved; it cannot be given to anyone else.
 */
export async function assertKnownChoices(ctx: PluginContext, tenantId: string, contactId: string, body: { survey?: Record<string, number>; privileges?: string[] }): Promise<void> {
  const cfg = await crmConfig(ctx, tenantId);
  if (body.survey) {
    const keys = new Set(cfg.interestCategories.map((c) => c.key));
    const unknown = Object.keys(body.survey).find((k) => !keys.has(k));
    if (unknown) throw ctx.error('BF_ERR_CRM_CATEGORY_UNKNOWN', { key: unknown, field: `survey/${unknown}` });
  }
  if (body.privileges?.length) {
    const allowed = new Set([...cfg.privilegeOptions, ...(await cardRow(ctx.db, tenantId, contactId)).privileges]);
    const i = body.privileges.findIndex((p) => !allowed.has(p));
    if (i >= 0) throw ctx.error('BF_ERR_CRM_PRIVILEGE_UNKNOWN', { name: body.privileges[i], field: `privileges/${i}` });
  }
}
