import { useId, useState, type FormEvent } from 'react';
import { ErrorNote, useLoad, useMessages } from 'bookflow/studio';
import { createCampaign, loadSegments } from './campaigns.js';
import { messages } from './messages.js';

/** A draft: name, segments, the text in the business's language, an optional "Book" deep link and a time. */
export function CampaignForm({ onCreated }: { onCreated(id: string): void }) {
  const { t } = useMessages(messages);
  const id = useId();
  const segments = useLoad(loadSegments);
  const [name, setName] = useState('');
  const [text, setText] = useState('');
  const [picked, setPicked] = useState<string[]>([]);
  const [book, setBook] = useState(true);
  const [sendAt, setSendAt] = useState('');
  const [error, setError] = useState<unknown>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    try {
      const created = await createCampaign({
        name, segmentIds: picked,
        // The text as written, for every client; the button in each client's language.
        message: { text, ...(book ? { buttons: [{ label: { en: messages.en.book, ru: messages.ru.book, uk: messages.uk.book }, flow: { flowKey: 'booking' } }] } : {}) },
        ...(sendAt ? { sendAt: new Date(sendAt).toISOString() } : {}),
      });
      setName(''); setText(''); setPicked([]);
      onCreated(created.id);
    } catch (err) { setError(err); }
  };
  return (
    <form onSubmit={submit} aria-label={t('new')}>
      <h2>{t('new')}</h2>
      <div className="field"><label htmlFor={`${id}-name`}>{t('name')}</label><input id={`${id}-name`} required maxLength={200} value={name} onChange={(e) => setName(e.target.value)} /></div>
      <div className="field">
        <label htmlFor={`${id}-segments`}>{t('segments')}</label>
        <select id={`${id}-segments`} multiple required value={picked} onChange={(e) => setPicked([...e.target.selectedOptions].map((o) => o.value))}>
          {(segments.data ?? []).map((s) => <option key={s.id} value={s.id}>{s.name}</option>)}
        </select>
      </div>
      <div className="field"><label htmlFor={`${id}-text`}>{t('text')}</label><textarea id={`${id}-text`} rows={4} required maxLength={4000} value={text} onChange={(e) => setText(e.target.value)} /></div>
      <label className="row"><input type="checkbox" checked={book} onChange={(e) => setBook(e.target.checked)} /> {t('bookButton')}</label>
      <div className="field"><label htmlFor={`${id}-at`}>{t('sendAt')}</label><input id={`${id}-at`} type="datetime-local" value={sendAt} onChange={(e) => setSendAt(e.target.value)} /></div>
      <ErrorNote error={error ?? segments.error} />
      <div className="form-actions"><button type="submit" className="primary" disabled={!name.trim() || !text.trim() || !picked.length}>{t('create')}</button></div>
    </form>
  );
}
