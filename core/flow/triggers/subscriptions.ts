import type { Tx } from '../../../plugin-sdk.js';
import type { Graph } from '../graph.js';
import { TRIGGER_TYPES } from '../nodes/definitions.js';
import { EVENT_TRIGGER } from './event-trigger-type.js';

/**
 * Makes `flow_triggers` hold the live version's event and plugin trigger nodes of a flow (chat triggers are
 * matched by the engine on each text): called in the transaction that publishes, rolls back, unpublishes
 * (`live` null) or deletes (null) the flow.
 */
export async function syncFlowTriggers(trx: Tx, tenantId: string, flowId: string, live: { version: number; graph: Graph } | null, isTrigger: (type: string) => boolean): Promise<void> {
  await trx.deleteFrom('flow_triggers').where('flow_id', '=', flowId).execute();
  const nodes = live ? live.graph.nodes.filter((n) => isTrigger(n.type) && !TRIGGER_TYPES.has(n.type)) : [];
  if (!nodes.length) return;
  await trx.insertInto('flow_triggers').values(nodes.map((n) => ({
    tenant_id: tenantId, flow_id: flowId, node_id: n.id, node_type: n.type, flow_version: live!.version,
    event_type: n.type === EVENT_TRIGGER ? String(n.settings.event) : null, settings: JSON.stringify(n.settings ?? {}),
  }))).execute();
}
