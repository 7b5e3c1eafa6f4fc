import crypto from 'node:crypto';
import type { Tx } from '../../plugin-sdk.js';
import { DEMO_MAIN_FLOW } from './flow.js';

/**
 * The demo business's bot (no token: TELEGRAM_BOT_TOKEN binds it at start) and its main-menu
 * flow, published as version 1. Runs inside the demo seeding transaction.
 */
export async function seedDemoSalon(trx: Tx, tenantId: string): Promise<void> {
  const bot = await trx.insertInto('bots').values({ tenant_id: tenantId, name: 'Demo Beauty & Spa', webhook_secret: crypto.randomBytes(24).toString('hex'), flow_key: 'main', is_demo: true, enabled: true })
    .returning('id').executeTakeFirstOrThrow();
  const graph = JSON.stringify(DEMO_MAIN_FLOW);
  const flow = await trx.insertInto('flows').values({ tenant_id: tenantId, key: 'main', name: 'Главное меню', bot_id: bot.id, draft: graph, published_version: 1 })
    .returning('id').executeTakeFirstOrThrow();
  await trx.insertInto('flow_versions').values({ flow_id: flow.id, version: 1, graph }).execute();
}
