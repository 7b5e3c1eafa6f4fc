import { useState } from 'react';
import { del, ErrorNote, Loading, put, useI18n, useLoad, useMessages } from 'bookflow/studio';
import { messages } from './messages.js';
import { NoteForm } from './NoteForm.js';
import { loadNotes, type Note } from './notes.js';

/** The business's notes: add one, set or clear its reminder, delete it (restorable from the trash). */
export function NotesPage() {
  const { t } = useMessages(messages);
  const { t: ct, locale } = useI18n();
  const notes = useLoad(() => loadNotes());
  const [error, setError] = useState<unknown>(null);
  const [remindAt, setRemindAt] = useState<Record<string, string>>({});
  const when = (v: string) => new Date(v).toLocaleString(locale, { dateStyle: 'medium', timeStyle: 'short' });
  const act = async (change: () => Promise<unknown>) => {
    setError(null);
    try { await change(); notes.reload(); } catch (e) { setError(e); }
  };
  const remind = (n: Note) => act(() => put(`/example/notes/${n.id}/reminder`, { at: new Date(remindAt[n.id]).toISOString() }));
  return (
    <div className="page">
      <h1>{t('notes.title')}</h1>
      <p className="muted">{t('notes.intro')}</p>
      <NoteForm onAdded={notes.reload} />
      <ErrorNote error={error ?? notes.error} />
      {notes.loading && !notes.data ? <Loading /> : null}
      {notes.data ? (
        <table className="table" aria-label={t('notes.title')}>
          <thead><tr><th>{t('notes.text')}</th><th>{t('notes.added')}</th><th>{t('notes.reminder')}</th><th /></tr></thead>
          <tbody>
            {notes.data.length === 0 ? <tr><td colSpan={4} className="muted">{t('notes.none')}</td></tr> : null}
            {notes.data.map((n) => (
              <tr key={n.id}>
                <td>{n.text}{n.contact_id ? <div className="muted small">{t('notes.aboutClient')}</div> : null}</td>
                <td>{when(n.created_at)}</td>
                <td>
                  {n.remind_at ? (
                    <>{when(n.remind_at)} <button type="button" className="secondary small" onClick={() => act(() => del(`/example/notes/${n.id}/reminder`))}>{t('notes.unremind')}</button></>
                  ) : (
                    <span className="row">
                      <input type="datetime-local" aria-label={`${t('notes.remindAt')}: ${n.text}`} value={remindAt[n.id] ?? ''} onChange={(e) => setRemindAt({ ...remindAt, [n.id]: e.target.value })} />
                      <button type="button" className="secondary small" disabled={!remindAt[n.id]} onClick={() => remind(n)}>{t('notes.remind')}</button>
                    </span>
                  )}
                </td>
                <td className="row-actions"><button type="button" className="danger small" onClick={() => window.confirm(ct('common.confirmDelete')) && act(() => del(`/example/notes/${n.id}`))}>{ct('common.delete')}</button></td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </div>
  );
}
