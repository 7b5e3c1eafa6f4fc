import type { PluginContext } from '../../../plugin-sdk.js';
import type { CrmService } from '../contract.js';
import { cardRow, cardView, marksOf } from './cards.js';
import { crmConfig } from './config.js';
import { bonusPercent, statusOf } from './status.js';

export function crmService(ctx: PluginContext): CrmService {
  return {
    async marks(tenantId, contactId) {
      const [r, cfg, percent] = await Promise.all([cardRow(ctx.db, tenantId, contactId), crmConfig(ctx, tenantId), bonusPercent(ctx, tenantId, contactId)]);
      return marksOf(r, statusOf(r.visits + r.prior_visits, percent, cfg.vipPercent));
    },
    card: (tenantId, contactId, auth) => cardView(ctx, tenantId, contactId, auth),
  };
}
