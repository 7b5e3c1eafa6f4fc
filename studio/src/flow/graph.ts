/** Conversions between the API's flow graph and the canvas, and the graph edits that need no DOM. */
import type { Edge, Node, NodeChange, NodeDimensionChange } from '@xyflow/react';
import type { FlowError, Graph, GraphEdge, GraphNode, LocalizedText, NodeTypeDef, Variable } from '../types.js';
import { defaultsFor, shortId } from '../forms/schema.js';

export type NodeData = { type: string; settings: Record<string, unknown> };
export type FlowNode = Node<NodeData, 'bf'>;
export type FlowEdge = Edge;
export interface Doc { nodes: FlowNode[]; edges: FlowEdge[]; variables: Variable[] }

export interface Port { id: string; label: LocalizedText | string; optional?: boolean }

/** Every node may have an `error` edge (the engine's rule); without one the client gets a polite fallback. */
export const ERROR_PORT: Port = { id: 'error', label: { en: 'On error', ru: 'При ошибке', uk: 'При помилці' }, optional: true };

/** Fixed ports, then one per item of the dynamic array setting (e.g. one per button). */
export function portsOf(def: NodeTypeDef | undefined, settings: Record<string, unknown>): Port[] {
  if (!def) return [];
  const ports: Port[] = [...def.ports];
  const dyn = def.dynamicPorts;
  if (dyn) {
    const items = settings[dyn.from];
    if (Array.isArray(items)) {
      for (const it of items as Array<Record<string, unknown>>) {
        const id = it?.[dyn.idKey];
        if (typeof id === 'string' && id && !ports.some((p) => p.id === id)) ports.push({ id, label: (it[dyn.labelKey] as LocalizedText | string) || id });
      }
    }
  }
  if (!ports.some((p) => p.id === ERROR_PORT.id)) ports.push(ERROR_PORT);
  return ports;
}

export const toFlowNode = (n: GraphNode): FlowNode => ({ id: n.id, type: 'bf', position: n.position, data: { type: n.type, settings: n.settings ?? {} } });
export const toFlowEdge = (e: GraphEdge): FlowEdge => ({ id: e.id, source: e.source, sourceHandle: e.sourcePort, target: e.target });

export function toDoc(g: Graph): Doc {
  return { nodes: (g.nodes ?? []).map(toFlowNode), edges: (g.edges ?? []).map(toFlowEdge), variables: g.variables ?? [] };
}

export function toGraph(d: Doc): Graph {
  return {
    schemaVersion: 1,
    nodes: d.nodes.map((n) => ({ id: n.id, type: n.data.type, position: { x: Math.round(n.position.x), y: Math.round(n.position.y) }, settings: n.data.settings })),
    edges: d.edges.map((e) => ({ id: e.id, source: e.source, sourcePort: e.sourceHandle ?? 'next', target: e.target })),
    variables: d.variables,
  };
}

export function newNode(def: NodeTypeDef, position: { x: number; y: number }): FlowNode {
  return { id: shortId('n'), type: 'bf', position, selected: true, data: { type: def.type, settings: (defaultsFor(def.settingsSchema) ?? {}) as Record<string, unknown> } };
}

/**
 * Writes the sizes the canvas measured into the nodes themselves when that is all `changes` say; false when they say
 * more. Sizes are not edits, and a new object for every measured node would make the canvas take in and draw each one
 * again (all 500 of a big flow, right after drawing them); the canvas keeps a node's size only if the node carries it.
 */
export function measureInPlace(nodes: FlowNode[], changes: NodeChange[]): boolean {
  const sizes = changes.filter((c): c is NodeDimensionChange => c.type === 'dimensions' && c.dimensions !== undefined && c.resizing === undefined && !c.setAttributes);
  if (sizes.length !== changes.length) return false;
  const byId = new Map(sizes.map((c) => [c.id, c.dimensions!]));
  for (const n of nodes) {
    const size = byId.get(n.id);
    if (size) n.measured = { ...size };
  }
  return true;
}

/** One edge per output port: connecting a port again moves its edge. */
export function connect(edges: FlowEdge[], c: { source: string; sourceHandle: string | null; target: string }): FlowEdge[] {
  const port = c.sourceHandle ?? 'next';
  const kept = edges.filter((e) => !(e.source === c.source && (e.sourceHandle ?? 'next') === port));
  return [...kept, { id: shortId('e'), source: c.source, sourceHandle: port, target: c.target }];
}

