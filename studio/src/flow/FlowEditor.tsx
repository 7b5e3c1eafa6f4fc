import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, type DragEvent } from 'react';
import { Background, Controls, MiniMap, ReactFlow, ReactFlowProvider, useReactFlow, useStoreApi, type FitViewOptions, type NodeTypes, type ReactFlowState } from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { get, post } from '../api.js';
import { useI18n } from '../i18n/index.js';
import { Link } from '../router.js';
import { ErrorNote, Loading } from '../ui/Status.js';
import type { Flow, FlowError, Locale, NodeTypeDef } from '../types.js';
import { DefsContext, ErrorsContext } from './context.js';
import { SuggestionsContext, TextLocaleContext } from '../forms/suggestions.js';
import { FlowNodeView } from './FlowNodeView.js';
import { errorsByNode, freePosition, newNode, parseGraph, toDoc, toGraph } from './graph.js';
import { Inspector } from './Inspector.js';
import { NodeErrors } from './NodeErrors.js';
import { Connections } from './Connections.js';
import { DRAG_MIME, Palette } from './Palette.js';
import { PublishDialog } from './PublishDialog.js';
import { TestChat } from './TestChat.js';
import { useAutosave } from './useAutosave.js';
import { useFlowDoc, useSameContent } from './useFlowDoc.js';
import { Problems } from './Problems.js';
import { VariablesPanel } from './VariablesPanel.js';

const nodeTypes: NodeTypes = { bf: FlowNodeView };
/** A small flow is not blown up past its natural size. */
const FIT: FitViewOptions = { maxZoom: 1 };
/** One array for good: a new one each render would have the canvas set up its key listeners again. */
const DELETE_KEYS = ['Delete', 'Backspace'];
/** Whether the canvas has measured every node (sizes and handles); never for an empty flow. */
function allMeasured(s: ReactFlowState): boolean {
  if (s.nodeLookup.size === 0) return false;
  for (const n of s.nodeLookup.values()) if (!n.internals.handleBounds) return false;
  return true;
}
/** Variables every dialog has (the engine's built-ins). */
const BUILTIN_VARIABLES = ['client', 'locale', 'startPayload', 'lastInput', 'lastError'];

/** Loads a flow and the node types this business may use, then opens the editor. */
export function FlowEditorPage({ flowId }: { flowId: string }) {
  const [data, setData] = useState<{ flow: Flow; types: NodeTypeDef[]; locale: Locale } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [generation, setGeneration] = useState(0);
  useEffect(() => {
    setData(null);
    Promise.all([get<Flow>(`/flows/${flowId}`), get<{ items: NodeTypeDef[] }>('/flow-node-types'), get<{ locale: Locale }>('/tenant')])
      .then(([flow, types, business]) => setData({ flow, types: types.items, locale: business.locale }), setError);
  }, [flowId, generation]);
  if (error) return <ErrorNote error={error} />;
  if (!data) return <Loading />;
  return (
    <ReactFlowProvider>
      {/* A node's texts are written in the business's language first; the validator requires it. */}
      <TextLocaleContext.Provider value={data.locale}>
        <FlowEditor key={generation} flow={data.flow} types={data.types} reload={() => setGeneration((g) => g + 1)} />
      </TextLocaleContext.Provider>
    </ReactFlowProvider>
  );
}

type Tab = 'node' | 'variables' | 'chat';

