import { useEffect, useState } from 'react';
import { ApiError, get, post } from '../api.js';
import { useI18n } from '../i18n/index.js';
import { Dialog } from '../ui/Dialog.js';
import { ErrorNote } from '../ui/Status.js';
import type { FlowError, FlowVersion } from '../types.js';
import type { FlowNode } from './graph.js';
import { Problems } from './Problems.js';

/** Publishes the draft and lists the published versions; any of them can be brought back. */
export function PublishDialog({ flowId, published, nodes, beforePublish, onPublished, onRolledBack, onFocus, onClose }: {
  flowId: string;
  published: number | null;
  nodes: FlowNode[];
  /** a problem was clicked: its block is selected */
  onFocus(nodeId: string): void;
  beforePublish(): Promise<void>;
  onPublished(version: number): void;
  onRolledBack(version: number): void;
  onClose(): void;
}) {
  const i18n = useI18n();
  const { t, locale } = i18n;
  const [versions, setVersions] = useState<FlowVersion[] | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [problems, setProblems] = useState<FlowError[]>([]);
  const load = () => get<{ items: FlowVersion[] } | FlowVersion[]>(`/flows/${flowId}/versions`).then((r) => setVersions(Array.isArray(r) ? r : r.items), setError);
  useEffect(() => { void load(); }, [flowId]);

  const publish = async () => {
    setBusy(true); setError(null); setProblems([]);
    try {
      await beforePublish();
      const r = await post<{ version: number }>(`/flows/${flowId}/publish`);
      onPublished(r.version);
      await load();
    } catch (e) {
      if (e instanceof ApiError && Array.isArray(e.details.errors)) setProblems(e.details.errors as FlowError[]);
      setError(e);
    } finally { setBusy(false); }
  };
  const rollback = async (version: number) => {
    setBusy(true); setError(null);
    try {
      await post(`/flows/${flowId}/rollback`, { version });
      onRolledBack(version);
      await load();
    } catch (e) { setError(e); } finally { setBusy(false); }
  };
  const when = (v: FlowVersion) => {
    const d = v.publishedAt ?? v.createdAt;
    return d ? new Date(d).toLocaleString(locale) : '';
  };
  return (
    <Dialog title={t('flow.publishTitle')} onClose={onClose}>
      <p>{published ? t('flow.liveVersion', { v: published }) : t('flow.neverPublished')}</p>
      <button type="button" className="primary" disabled={busy} onClick={publish}>{t('flow.publishNow')}</button>
      <ErrorNote error={error} />
      <Problems errors={problems} nodes={nodes} onFocus={(id) => { onClose(); onFocus(id); }} />
      <h3>{t('flow.versions')}</h3>
      {versions === null ? null : versions.length === 0 ? <p className="muted">{t('flow.noVersions')}</p> : (
        <table className="table">
          <thead><tr><th>{t('flow.version')}</th><th>{t('flow.publishedAt')}</th><th /></tr></thead>
          <tbody>
            {versions.map((v) => (
              <tr key={v.version}>
                <td>v{v.version}{v.version === published ? <span className="tag ok">{t('flow.live')}</span> : null}</td>
                <td>{when(v)}</td>
                <td>{v.version === published ? null : <button type="button" className="secondary small" disabled={busy} onClick={() => rollback(v.version)}>{t('flow.rollback')}</button>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Dialog>
  );
}
