import { useId, useState, type FormEvent } from 'react';
import { ErrorNote, get, useI18n, useLoad, useMessages, type Locale } from 'bookflow/studio';
import { createCampaign, loadSegments } from './campaigns.js';
import { LANGS, campaignText, linkButtons, type LinkButton } from './draft.js';
import { LinkButtonsField } from './LinkButtonsField.js';
import { messages } from './messages.js';

const MAX_LINKS = 5;

/**
 * A draft: name, segments, the text in the business's language (required) and optionally in the others, a photo,
 * link buttons, an optional "Book" deep link and a time.
 */
export function CampaignForm({ onCreated }: { onCreated(id: string): void }) {
  const { t } = useMessages(messages);
  const { t: core } = useI18n();
  const id = useId();
  const segments = useLoad(loadSegments);
  const tenant = useLoad(() => get<{ locale: Locale }>('/tenant'));
  const main = tenant.data?.locale ?? 'ru';
  const [name, setName] = useState('');
  const [texts, setTexts] = useState<Partial<Record<Locale, string>>>({});
  const [photoUrl, setPhotoUrl] = useState('');
  const [links, setLinks] = useState<LinkButton[]>([]);
  const [picked, setPicked] = useState<string[]>([]);
  const [book, setBook] = useState(true);
  const [sendAt, setSendAt] = useState('');
  const [error, setError] = useState<unknown>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    const buttons = [...linkButtons(links), ...(book ? [{ label: { en: messages.en.book, ru: messages.ru.book, uk: messages.uk.book }, flow: { flowKey: 'booking' } }] : [])];
    try {
      const created = await createCampaign({
        name, segmentIds: picked,
        message: { text: campaignText(texts, main), ...(photoUrl.trim() ? { photoUrl: photoUrl.trim() } : {}), ...(buttons.length ? { buttons } : {}) },
        ...(sendAt ? { sendAt: new Date(sendAt).toISOString() } : {}),
      });
      setName(''); setTexts({}); setPhotoUrl(''); setLinks([]); setPicked([]);
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
      <fieldset className="field">
        <legend>{t('text')}</legend>
        <p className="muted small">{t('textHint', { lang: core(`lang.${main}`) })}</p>
        <div className="localized-langs">
          {[main, ...LANGS.filter((l) => l !== main)].map((l) => (
            <div className="lang-row" key={l}>
              <label htmlFor={`${id}-text-${l}`} className="lang-tag" title={core(`lang.${l}`)}>{l.toUpperCase()}{l === main ? '*' : ''}</label>
              <textarea id={`${id}-text-${l}`} rows={3} required={l === main} maxLength={4000} value={texts[l] ?? ''} placeholder={l === main ? '' : texts[main] ?? ''}
                onChange={(e) => setTexts({ ...texts, [l]: e.target.value })} />
            </div>
          ))}
        </div>
      </fieldset>
      <div className="field"><label htmlFor={`${id}-photo`}>{t('photo')}</label><input id={`${id}-photo`} type="url" pattern="https://.+" maxLength={2000} value={photoUrl} onChange={(e) => setPhotoUrl(e.target.value)} /></div>
      <LinkButtonsField rows={links} max={MAX_LINKS} onChange={setLinks} />
      <label className="row"><input type="checkbox" checked={book} onChange={(e) => setBook(e.target.checked)} /> {t('bookButton')}</label>
      <div className="field"><label htmlFor={`${id}-at`}>{t('sendAt')}</label><input id={`${id}-at`} type="datetime-local" value={sendAt} onChange={(e) => setSendAt(e.target.value)} /></div>
      <ErrorNote error={error ?? segments.error ?? tenant.error} />
      <div className="form-actions"><button type="submit" className="primary" disabled={!name.trim() || !texts[main]?.trim() || !picked.length}>{t('create')}</button></div>
    </form>
  );
}
