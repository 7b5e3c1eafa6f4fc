import type { NodePort, NodeTypeDefinition } from '../../plugin-sdk.js';
import type { GraphNode } from './graph.js';

/** Every node may have an `error` edge; without one the engine sends a friendly fallback. */
export const ERROR_PORT = 'error';

/** The output ports of one node: the type's fixed ports plus one per item of its dynamic-port setting. */
export function nodePorts(node: GraphNode, def: NodeTypeDefinition): NodePort[] {
  const ports = [...def.ports];
  if (def.dynamicPorts) {
    const items = node.settings?.[def.dynamicPorts.from];
    if (Array.isArray(items)) {
      for (const item of items) {
        const id = item?.[def.dynamicPorts.idKey];
        if (typeof id === 'string' && !ports.some((p) => p.id === id)) ports.push({ id, label: item[def.dynamicPorts.labelKey] ?? { en: id } });
      }
    }
  }
  if (!ports.some((p) => p.id === ERROR_PORT)) ports.push({ id: ERROR_PORT, label: { en: 'On error' }, optional: true });
  return ports;
}
