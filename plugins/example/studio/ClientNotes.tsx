import { ErrorNote, Loading, useI18n, useLoad, useMessages, type ZoneProps } from 'bookflow/studio';
import { messages } from './messages.js';
import { NoteForm } from './NoteForm.js';
import { loadNotes } from './notes.js';

/** The `client.card` widget: the notes about this client, and a new one. */
export function ClientNotes({ contactId }: ZoneProps['client.card']) {
  const { t } = useMessages(messages);
  const { locale } = useI18n();
  const notes = useLoad(() => loadNotes(contactId), [contactId]);
  return (
    <div className="card">
      <h3>{t('card.title')}</h3>
      <ErrorNote error={notes.error} />
      {notes.loading && !notes.data ? <Loading /> : null}
      {notes.data?.length === 0 ? <p className="muted">{t('card.none')}</p> : null}
      <ul>
        {notes.data?.map((n) => <li key={n.id}>{n.text} <span className="muted small">{new Date(n.created_at).toLocaleDateString(locale)}</span></li>)}
      </ul>
      <NoteForm contactId={contactId} onAdded={notes.reload} />
    </div>
  );
}
