import { useState, type FormEvent } from 'react';
import { ApiError, post } from '../api.js';
import type { MsgKey } from '../i18n/en.js';
import { useI18n } from '../i18n/index.js';
import { ErrorNote, Loading } from '../ui/Status.js';
import { useApi } from '../query.js';

interface LoggedMessage { id: string; direction: 'in' | 'out'; text: string; status: string; channel: string | null; reason: string | null; createdAt: string }

/** The client's message log (both directions, every channel) and a box to write to them from the desk. */
export function ContactMessages({ contactId }: { contactId: string }) {
  const { t } = useI18n();
  const log = useApi<{ items: LoggedMessage[]; total: number }>(`/contacts/${contactId}/messages?limit=30`);
  const [text, setText] = useState('');
  const [error, setError] = useState<unknown>(null);
  const send = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    try {
      await post('/messages', { contactId, text });
      setText('');
      log.reload();
    } catch (err) {
      setError(err instanceof ApiError ? err : String(err));
    }
  };
  return (
    <section className="card" aria-label={t('contacts.messages')}>
      <h2>{t('contacts.messages')}</h2>
      <form onSubmit={send}>
        <div className="field"><label htmlFor="contact-write">{t('contacts.write')}</label><textarea id="contact-write" rows={2} required value={text} onChange={(e) => setText(e.target.value)} /></div>
        <ErrorNote error={error} />
        <div className="form-actions"><button type="submit" className="primary">{t('contacts.send')}</button></div>
      </form>
      {log.error ? <ErrorNote error={log.error} /> : !log.data ? <Loading /> : log.data.items.length === 0 ? <p className="muted">{t('contacts.noMessages')}</p> : (
        <table aria-label={t('contacts.messages')}>
          <tbody>
            {log.data.items.map((m) => (
              <tr key={m.id}>
                <td className="muted small">{new Date(m.createdAt).toLocaleString()}</td>
                <td>{t(m.direction === 'in' ? 'contacts.fromClient' : 'contacts.toClient')}</td>
                <td>{m.text}</td>
                <td className="muted small">{[m.channel, t(`contacts.status.${m.status}` as MsgKey), m.reason].filter(Boolean).join(' · ')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
