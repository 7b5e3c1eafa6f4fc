import { useState } from 'react';
import { ErrorNote, get, Link, Loading, post, useI18n, useLoad, useMessages } from 'bookflow/studio';
import { messages } from './messages.js';

interface Failed { id: string; contactId: string | null; channel: string | null; text: string; reason: string | null; attempts: number; createdAt: string }

/** Messages the outbox gave up on (a wrong SMS key, a bounced email…): fix the cause, then send them again. */
export function FailedMessagesPage() {
  const { t } = useMessages(messages);
  const { locale } = useI18n();
  const failed = useLoad(() => get<{ items: Failed[] }>('/messages/failed').then((r) => r.items));
  const [error, setError] = useState<unknown>(null);
  const retry = async (id: string) => {
    setError(null);
    try { await post(`/messages/${id}/retry`, {}); failed.reload(); } catch (e) { setError(e); }
  };
  return (
    <div className="page">
      <h1>{t('failed.title')}</h1>
      <p className="muted">{t('failed.intro')}</p>
      <ErrorNote error={error ?? failed.error} />
      {!failed.data ? <Loading /> : (
        <table className="table" aria-label={t('failed.title')}>
          <thead><tr><th>{t('failed.when')}</th><th>{t('failed.text')}</th><th>{t('failed.reason')}</th><th /></tr></thead>
          <tbody>
            {failed.data.length === 0 ? <tr><td colSpan={4} className="muted">{t('failed.none')}</td></tr> : null}
            {failed.data.map((m) => (
              <tr key={m.id}>
                <td>{new Date(m.createdAt).toLocaleString(locale, { dateStyle: 'short', timeStyle: 'short' })}</td>
                <td>{m.contactId ? <Link to={`/contacts/${m.contactId}`}>{m.text}</Link> : m.text}</td>
                <td>{m.channel ?? '—'}: {m.reason ?? ''} ({m.attempts})</td>
                <td className="row-actions"><button type="button" className="secondary small" onClick={() => retry(m.id)}>{t('failed.retry')}</button></td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
