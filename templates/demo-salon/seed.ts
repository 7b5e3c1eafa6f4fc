import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Tx } from '../../plugin-sdk.js';
import type { Graph } from '../../core/flow/graph.js';
import { DEMO_MAIN_FLOW } from './flow.js';

/** The booking flow (booking plugin nodes), which the main menu's "Book" button jumps to. */
function bookingFlow(): { key: string; name: string; graph: Graph } {
  const { key, name, ...graph } = JSON.parse(fs.readFileSync(path.join(import.meta.dirname, 'booking.flow.json'), 'utf8')) as { key: string; name: string } & Graph;
  return { key, name, graph };
}

/**
 * The demo business's bot (no token: TELEGRAM_BOT_TOKEN binds it at start) with its main-menu
 * and booking flows, each published as version 1. Runs inside the demo seeding transaction.
 */
export async function seedDemoSalon(trx: Tx, tenantId: string): Promise<void> {
  const bot = await trx.insertInto('bots').values({ tenant_id: tenantId, name: 'Demo Beauty & Spa', webhook_secret: crypto.randomBytes(24).toString('hex'), flow_key: 'main', is_demo: true, enabled: true })
    .returning('id').executeTakeFirstOrThrow();
  for (const flow of [{ key: 'main', name: 'Главное меню', graph: DEMO_MAIN_FLOW }, bookingFlow()]) {
    const graph = JSON.stringify(flow.graph);
    const row = await trx.insertInto('flows').values({ tenant_id: tenantId, key: flow.key, name: flow.name, bot_id: bot.id, draft: graph, published_version: 1 })
      .returning('id').executeTakeFirstOrThrow();
    await trx.insertInto('flow_versions').values({ flow_id: row.id, version: 1, graph }).execute();
  }
}
