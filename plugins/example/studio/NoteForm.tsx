import { useId, useState, type FormEvent } from 'react';
import { ErrorNote, useMessages } from 'bookflow/studio';
import { messages } from './messages.js';
import { addNote } from './notes.js';

/** Adds a note (about a client when `contactId` is given); the server's checks (too many notes, a refusing plugin) show as they come. */
export function NoteForm({ contactId, onAdded }: { contactId?: string; onAdded(): void }) {
  const { t } = useMessages(messages);
  const id = useId();
  const [text, setText] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true); setError(null);
    try {
      await addNote(text, contactId);
      setText('');
      onAdded();
    } catch (err) { setError(err); } finally { setBusy(false); }
  };
  return (
    <form onSubmit={submit}>
      <div className="field">
        <label htmlFor={id}>{t('notes.new')}</label>
        <textarea id={id} rows={2} maxLength={2000} required value={text} onChange={(e) => setText(e.target.value)} />
      </div>
      <ErrorNote error={error} />
      <div className="form-actions"><button type="submit" className="primary" disabled={busy || !text.trim()}>{t('notes.add')}</button></div>
    </form>
  );
}
