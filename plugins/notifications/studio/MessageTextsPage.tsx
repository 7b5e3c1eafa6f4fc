import { useState } from 'react';
import { ErrorNote, Loading, post, useLoad, useMessages, type LocalizedText } from 'bookflow/studio';
import { messages } from './messages.js';

const KINDS = ['created', 'reminder', 'second', 'rescheduled', 'cancelled', 'restored', 'waitlist', 'blocked'] as const;
type Kind = (typeof KINDS)[number];

/** Every message as the client will read it, in each language, with its buttons, filled for a sample visit. */
export function MessageTextsPage() {
  const { t } = useMessages(messages);
  const [kind, setKind] = useState<Kind>('reminder');
  const preview = useLoad(() => post<{ text: LocalizedText; buttons: LocalizedText[] }>('/notifications/preview', { kind }), [kind]);
  return (
    <div className="page">
      <h1>{t('texts.title')}</h1>
      <p className="muted">{t('texts.intro')}</p>
      <div className="field">
        <label htmlFor="nf-kind">{t('texts.kind')}</label>
        <select id="nf-kind" value={kind} onChange={(e) => setKind(e.target.value as Kind)}>
          {KINDS.map((k) => <option key={k} value={k}>{t(`kind.${k}`)}</option>)}
        </select>
      </div>
      <ErrorNote error={preview.error} />
      {!preview.data ? <Loading /> : (
        <div className="row" aria-label={t('texts.preview')}>
          {(['ru', 'en', 'uk'] as const).map((l) => (
            <figure key={l} lang={l} className="card chat-preview">
              <figcaption className="muted small">{l.toUpperCase()}</figcaption>
              <p style={{ whiteSpace: 'pre-wrap' }}>{preview.data!.text[l]}</p>
              <div className="row">{preview.data!.buttons.map((b, i) => <button key={i} type="button" className="secondary small" disabled>{b[l] ?? b.en}</button>)}</div>
            </figure>
          ))}
        </div>
      )}
    </div>
  );
}
