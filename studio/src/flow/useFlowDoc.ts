import { useCallback, useRef, useState } from 'react';
import { applyEdgeChanges, applyNodeChanges, type Connection, type EdgeChange, type NodeChange } from '@xyflow/react';
import type { Graph, NodeTypeDef, Variable } from '../types.js';
import { connect, copySelection, measureInPlace, paste, pruneEdges, toDoc, type Clip, type Doc, type FlowEdge, type FlowNode } from './graph.js';
import { emptyHistory, record, redo, undo, type History } from './history.js';

const CLIP_KEY = 'bookflow.clipboard';

/**
 * The graph being edited and every edit of it, each one an undo step (typing in one field is one
 * step, a drag is one step); edges of removed nodes and ports go with them.
 */
export function useFlowDoc(initial: Graph, defs: Map<string, NodeTypeDef>) {
  const [doc, setDoc] = useState<Doc>(() => toDoc(initial));
  const [history, setHistory] = useState<History<Doc>>(emptyHistory);
  const docRef = useRef(doc);
  const lastEdit = useRef({ key: '', at: 0 });

  const change = useCallback((fn: (d: Doc) => Doc, remember = true) => {
    const prev = docRef.current;
    const next = fn(prev);
    if (next === prev) return;
    if (remember) setHistory((h) => record(h, prev));
    docRef.current = next;
    setDoc(next);
  }, []);
  const travel = useCallback((step: typeof undo) => setHistory((h) => {
    const r = step(h, docRef.current);
    if (!r) return h;
    docRef.current = r.present;
    setDoc(r.present);
    return r.history;
  }), []);

  const onNodesChange = useCallback((changes: NodeChange[]) => {
    if (measureInPlace(docRef.current.nodes, changes)) return;
    const removing = changes.some((c) => c.type === 'remove');
    change((d) => {
      const next = { ...d, nodes: applyNodeChanges(changes, d.nodes) as FlowNode[] };
      return removing ? { ...next, edges: pruneEdges(next, defs) } : next;
    }, removing);
  }, [change, defs]);
  const onEdgesChange = useCallback((changes: EdgeChange[]) => {
    change((d) => ({ ...d, edges: applyEdgeChanges(changes, d.edges) }), changes.some((c) => c.type === 'remove'));
  }, [change]);
  const onConnect = useCallback((c: Connection) => {
    if (c.source === c.target) return;
    change((d) => ({ ...d, edges: connect(d.edges, c) }));
  }, [change]);
  const disconnect = useCallback((source: string, port: string) => {
    change((d) => ({ ...d, edges: d.edges.filter((e) => !(e.source === source && (e.sourceHandle ?? 'next') === port)) }));
  }, [change]);
  const onNodeDragStart = useCallback(() => setHistory((h) => record(h, docRef.current)), []);

  const addNode = useCallback((node: FlowNode) => {
    change((d) => ({ ...d, nodes: [...d.nodes.map((n) => (n.selected ? { ...n, selected: false } : n)), node], edges: d.edges.map((e) => (e.selected ? { ...e, selected: false } : e)) }));
  }, [change]);
  const setSettings = useCallback((id: string, settings: Record<string, unknown>) => {
    const now = Date.now();
    const remember = lastEdit.current.key !== id || now - lastEdit.current.at > 1000;
    lastEdit.current = { key: id, at: now };
    change((d) => {
      const next = { ...d, nodes: d.nodes.map((n) => (n.id === id ? { ...n, data: { ...n.data, settings } } : n)) };
      return { ...next, edges: pruneEdges(next, defs) };
    }, remember);
  }, [change, defs]);
  const setVariables = useCallback((variables: Variable[]) => change((d) => ({ ...d, variables })), [change]);
  const deleteSelected = useCallback(() => {
    change((d) => {
      const next = { ...d, nodes: d.nodes.filter((n) => !n.selected), edges: d.edges.filter((e) => !e.selected) };
      return { ...next, edges: pruneEdges(next, defs) };
    });
  }, [change, defs]);
  const select = useCallback((id: string) => change((d) => ({ ...d, nodes: d.nodes.map((x) => (x.selected === (x.id === id) ? x : { ...x, selected: x.id === id })) }), false), [change]);

  /** Copies the selection (kept in localStorage, so it pastes into another flow too); returns how many nodes. */
  const copy = useCallback((): number => {
    const clip = copySelection(docRef.current);
    if (!clip) return 0;
    const text = JSON.stringify(clip);
    localStorage.setItem(CLIP_KEY, text);
    navigator.clipboard?.writeText(text).catch(() => {});
    return clip.nodes.length;
  }, []);
  const pasteClip = useCallback(() => {
    const text = localStorage.getItem(CLIP_KEY);
    if (text) change((d) => paste(d, JSON.parse(text) as Clip));
  }, [change]);

  return {
    doc, docRef, history, change,
    onNodesChange, onEdgesChange, onConnect, disconnect, onNodeDragStart,
    addNode, setSettings, setVariables, deleteSelected, select,
    undo: useCallback(() => travel(undo), [travel]),
    redo: useCallback(() => travel(redo), [travel]),
    copy, paste: pasteClip,
  };
}

/**
 * The nodes and edges as panels see them (ids, types, settings, links): the previous arrays are
 * returned while only positions, sizes or selection changed.
 */
export function useSameContent(nodes: FlowNode[], edges: FlowEdge[]): { nodes: FlowNode[]; edges: FlowEdge[] } {
  const last = useRef({ nodes, edges });
  const prev = last.current;
  const sameNodes = prev.nodes.length === nodes.length && prev.nodes.every((n, i) => n.id === nodes[i].id && n.data === nodes[i].data);
  const sameEdges = prev.edges.length === edges.length && prev.edges.every((e, i) => e.id === edges[i].id && e.target === edges[i].target && e.sourceHandle === edges[i].sourceHandle);
  if (!sameNodes || !sameEdges) last.current = { nodes: sameNodes ? prev.nodes : nodes, edges: sameEdges ? prev.edges : edges };
  return last.current;
}
