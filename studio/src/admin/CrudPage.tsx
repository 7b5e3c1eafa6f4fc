import { useState, type FormEvent, type ReactNode } from 'react';
import { ApiError, api } from '../api.js';
import { SchemaForm } from '../forms/SchemaForm.js';
import { forgetOptions } from '../forms/useOptions.js';
import { useI18n } from '../i18n/index.js';
import { Dialog } from '../ui/Dialog.js';
import { ErrorNote, Loading } from '../ui/Status.js';
import { useApi } from '../query.js';
import type { JsonSchema } from '../types.js';

type Row = Record<string, unknown> & { id: string };
export interface Column { key: string; label: string; render?(row: Row): ReactNode }

export interface CrudProps {
  title: string;
  /** list (GET), create (POST); one item at `${endpoint}/:id` (PATCH, DELETE) */
  endpoint: string;
  /** query string added to the list request */
  listQuery?: string;
  schema: JsonSchema;
  columns: Column[];
  /** what a new item starts with */
  initial?: Record<string, unknown>;
  /** the body sent from the form's value (e.g. dropping read-only fields) */
  toBody?(value: Record<string, unknown>, existing: Row | null): Record<string, unknown>;
  updateMethod?: 'PATCH' | 'PUT';
  intro?: ReactNode;
  /** extra actions per row */
  actions?(row: Row, reload: () => void): ReactNode;
  /** false when items can only be added and deleted */
  editable?: boolean;
  /** writes beyond the item itself (e.g. who performs a service), after it is saved */
  afterSave?(id: string, value: Record<string, unknown>): Promise<void>;
}

/** A list with create/edit/delete through a generated form: the catalog editors are this page with a schema. */
export function CrudPage({ title, endpoint, listQuery = '', schema, columns, initial = {}, toBody, updateMethod = 'PATCH', intro, actions, editable = true, afterSave }: CrudProps) {
  const { t } = useI18n();
  const raw = useApi<{ items: Row[] } | Row[]>(endpoint + listQuery);
  const list = { ...raw, data: raw.data && (Array.isArray(raw.data) ? raw.data : raw.data.items) };
  const [editing, setEditing] = useState<{ row: Row | null; value: Record<string, unknown> } | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const open = (row: Row | null) => { setErrors({}); setError(null); setEditing({ row, value: row ? { ...row } : { ...initial } }); };
  const save = async (e: FormEvent) => {
    e.preventDefault();
    if (!editing) return;
    setBusy(true); setErrors({}); setError(null);
    const body = toBody ? toBody(editing.value, editing.row) : pickFields(editing.value, schema);
    try {
      const saved = editing.row ? await api<Row>(updateMethod, `${endpoint}/${editing.row.id}`, body) : await api<Row>('POST', endpoint, body);
      await afterSave?.(editing.row?.id ?? saved.id, editing.value);
      forgetOptions();
      setEditing(null);
      list.reload();
    } catch (err) {
      if (err instanceof ApiError) setErrors(err.fieldErrors());
      setError(err);
    } finally { setBusy(false); }
  };
  const remove = async (row: Row) => {
    if (!window.confirm(t('common.confirmDelete'))) return;
    try { await api('DELETE', `${endpoint}/${row.id}`); forgetOptions(); list.reload(); } catch (err) { setError(err); }
  };
  return (
    <div className="page">
      <div className="page-head">
        <h1>{title}</h1>
        <button type="button" className="primary" onClick={() => open(null)}>+ {t('common.add')}</button>
      </div>
      {intro}
      {!editing ? <ErrorNote error={error ?? list.error} /> : null}
      {list.loading && !list.data ? <Loading /> : null}
      {list.data ? (
        <table className="table" aria-label={title}>
          <thead><tr>{columns.map((c) => <th key={c.key}>{c.label}</th>)}<th /></tr></thead>
          <tbody>
            {list.data.length === 0 ? <tr><td colSpan={columns.length + 1} className="muted">{t('common.empty')}</td></tr> : null}
            {list.data.map((row) => (
              <tr key={row.id}>
                {columns.map((c, i) => (
                  <td key={c.key}>{i === 0 && editable ? <button type="button" className="link" onClick={() => open(row)}>{c.render ? c.render(row) : String(row[c.key] ?? '')}</button> : c.render ? c.render(row) : String(row[c.key] ?? '')}</td>
                ))}
                <td className="row-actions">
                  {actions?.(row, list.reload)}
                  {editable ? <button type="button" className="secondary small" onClick={() => open(row)}>{t('common.edit')}</button> : null}
                  <button type="button" className="danger small" onClick={() => remove(row)}>{t('common.delete')}</button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {editing ? (
        <Dialog title={editing.row ? t('common.editing', { name: String(editing.row.name ?? '') }) : t('common.creating')} onClose={() => setEditing(null)}>
          <form onSubmit={save}>
            <SchemaForm schema={schema} value={editing.value} onChange={(value) => setEditing({ ...editing, value })} errors={errors} />
            <ErrorNote error={error} />
            <div className="form-actions">
              <button type="submit" className="primary" disabled={busy}>{t('common.save')}</button>
              <button type="button" className="secondary" onClick={() => setEditing(null)}>{t('common.cancel')}</button>
            </div>
          </form>
        </Dialog>
      ) : null}
    </div>
  );
}

/** Only the fields the schema knows go to the server, less those written separately. */
export function pickFields(value: Record<string, unknown>, schema: JsonSchema, except: string[] = []): Record<string, unknown> {
  const keys = Object.keys((schema.properties ?? {}) as Record<string, unknown>).filter((k) => !except.includes(k));
  return Object.fromEntries(Object.entries(value).filter(([k, v]) => keys.includes(k) && v !== undefined));
}
