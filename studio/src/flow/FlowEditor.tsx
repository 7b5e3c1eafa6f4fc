import { useCallback, useEffect, useMemo, useRef, useState, type DragEvent } from 'react';
import {
  Background, Controls, MiniMap, ReactFlow, ReactFlowProvider, applyEdgeChanges, applyNodeChanges, useNodesInitialized, useReactFlow,
  type Connection, type EdgeChange, type NodeChange, type NodeTypes,
} from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { get, post } from '../api.js';
import { useI18n } from '../i18n/index.js';
import { Link } from '../router.js';
import { ErrorNote, Loading } from '../ui/Status.js';
import type { Flow, FlowError, NodeTypeDef, Variable } from '../types.js';
import { DefsContext, ErrorsContext } from './context.js';
import { SuggestionsContext } from '../forms/suggestions.js';
import { FlowNodeView } from './FlowNodeView.js';
import { connect, copySelection, errorsByNode, portsOf, newNode, parseGraph, paste, pruneEdges, toDoc, toGraph, type Clip, type Doc } from './graph.js';
import { emptyHistory, record, redo, undo, type History } from './history.js';
import { Inspector } from './Inspector.js';
import { Connections } from './Connections.js';
import { DRAG_MIME, Palette } from './Palette.js';
import { PublishDialog } from './PublishDialog.js';
import { TestChat } from './TestChat.js';
import { useAutosave } from './useAutosave.js';
import { describeError } from './describe.js';
import { VariablesPanel } from './VariablesPanel.js';

const nodeTypes: NodeTypes = { bf: FlowNodeView };
const CLIP_KEY = 'bookflow.clipboard';
/** Variables every dialog has (the engine's built-ins). */
const BUILTIN_VARIABLES = ['client', 'locale', 'startPayload', 'lastInput', 'lastError'];

/** Loads a flow and the node types this business may use, then opens the editor. */
export function FlowEditorPage({ flowId }: { flowId: string }) {
  const [data, setData] = useState<{ flow: Flow; types: NodeTypeDef[] } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [generation, setGeneration] = useState(0);
  useEffect(() => {
    setData(null);
    Promise.all([get<Flow>(`/flows/${flowId}`), get<{ items: NodeTypeDef[] }>('/flow-node-types')])
      .then(([flow, types]) => setData({ flow, types: types.items }), setError);
  }, [flowId, generation]);
  if (error) return <ErrorNote error={error} />;
  if (!data) return <Loading />;
  return (
    <ReactFlowProvider>
      <FlowEditor key={generation} flow={data.flow} types={data.types} reload={() => setGeneration((g) => g + 1)} />
    </ReactFlowProvider>
  );
}

type Tab = 'node' | 'variables' | 'chat';