function FlowEditor({ flow, types, reload }: { flow: Flow; types: NodeTypeDef[]; reload(): void }) {
  const { t } = useI18n();
  const rf = useReactFlow();
  const defs = useMemo(() => new Map(types.map((d) => [d.type, d])), [types]);
  const edit = useFlowDoc(flow.draft, defs);
  const { doc, docRef } = edit;
  const [errors, setErrorsState] = useState<FlowError[]>([]);
  // The panels and every node with findings read the errors; an unchanged list must not draw them again.
  const setErrors = useCallback((next: FlowError[]) => setErrorsState((prev) => (JSON.stringify(prev) === JSON.stringify(next) ? prev : next)), []);
  const [tab, setTab] = useState<Tab>('node');
  const [chatOpen, setChatOpen] = useState(false);
  const [publishOpen, setPublishOpen] = useState(false);
  const [published, setPublished] = useState(flow.publishedVersion);
  const [notice, setNotice] = useState<string | null>(null);
  const [problem, setProblem] = useState<unknown>(null);
  const canvasRef = useRef<HTMLDivElement>(null);
  const fileRef = useRef<HTMLInputElement>(null);

  const graphNow = useCallback(() => toGraph(docRef.current), [docRef]);
  const autosave = useAutosave(flow.id, graphNow, doc, setErrors);
  const flush = useCallback(() => autosave.flush(), [autosave.flush]);
  useEffect(() => {
    const loaded = toGraph(docRef.current);
    autosave.markSaved(loaded);
    post<{ errors: FlowError[] }>('/flows/validate', { graph: loaded }).then((r) => setErrors(r.errors ?? []), () => {});
  }, []);

  // Fit once every node has its size; the canvas's own flag for that (useNodesInitialized) waits for new node objects,
  // which measuring no longer makes (measureInPlace). A frame later: fitting in the frame that first shows the nodes
  // would draw all of a big flow in it, not only the part in view, and make every node and edge look at the store again.
  const store = useStoreApi();
  useEffect(() => {
    const stop = store.subscribe((s) => {
      if (!allMeasured(s)) return;
      stop();
      requestAnimationFrame(() => void rf.fitView(FIT));
    });
    return stop;
  }, [store, rf]);

  const byNode = useMemo(() => errorsByNode(errors), [errors]);
  const [nodeErrors] = useState(() => new NodeErrors());
  useLayoutEffect(() => nodeErrors.set(byNode), [nodeErrors, byNode]);
  // Moving nodes changes only positions; panels that list nodes get the same array and skip re-rendering.
  const listed = useSameContent(doc.nodes, doc.edges);
  const selected = doc.nodes.filter((n) => n.selected);
  const selectedNode = selected.length === 1 ? selected[0] : undefined;

  const addNode = useCallback((type: string, at?: { x: number; y: number }) => {
    const def = defs.get(type);
    if (!def) return;
    let position = at;
    if (!position) {
      const r = canvasRef.current!.getBoundingClientRect();
      const c = rf.screenToFlowPosition({ x: r.left + r.width / 2, y: r.top + r.height / 2 });
      position = freePosition(docRef.current.nodes, { x: c.x - 100, y: c.y - 60 });
    }
    edit.addNode(newNode(def, position));
    setTab('node');
  }, [defs, rf, edit.addNode, docRef]);
  const onDrop = useCallback((e: DragEvent) => {
    const type = e.dataTransfer.getData(DRAG_MIME);
    if (!type) return;
    e.preventDefault();
    const p = rf.screenToFlowPosition({ x: e.clientX, y: e.clientY });
    addNode(type, { x: p.x - 90, y: p.y - 20 });
  }, [rf, addNode]);

  const connectPort = useCallback((source: string, port: string, target: string) => edit.onConnect({ source, sourceHandle: port, target, targetHandle: null }), [edit.onConnect]);
  const copy = useCallback(() => {
    const n = edit.copy();
    if (n) setNotice(t('flow.copied', { n }));
  }, [edit.copy, t]);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if ((e.target as HTMLElement).closest('input, textarea, select, [contenteditable="true"], dialog')) return;
      if (!(e.ctrlKey || e.metaKey)) return;
      const k = e.key.toLowerCase();
      if (k === 'z' && !e.shiftKey) { e.preventDefault(); edit.undo(); }
      else if ((k === 'z' && e.shiftKey) || k === 'y') { e.preventDefault(); edit.redo(); }
      else if (k === 'c') copy();
      else if (k === 'v') { e.preventDefault(); edit.paste(); }
      else if (k === 's') { e.preventDefault(); flush().catch(() => {}); }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [edit.undo, edit.redo, copy, edit.paste, flush]);

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
      edit.change(() => toDoc(g));
      setNotice(t('flow.imported', { n: g.nodes.length }));
      setTimeout(() => rf.fitView(), 50);
    } catch (e) { setProblem(e); }
  };
  const focusNode = (id: string) => {
    const n = docRef.current.nodes.find((x) => x.id === id);
    if (!n) return;
    edit.select(id);
    rf.setCenter(n.position.x + 90, n.position.y + 40, { zoom: Math.max(rf.getZoom(), 0.9), duration: 200 });
    setTab('node');
  };
  const suggestions = useMemo(() => {
    const names = new Set([...BUILTIN_VARIABLES, ...doc.variables.map((v) => v.name)]);
    for (const n of listed.nodes) for (const w of Object.keys(defs.get(n.data.type)?.writes ?? {})) names.add(w);
    return { variable: [...names] };
  }, [doc.variables, listed.nodes, defs]);
  // The minimap redraws every node on each move; big flows do without it.
  const large = doc.nodes.length > 300;

  return (
    <DefsContext.Provider value={defs}>
      <ErrorsContext.Provider value={nodeErrors}>
        <div className="editor">
          <div className="editor-toolbar" role="toolbar" aria-label={t('flow.toolbar')}>
            <Link to="/flows" className="back">← {t('nav.flows')}</Link>
            <h1 className="flow-name">{flow.name}</h1>
            <span className={`save-state ${autosave.state}`} role="status" data-testid="save-state">{t(`flow.save.${autosave.state}`)}</span>
            <span className={`tag ${errors.length ? 'bad' : 'ok'}`} data-testid="problem-count">{errors.length ? t('flow.problems', { n: errors.length }) : t('flow.valid')}</span>
            <span className="spacer" />
            <button type="button" className="secondary small icon-button" onClick={edit.undo} disabled={edit.history.past.length === 0} aria-label={t('flow.undo')} title={`${t('flow.undo')} (Ctrl+Z)`}>↶</button>
            <button type="button" className="secondary small icon-button" onClick={edit.redo} disabled={edit.history.future.length === 0} aria-label={t('flow.redo')} title={`${t('flow.redo')} (Ctrl+Shift+Z)`}>↷</button>
            <button type="button" className="secondary small" onClick={copy} disabled={selected.length === 0} title="Ctrl+C">{t('flow.copy')}</button>
            <button type="button" className="secondary small" onClick={edit.paste} title="Ctrl+V">{t('flow.paste')}</button>
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
                onNodesChange={edit.onNodesChange}
                onEdgesChange={edit.onEdgesChange}
                onConnect={edit.onConnect}
                onNodeDragStart={edit.onNodeDragStart}
                deleteKeyCode={DELETE_KEYS}
                minZoom={0.05}
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
              <div className="side-body" hidden={tab !== 'node'}>
                <SuggestionsContext.Provider value={suggestions}>
                  {selectedNode ? (
                    <Inspector node={selectedNode} errors={byNode.get(selectedNode.id) ?? []} onChange={(s) => edit.setSettings(selectedNode.id, s)} onDelete={edit.deleteSelected}>
                      <Connections nodeId={selectedNode.id} nodes={listed.nodes} edges={listed.edges} onConnect={connectPort} onDisconnect={edit.disconnect} />
                    </Inspector>
                  ) : (
                    <div className="muted hint">
                      <p>{selected.length > 1 ? t('flow.manySelected', { n: selected.length }) : t('flow.selectHint')}</p>
                      {selected.length > 1 ? <button type="button" className="danger small" onClick={edit.deleteSelected}>{t('common.delete')}</button> : null}
                    </div>
                  )}
                </SuggestionsContext.Provider>
                <Problems errors={errors} nodes={listed.nodes} onFocus={focusNode} />
              </div>
              <div className="side-body" hidden={tab !== 'variables'}>
                <VariablesPanel variables={doc.variables} nodes={listed.nodes} onChange={edit.setVariables} />
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
              nodes={listed.nodes}
              onFocus={focusNode}
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
