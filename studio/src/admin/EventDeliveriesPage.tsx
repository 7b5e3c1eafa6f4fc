import { useState } from 'react';
import { post } from '../api.js';
import { useI18n } from '../i18n/index.js';
import { ErrorNote, Loading } from '../ui/Status.js';
import { useApi } from '../query.js';

interface DeadDelivery { id: string; eventId: string; type: string; handler: string; attempts: number; lastError: string | null; createdAt: string; failedAt: string | null }

/** "loyalty:booking.completed" → "loyalty" */
const pluginOf = (handler: string) => handler.split(':')[0];

/** Event deliveries that failed every attempt, with a retry each (owners and administrators). */
export function EventDeliveriesPage() {
  const { t, locale } = useI18n();
  const deadList = useApi<{ items: DeadDelivery[] }>('/events/dead');
  const dead = { ...deadList, data: deadList.data?.items ?? null };
  const [error, setError] = useState<unknown>(null);
  const [retried, setRetried] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const when = (v: string | null) => (v ? new Date(v).toLocaleString(locale, { dateStyle: 'medium', timeStyle: 'short' }) : '');
  const retry = async (d: DeadDelivery) => {
    setError(null); setRetried(null); setBusy(d.id);
    try {
      await post(`/events/dead/${d.id}/retry`);
      setRetried(pluginOf(d.handler));
      dead.reload();
    } catch (e) { setError(e); } finally { setBusy(null); }
  };
  return (
    <div className="page">
      <h1>{t('nav.events')}</h1>
      <p className="muted">{t('events.intro')}</p>
      <ErrorNote error={error ?? dead.error} />
      {retried ? <div className="ok-note" role="status">{t('events.retried', { plugin: retried })}</div> : null}
      {dead.loading && !dead.data ? <Loading /> : null}
      {dead.data ? (
        <table className="table">
          <thead><tr>
            <th>{t('events.type')}</th><th>{t('events.handler')}</th><th>{t('events.attempts')}</th><th>{t('events.lastError')}</th>
            <th>{t('events.createdAt')}</th><th>{t('events.failedAt')}</th><th><span className="sr-only">{t('events.retry')}</span></th>
          </tr></thead>
          <tbody>
            {dead.data.length === 0 ? <tr><td colSpan={7} className="muted">{t('events.none')}</td></tr> : null}
            {dead.data.map((d) => (
              <tr key={d.id}>
                <td><code>{d.type}</code></td><td>{pluginOf(d.handler)}</td><td>{d.attempts}</td>
                <td className="small">{d.lastError ?? ''}</td><td>{when(d.createdAt)}</td><td>{when(d.failedAt)}</td>
                <td><button type="button" className="secondary small" disabled={busy === d.id} onClick={() => retry(d)}>{t('events.retry')}</button></td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </div>
  );
}
