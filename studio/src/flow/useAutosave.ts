import { useCallback, useEffect, useRef, useState } from 'react';
import { put } from '../api.js';
import type { FlowError, Graph } from '../types.js';

export type SaveState = 'saved' | 'saving' | 'error';

/** Saves the draft a moment after the last change; `flush` saves now (before publishing or a test chat). */
export function useAutosave(flowId: string, graph: () => Graph, version: unknown, onErrors: (e: FlowError[]) => void, delay = 700) {
  const [state, setState] = useState<SaveState>('saved');
  const [failure, setFailure] = useState<unknown>(null);
  const last = useRef<string | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const inflight = useRef<Promise<void>>(Promise.resolve());

  const save = useCallback(async () => {
    clearTimeout(timer.current);
    await inflight.current;
    const g = graph();
    const body = JSON.stringify(g);
    if (body === last.current) { setState('saved'); return; }
    setState('saving');
    const run = put<{ updatedAt: string; errors?: FlowError[] }>(`/flows/${flowId}/draft`, { graph: g }).then(
      (r) => { last.current = body; setFailure(null); setState('saved'); onErrors(r.errors ?? []); },
      (e) => { setFailure(e); setState('error'); throw e; },
    );
    inflight.current = run.catch(() => {});
    await run;
  }, [flowId, graph, onErrors]);

  /** The graph as loaded counts as saved. */
  const markSaved = useCallback((g: Graph) => { last.current = JSON.stringify(g); setState('saved'); }, []);

  useEffect(() => {
    if (last.current === null) return;
    clearTimeout(timer.current);
    timer.current = setTimeout(() => {
      if (JSON.stringify(graph()) !== last.current) save().catch(() => {});
    }, delay);
    return () => clearTimeout(timer.current);
  }, [version]);

  // Leaving the editor saves what is pending; closing the tab with unsaved changes asks first.
  const dirty = () => last.current !== null && JSON.stringify(graph()) !== last.current;
  useEffect(() => {
    const warn = (e: BeforeUnloadEvent) => { if (dirty()) e.preventDefault(); };
    window.addEventListener('beforeunload', warn);
    return () => {
      window.removeEventListener('beforeunload', warn);
      if (dirty()) save().catch(() => {});
    };
  }, [save]);

  return { state, failure, flush: save, markSaved };
}
