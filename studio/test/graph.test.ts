import { describe, expect, it } from 'vitest';
import { connect, copySelection, freePosition, measureInPlace, paste, parseGraph, portsOf, pruneEdges, settingsPointer, toDoc, toGraph } from '../src/flow/graph.js';
import { emptyHistory, record, redo, undo } from '../src/flow/history.js';
import { describeError } from '../src/flow/describe.js';
import type { Graph, NodeTypeDef } from '../src/types.js';

const choice: NodeTypeDef = {
  type: 'choice', category: 'input', label: { en: 'Buttons' }, settingsSchema: { type: 'object' },
  ports: [{ id: 'fallback', label: { en: 'Other' }, optional: true }], dynamicPorts: { from: 'buttons', idKey: 'id', labelKey: 'label' },
};
const message: NodeTypeDef = { type: 'message', category: 'message', label: { en: 'Message' }, settingsSchema: { type: 'object' }, ports: [{ id: 'next', label: { en: 'Next' } }] };
const defs = new Map([[choice.type, choice], [message.type, message]]);

const graph: Graph = {
  schemaVersion: 1,
  nodes: [
    { id: 'a', type: 'choice', position: { x: 0, y: 0 }, settings: { buttons: [{ id: 'yes', label: { en: 'Yes' } }, { id: 'no', label: { en: 'No' } }] } },
    { id: 'b', type: 'message', position: { x: 300, y: 0 }, settings: { text: { en: 'Hi' } } },
  ],
  edges: [{ id: 'e1', source: 'a', sourcePort: 'yes', target: 'b' }, { id: 'e2', source: 'a', sourcePort: 'no', target: 'b' }],
  variables: [{ name: 'name', type: 'string' }],
};

describe('flow graph in the studio', () => {
  it('round-trips between the API graph and the canvas', () => {
    expect(toGraph(toDoc(graph))).toEqual(graph);
  });

  it('gives one port per button after the fixed ports, and the error port every node has', () => {
    expect(portsOf(choice, graph.nodes[0].settings).map((p) => p.id)).toEqual(['fallback', 'yes', 'no', 'error']);
    expect(portsOf(message, {}).map((p) => p.id)).toEqual(['next', 'error']);
  });

  it('keeps one edge per output port', () => {
    const doc = toDoc(graph);
    const edges = connect(doc.edges, { source: 'a', sourceHandle: 'yes', target: 'a' });
    expect(edges.filter((e) => e.source === 'a' && e.sourceHandle === 'yes').map((e) => e.target)).toEqual(['a']);
    expect(edges).toHaveLength(2);
  });

  it('drops the edge of a removed button', () => {
    const doc = toDoc(graph);
    doc.nodes[0] = { ...doc.nodes[0], data: { ...doc.nodes[0].data, settings: { buttons: [{ id: 'yes', label: { en: 'Yes' } }] } } };
    expect(pruneEdges(doc, defs).map((e) => e.id)).toEqual(['e1']);
  });

  it('pastes copies with new ids, their inner edges remapped, as the new selection', () => {
    const doc = toDoc(graph);
    doc.nodes = doc.nodes.map((n) => ({ ...n, selected: true }));
    const clip = copySelection(doc)!;
    const next = paste(doc, clip);
    expect(next.nodes).toHaveLength(4);
    const pasted = next.nodes.slice(2);
    expect(pasted.every((n) => n.selected && !['a', 'b'].includes(n.id))).toBe(true);
    expect(pasted[0].position).toEqual({ x: 40, y: 40 });
    const newEdges = next.edges.slice(2);
    expect(newEdges.map((e) => [e.source, e.target])).toEqual([[pasted[0].id, pasted[1].id], [pasted[0].id, pasted[1].id]]);
    expect(next.nodes.slice(0, 2).every((n) => !n.selected)).toBe(true);
  });

  it('imports an exported graph or a whole flow, and refuses other JSON', () => {
    expect(parseGraph(JSON.stringify(graph))).toEqual(graph);
    expect(parseGraph(JSON.stringify({ id: 'f', draft: graph })).nodes).toHaveLength(2);
    expect(() => parseGraph('{"hello":1}')).toThrow(/not a flow graph/);
  });

  it('keeps measured sizes in the nodes themselves, and leaves other changes to a new doc', () => {
    const doc = toDoc(graph);
    const [a, b] = doc.nodes;
    expect(measureInPlace(doc.nodes, [{ id: 'a', type: 'dimensions', dimensions: { width: 200, height: 90 } }])).toBe(true);
    expect(doc.nodes[0]).toBe(a);
    expect(a.measured).toEqual({ width: 200, height: 90 });
    expect(b.measured).toBeUndefined();
    expect(measureInPlace(doc.nodes, [{ id: 'b', type: 'dimensions', dimensions: { width: 200, height: 60 } }, { id: 'b', type: 'select', selected: true }])).toBe(false);
    expect(b.measured).toBeUndefined();
  });

  it('maps validator paths to the node settings form', () => {
    expect(settingsPointer('/nodes/3/settings/text/en')).toBe('/text/en');
    expect(settingsPointer('/nodes/3')).toBe('');
  });
});

describe('undo history', () => {
  it('undoes and redoes, and a new change drops the redo branch', () => {
    let h = emptyHistory<number>();
    h = record(h, 1);
    h = record(h, 2);
    const u = undo(h, 3)!;
    expect(u.present).toBe(2);
    const r = redo(u.history, u.present)!;
    expect(r.present).toBe(3);
    const branched = record(u.history, 2);
    expect(branched.future).toEqual([]);
    expect(undo(emptyHistory<number>(), 0)).toBeNull();
  });
});

describe('validator findings for owners', () => {
  const i18n = { t: (k: string, v?: Record<string, string | number>) => `${k}${v ? JSON.stringify(v) : ''}`, text: (x: unknown) => (typeof x === 'string' ? x : (x as { en: string }).en) };
  it('names the unconnected output by its label and keeps unknown findings as written', () => {
    const ports = portsOf(choice, graph.nodes[0].settings);
    expect(describeError({ nodeId: 'a', path: '/nodes/0', code: 'PORT_UNCONNECTED', message: 'Port yes of node a leads nowhere' }, i18n as never, ports)).toBe('err.portUnconnected{"port":"Yes"}');
    expect(describeError({ path: '/nodes/0/settings/text', code: 'NODE_SETTINGS_INVALID', message: "must have required property 'text'" }, i18n as never)).toBe('err.required');
    expect(describeError({ path: '/x', code: 'SOMETHING_NEW', message: 'as written' }, i18n as never)).toBe('as written');
  });
});

describe('placing a new node', () => {
  it('keeps clear of the nodes already there', () => {
    const doc = toDoc(graph);
    const spot = freePosition(doc.nodes, { x: 0, y: 0 });
    expect(spot).not.toEqual({ x: 0, y: 0 });
    for (const n of doc.nodes) {
      const apart = spot.x + 220 <= n.position.x || n.position.x + 220 <= spot.x || spot.y + 140 <= n.position.y || n.position.y + 140 <= spot.y;
      expect(apart).toBe(true);
    }
    expect(freePosition([], { x: 5, y: 7 })).toEqual({ x: 5, y: 7 });
  });
});
