import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import type { Tx } from '../../../plugin-sdk.js';

const FLOW_FILE = path.resolve(import.meta.dirname, '../../../templates/demo-salon/booking.flow.json');

/**
 * Publishes the demo booking flow (templates/demo-salon/booking.flow.json, key `booking`) for the demo bot,
 * unless the demo salon seed already did. Runs after the core demo seed, which creates the bot and the flow tables.
 */
export async function seedDemoFlow(trx: Tx, tenantId: string): Promise<void> {
  const { rows } = await sql<{ ok: boolean }>`SELECT to_regclass('flows') IS NOT NULL AND to_regclass('bots') IS NOT NULL AS ok`.execute(trx);
  if (!rows[0]?.ok || !fs.existsSync(FLOW_FILE)) return;
  const { key, name, ...graph } = JSON.parse(fs.readFileSync(FLOW_FILE, 'utf8')) as { key: string; name: string } & Record<string, unknown>;
  const existing = await trx.selectFrom('flows').select('id').where('tenant_id', '=', tenantId).where('key', '=', key).where('deleted_at', 'is', null).executeTakeFirst();
  if (existing) return;
  const bot = await trx.selectFrom('bots').select('id').where('tenant_id', '=', tenantId).orderBy('created_at').executeTakeFirst();
  const flow = await trx.insertInto('flows').values({ tenant_id: tenantId, key, name, bot_id: bot?.id ?? null, draft: JSON.stringify(graph), published_version: 1 }).returning('id').executeTakeFirstOrThrow();
  await trx.insertInto('flow_versions').values({ flow_id: flow.id, version: 1, graph: JSON.stringify(graph) }).execute();
}
