import type { Graph, GraphVariable } from '../graph.js';

/** Builds test graphs tersely: nodes as [id, type, settings], edges as "source.port>target". */
export function graph(nodes: Array<[string, string, Record<string, unknown>?]>, edges: string[], variables: GraphVariable[] = []): Graph {
  return {
    schemaVersion: 1,
    variables,
    nodes: nodes.map(([id, type, settings], i) => ({ id, type, position: { x: i * 200, y: 0 }, settings: settings ?? {} })),
    edges: edges.map((e) => {
      const [, source, port, target] = /^([^.]+)\.([^>]+)>(.+)$/.exec(e)!;
      return { id: `${source}-${port}`, source, sourcePort: port, target };
    }),
  };
}

/** A text in English, given as the demo business's language (ru) too: the validator requires the business's language. */
export const en = (text: string) => ({ en: text, ru: text });
