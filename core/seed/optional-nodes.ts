import type { Graph, GraphNode } from '../flow/graph.js';

/**
 * A template flow's optional steps (its file's `optional` node ids) are dropped when they cannot run in this
 * product — a node type no loaded plugin provides, or a jump to a flow left out — instead of leaving the whole
 * flow out: the demo's booking flow keeps working without the loyalty plugin, only the points offer is gone.
 * An edge into a dropped node goes on to where the node's `next` edge led; a choice button that led to it is
 * removed with its edge, so the menu shows no entry that leads nowhere.
 */
export function dropOptional(graph: Graph, optional: readonly string[], runnable: (node: GraphNode) => boolean): Graph {
  const dropped = new Set(graph.nodes.filter((n) => optional.includes(n.id) && !runnable(n)).map((n) => n.id));
  if (!dropped.size) return graph;
  // Where a dropped node's `next` leads, past any dropped nodes in a row (a chain of optional steps).
  const onward = (id: string, seen = new Set<string>()): string | undefined => {
    const next = graph.edges.find((e) => e.source === id && e.sourcePort === 'next')?.target;
    return next && dropped.has(next) && !seen.has(next) ? onward(next, seen.add(next)) : next;
  };
  const removedButtons = new Map<string, Set<string>>();
  const edges = graph.edges.flatMap((e) => {
    if (dropped.has(e.source)) return [];
    if (!dropped.has(e.target)) return [e];
    const source = graph.nodes.find((n) => n.id === e.source);
    const isButton = source?.type === 'choice' && (source.settings.buttons as Array<{ id: string }>).some((b) => b.id === e.sourcePort);
    if (isButton) {
      removedButtons.set(e.source, (removedButtons.get(e.source) ?? new Set()).add(e.sourcePort));
      return [];
    }
    const target = onward(e.target);
    return target && !dropped.has(target) ? [{ ...e, target }] : [];
  });
  const nodes = graph.nodes.filter((n) => !dropped.has(n.id)).map((n) => {
    const gone = removedButtons.get(n.id);
    return gone ? { ...n, settings: { ...n.settings, buttons: (n.settings.buttons as Array<{ id: string }>).filter((b) => !gone.has(b.id)) } } : n;
  });
  return { ...graph, nodes, edges };
}