function FlowEditor({ flow, types, reload }: { flow: Flow; types: NodeTypeDef[]; reload(): void }) {
  const i18n = useI18n();
  const { t } = i18n;
  const rf = useReactFlow();
  const defs = useMemo(() => new Map(types.map((d) => [d.type, d])), [types]);
  const [doc, setDoc] = useState<Doc>(() => toDoc(flow.draft));
  const [history, setHistory] = useState<History<Doc>>(emptyHistory);
  const [errors, setErrorsState] = useState<FlowError[]>([]);
  // Every node reads the errors; an unchanged list must not re-render them all.
  const setErrors = useCallback((next: FlowError[]) => setErrorsState((prev) => (JSON.stringify(prev) === JSON.stringify(next) ? prev : next)), []);
  const [tab, setTab] = useState<Tab>('node');
  const [chatOpen, setChatOpen] = useState(false);
  const [publishOpen, setPublishOpen] = useState(false);
  const [published, setPublished] = useState(flow.publishedVersion);
  const [notice, setNotice] = useState<string | null>(null);
  const [problem, setProblem] = useState<unknown>(null);
  const docRef = useRef(doc);
  const lastEdit = useRef({ key: '', at: 0 });
  const canvasRef = useRef<HTMLDivElement>(null);
  const fileRef = useRef<HTMLInputElement>(null);

  const change = useCallback((fn: (d: Doc) => Doc, remember = true) => {
    const prev = docRef.current;
    const next = fn(prev);
    if (next === prev) return;
    if (remember) setHistory((h) => record(h, prev));
    docRef.current = next;
    setDoc(next);
  }, []);
  const replace = useCallback((next: Doc) => { docRef.current = next; setDoc(next); }, []);

  const graphNow = useCallback(() => toGraph(docRef.current), []);
  const autosave = useAutosave(flow.id, graphNow, doc, setErrors);
  useEffect(() => {
    autosave.markSaved(toGraph(docRef.current));
    post<{ errors: FlowError[] }>('/flows/validate', { graph: toGraph(docRef.current) }).then((r) => setErrors(r.errors ?? []), () => {});
  }, []);

  // Fit once every node has its size; the fitView prop can run before that on a big graph.
  const measured = useNodesInitialized();
  const fitted = useRef(false);
  useEffect(() => {
    if (measured && !fitted.current) { fitted.current = true; void rf.fitView({ maxZoom: 1 }); }
  }, [measured, rf]);

  const byNode = useMemo(() => errorsByNode(errors), [errors]);
  const selected = doc.nodes.filter((n) => n.selected);
  const selectedNode = selected.length === 1 ? selected[0] : undefined;

  const onNodesChange = useCallback((changes: NodeChange[]) => {
    const removing = changes.some((c) => c.type === 'remove');
    change((d) => {
      const next = { ...d, nodes: applyNodeChanges(changes, d.nodes) as Doc['nodes'] };
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
  const onNodeDragStart = useCallback(() => setHistory((h) => record(h, docRef.current)), []);

  const addNode = useCallback((type: string, at?: { x: number; y: number }) => {
    const def = defs.get(type);
    if (!def) return;
    let position = at;
    if (!position) {
      const r = canvasRef.current!.getBoundingClientRect();
      const c = rf.screenToFlowPosition({ x: r.left + r.width / 2, y: r.top + r.height / 2 });
      position = { x: c.x - 90 + (docRef.current.nodes.length % 5) * 20, y: c.y - 40 + (docRef.current.nodes.length % 5) * 20 };
    }
    const node = newNode(def, position);
    change((d) => ({ ...d, nodes: [...d.nodes.map((n) => (n.selected ? { ...n, selected: false } : n)), node], edges: d.edges.map((e) => (e.selected ? { ...e, selected: false } : e)) }));
    setTab('node');
  }, [defs, rf, change]);

  const onDrop = useCallback((e: DragEvent) => {
    const type = e.dataTransfer.getData(DRAG_MIME);
    if (!type) return;
    e.preventDefault();
    const p = rf.screenToFlowPosition({ x: e.clientX, y: e.clientY });
    addNode(type, { x: p.x - 90, y: p.y - 20 });
  }, [rf, addNode]);

  const setSettings = useCallback((id: string, settings: Record<string, unknown>) => {
    // Typing in one field is one undo step, not one per key.
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

  const doUndo = useCallback(() => setHistory((h) => { const r = undo(h, docRef.current); if (!r) return h; replace(r.present); return r.history; }), [replace]);
  const doRedo = useCallback(() => setHistory((h) => { const r = redo(h, docRef.current); if (!r) return h; replace(r.present); return r.history; }), [replace]);
  const doCopy = useCallback(() => {
    const clip = copySelection(docRef.current);
    if (!clip) return;
    const text = JSON.stringify(clip);
    localStorage.setItem(CLIP_KEY, text);
    navigator.clipboard?.writeText(text).catch(() => {});
    setNotice(t('flow.copied', { n: clip.nodes.length }));
  }, [t]);
  const doPaste = useCallback(() => {
    const text = localStorage.getItem(CLIP_KEY);
    if (!text) return;
    const clip = JSON.parse(text) as Clip;
    change((d) => paste(d, clip));
  }, [change]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const el = e.target as HTMLElement;
      if (el.closest('input, textarea, select, [contenteditable="true"], dialog')) return;
      if (!(e.ctrlKey || e.metaKey)) return;
      const k = e.key.toLowerCase();
      if (k === 'z' && !e.shiftKey) { e.preventDefault(); doUndo(); }
      else if ((k === 'z' && e.shiftKey) || k === 'y') { e.preventDefault(); doRedo(); }
      else if (k === 'c') doCopy();
      else if (k === 'v') { e.preventDefault(); doPaste(); }
      else if (k === 's') { e.preventDefault(); autosave.flush().catch(() => {}); }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [doUndo, doRedo, doCopy, doPaste, autosave.flush]);

  useEffect(() => {
    if (!notice) return;
    const id = setTimeout(() => setNotice(null), 2500);
    return () => clearTimeout(id);
  }, [notice]);

  const exportJson = () => {
    const blob = new Blob([JSON.stringify(toGraph(docRef.current), null, 2)], { type: 'application/json' });
    const a = document.createElement('a');
    a.href = URL.createObjectURL(blob);
    a.download = `${flow.key || flow.id}.json`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(a.href), 1000);
  };
  const importJson = async (file: File) => {
    try {
      const g = parseGraph(await file.text());
      change(() => toDoc(g));
      setNotice(t('flow.imported', { n: g.nodes.length }));
      setTimeout(() => rf.fitView(), 50);
    } catch (e) { setProblem(e); }
  };
  const focusNode = (id: string) => {
    const n = docRef.current.nodes.find((x) => x.id === id);
    if (!n) return;
    change((d) => ({ ...d, nodes: d.nodes.map((x) => ({ ...x, selected: x.id === id })) }), false);
    rf.setCenter(n.position.x + 90, n.position.y + 40, { zoom: Math.max(rf.getZoom(), 0.9), duration: 200 });
    setTab('node');
  };
  const flush = useCallback(() => autosave.flush(), [autosave.flush]);
  const suggestions = useMemo(() => {
    const names = new Set([...BUILTIN_VARIABLES, ...doc.variables.map((v) => v.name)]);
    for (const n of doc.nodes) for (const w of Object.keys(defs.get(n.data.type)?.writes ?? {})) names.add(w);
    return { variable: [...names] };
  }, [doc.variables, doc.nodes, defs]);
  const large = doc.nodes.length > 300;

  return (
    <DefsContext.Provider value={defs}>
      <ErrorsContext.Provider value={byNode}>
        <div className="editor">
          <div className="editor-toolbar" role="toolbar" aria-label={t('flow.toolbar')}>
            <Link to="/flows" className="back">← {t('nav.flows')}</Link>
            <h1 className="flow-name">{flow.name}</h1>
            <span className={`save-state ${autosave.state}`} role="status" data-testid="save-state">{t(`flow.save.${autosave.state}`)}</span>
            <span className={`tag ${errors.length ? 'bad' : 'ok'}`} data-testid="problem-count">{errors.length ? t('flow.problems', { n: errors.length }) : t('flow.valid')}</span>
            <span className="spacer" />
            <button type="button" className="secondary small" onClick={doUndo} disabled={history.past.length === 0} title="Ctrl+Z">{t('flow.undo')}</button>
            <button type="button" className="secondary small" onClick={doRedo} disabled={history.future.length === 0} title="Ctrl+Shift+Z">{t('flow.redo')}</button>
            <button type="button" className="secondary small" onClick={doCopy} disabled={selected.length === 0} title="Ctrl+C">{t('flow.copy')}</button>
            <button type="button" className="secondary small" onClick={doPaste} title="Ctrl+V">{t('flow.paste')}</button>
            <button type="button" className="secondary small" onClick={() => fileRef.current?.click()}>{t('flow.import')}</button>
            <input ref={fileRef} type="file" accept="application/json,.json" hidden aria-label={t('flow.import')} onChange={(e) => { const f = e.target.files?.[0]; if (f) void importJson(f); e.target.value = ''; }} />
            <button type="button" className="secondary small" onClick={exportJson}>{t('flow.export')}</button>
            <button type="button" className="secondary small" onClick={() => { setChatOpen(true); setTab('chat'); }}>{t('flow.test')}</button>
            <button type="button" className="primary small" onClick={() => setPublishOpen(true)}>{t('flow.publish')}{published ? ` (v${published})` : ''}</button>
          </div>
          {notice ? <div className="toast" role="status">{notice}</div> : null}
          <ErrorNote error={problem ?? autosave.failure} />
          <div className="editor-body">
            <Palette types={types} onAdd={(type) => addNode(type)} />
            <div className="canvas" ref={canvasRef} onDragOver={(e) => { e.preventDefault(); e.dataTransfer.dropEffect = 'move'; }} onDrop={onDrop} data-testid="canvas">
              <ReactFlow
                nodes={doc.nodes}
                edges={doc.edges}
                nodeTypes={nodeTypes}
                onNodesChange={onNodesChange}
                onEdgesChange={onEdgesChange}
                onConnect={onConnect}
                onNodeDragStart={onNodeDragStart}
                deleteKeyCode={['Delete', 'Backspace']}
                minZoom={0.05}
                onlyRenderVisibleElements={false}
                proOptions={{ hideAttribution: true }}
              >
                <Background gap={20} />
                <Controls />
                {large ? null : <MiniMap pannable zoomable style={{ width: 150, height: 100 }} />}
              </ReactFlow>
            </div>
            <div className="side">
              <div className="tabs" role="tablist">
                <button type="button" role="tab" aria-selected={tab === 'node'} onClick={() => setTab('node')}>{t('flow.tabNode')}</button>
                <button type="button" role="tab" aria-selected={tab === 'variables'} onClick={() => setTab('variables')}>{t('flow.variables')}</button>
                {chatOpen ? <button type="button" role="tab" aria-selected={tab === 'chat'} onClick={() => setTab('chat')}>{t('chat.title')}</button> : null}
              </div>
              <SuggestionsContext.Provider value={suggestions}>
              <div className="side-body" hidden={tab !== 'node'}>
                {selectedNode ? (
                  <Inspector node={selectedNode} errors={byNode.get(selectedNode.id) ?? []} onChange={(s) => setSettings(selectedNode.id, s)} onDelete={deleteSelected}>
                    <Connections node={selectedNode} nodes={doc.nodes} edges={doc.edges}
                      onConnect={(port, target) => onConnect({ source: selectedNode.id, sourceHandle: port, target, targetHandle: null })}
                      onDisconnect={(port) => change((d) => ({ ...d, edges: d.edges.filter((e) => !(e.source === selectedNode.id && (e.sourceHandle ?? 'next') === port)) }))} />
                  </Inspector>
                ) : (
                  <div className="muted hint">
                    <p>{selected.length > 1 ? t('flow.manySelected', { n: selected.length }) : t('flow.selectHint')}</p>
                    {selected.length > 1 ? <button type="button" className="danger small" onClick={deleteSelected}>{t('common.delete')}</button> : null}
                  </div>
                )}
                {errors.length ? (
                  <section className="problems">
                    <h3>{t('flow.problemsTitle')}</h3>
                    <ul>
                      {errors.map((e, i) => {
                        const n = e.nodeId ? doc.nodes.find((x) => x.id === e.nodeId) : undefined;
                        const what = describeError(e, i18n, n ? portsOf(defs.get(n.data.type), n.data.settings) : []);
                        const where = n ? `${i18n.text(defs.get(n.data.type)?.label) || n.data.type}: ` : '';
                        return <li key={i}>{n ? <button type="button" className="link" onClick={() => focusNode(n.id)}>{where}{what}</button> : what}</li>;
                      })}
                    </ul>
                  </section>
                ) : null}
              </div>
              </SuggestionsContext.Provider>
              <div className="side-body" hidden={tab !== 'variables'}>
                <VariablesPanel variables={doc.variables} nodes={doc.nodes} onChange={setVariables} />
              </div>
              {chatOpen ? (
                <div className="side-body" hidden={tab !== 'chat'}>
                  <TestChat flowId={flow.id} beforeStart={flush} onClose={() => { setChatOpen(false); setTab('node'); }} />
                </div>
              ) : null}
            </div>
          </div>
          {publishOpen ? (
            <PublishDialog
              flowId={flow.id}
              published={published}
              beforePublish={flush}
              onPublished={(v) => { setPublished(v); setNotice(t('flow.publishedNotice', { v })); }}
              onRolledBack={() => { setPublishOpen(false); reload(); }}
              onClose={() => setPublishOpen(false)}
            />
          ) : null}
        </div>
      </ErrorsContext.Provider>
    </DefsContext.Provider>
  );
}
