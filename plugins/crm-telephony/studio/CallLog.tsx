import { useState } from 'react';
import { ErrorNote, get, post, useI18n, useLoad, useMessages, type ZoneProps } from 'bookflow/studio';
import { messages } from './messages.js';

interface Call { id: string; direction: 'in' | 'out'; startedAt: string; durationSec: number | null; result: string | null; answeredBy: string | null; recordingUrl: string | null }

/** The client's calls on their card, and click-to-call through Mango. */
export function CallLog({ contactId }: ZoneProps['client.card']) {
  const { t } = useMessages(messages);
  const { locale } = useI18n();
  const log = useLoad(() => get<{ items: Call[] }>(`/telephony/calls?contactId=${contactId}`), [contactId]);
  const [error, setError] = useState<unknown>(null);
  const fmt = new Intl.DateTimeFormat(locale, { dateStyle: 'short', timeStyle: 'short' });
  const call = async () => { setError(null); try { await post('/telephony/callback', { contactId }); } catch (e) { setError(e); } };
  return (
    <section className="card" aria-label={t('log.title')}>
      <h2>{t('log.title')} <button type="button" className="secondary small" onClick={call}>📞 {t('log.call')}</button></h2>
      <ErrorNote error={error ?? log.error} />
      {log.data?.items.length ? (
        <ul className="plain">{log.data.items.map((c) => (
          <li key={c.id}>{fmt.format(new Date(c.startedAt))} · {t(`log.${c.direction}`)} · {c.result ? t(c.result === 'answered' ? 'log.answered' : 'log.missed') : ''}
            {c.durationSec ? ` · ${Math.round(c.durationSec / 60)} min` : ''}{c.answeredBy ? ` · ${c.answeredBy}` : ''}
            {c.recordingUrl ? <> · <a href={c.recordingUrl} rel="noreferrer noopener" target="_blank">{t('log.record')}</a></> : null}</li>
        ))}</ul>
      ) : <p className="muted small">{t('log.none')}</p>}
    </section>
  );
}