/** Drops edges whose node or port is gone (a deleted node, a removed button). */
export function pruneEdges(doc: Doc, defs: Map<string, NodeTypeDef>): FlowEdge[] {
  const ports = new Map(doc.nodes.map((n) => [n.id, new Set(portsOf(defs.get(n.data.type), n.data.settings).map((p) => p.id))]));
  return doc.edges.filter((e) => ports.has(e.target) && (ports.get(e.source)?.has(e.sourceHandle ?? 'next') ?? false));
}

export interface Clip { nodes: GraphNode[]; edges: GraphEdge[] }

export function copySelection(doc: Doc): Clip | null {
  const nodes = doc.nodes.filter((n) => n.selected);
  if (nodes.length === 0) return null;
  const ids = new Set(nodes.map((n) => n.id));
  const g = toGraph({ nodes, edges: doc.edges.filter((e) => ids.has(e.source) && ids.has(e.target)), variables: [] });
  return { nodes: g.nodes, edges: g.edges };
}

/** Pasted copies get new ids and sit a little off the originals; they become the selection. */
export function paste(doc: Doc, clip: Clip, offset = 40): Doc {
  const ids = new Map(clip.nodes.map((n) => [n.id, shortId('n')]));
  const nodes = clip.nodes.map((n) => ({ ...toFlowNode({ ...n, id: ids.get(n.id)!, position: { x: n.position.x + offset, y: n.position.y + offset }, settings: structuredClone(n.settings) }), selected: true }));
  const edges = clip.edges.map((e) => toFlowEdge({ ...e, id: shortId('e'), source: ids.get(e.source)!, target: ids.get(e.target)! }));
  return { ...doc, nodes: [...doc.nodes.map((n) => (n.selected ? { ...n, selected: false } : n)), ...nodes], edges: [...doc.edges, ...edges] };
}

/** A file someone imports must at least look like a graph. */
export function parseGraph(text: string): Graph {
  const g = JSON.parse(text) as Partial<Graph> & { draft?: Graph; graph?: Graph };
  const graph = (g.draft ?? g.graph ?? g) as Partial<Graph>;
  if (!Array.isArray(graph.nodes) || !Array.isArray(graph.edges)) throw new Error('not a flow graph: nodes and edges are missing');
  for (const n of graph.nodes) if (typeof n?.id !== 'string' || typeof n?.type !== 'string') throw new Error('not a flow graph: a node lacks id or type');
  return { schemaVersion: 1, nodes: graph.nodes.map((n) => ({ ...n, position: n.position ?? { x: 0, y: 0 }, settings: n.settings ?? {} })), edges: graph.edges, variables: graph.variables ?? [] };
}

/** Validator errors by node, and their paths relative to the node's settings. */
export function errorsByNode(errors: FlowError[]): Map<string, FlowError[]> {
  const m = new Map<string, FlowError[]>();
  for (const e of errors) if (e.nodeId) m.set(e.nodeId, [...(m.get(e.nodeId) ?? []), e]);
  return m;
}

export function settingsPointer(path: string): string {
  return (path ?? '').replace(/^\/?nodes\/\d+/, '').replace(/^\/?settings/, '').replace(/^([^/])/, '/$1');
}

/** Where a new node may go near `around` without covering another (nodes taken as 220×150 when not measured). */
export function freePosition(nodes: FlowNode[], around: { x: number; y: number }): { x: number; y: number } {
  const boxes = nodes.map((n) => ({ x: n.position.x, y: n.position.y, w: n.measured?.width ?? 200, h: n.measured?.height ?? 120 }));
  const clear = (x: number, y: number) => boxes.every((b) => x + 200 + 20 <= b.x || b.x + b.w + 20 <= x || y + 120 + 20 <= b.y || b.y + b.h + 20 <= y);
  for (let ring = 0; ring < 30; ring++) {
    for (let dx = -ring; dx <= ring; dx++) {
      for (let dy = -ring; dy <= ring; dy++) {
        if (Math.max(Math.abs(dx), Math.abs(dy)) !== ring) continue;
        const x = around.x + dx * 60;
        const y = around.y + dy * 60;
        if (clear(x, y)) return { x, y };
      }
    }
  }
  return around;
}
