import { useEffect, useState } from 'react';
import { get, Link, useMessages } from 'bookflow/studio';
import { messages } from './messages.js';

interface LiveCall { id: string; number: string; startedAt: string; contact: null | { id: string; name: string; marks: { status: 'first' | 'repeat' | 'vip'; color: string | null; locked: boolean }; upcoming: unknown[] } }
const POLL_MS = 3000;

/** The admin's window on ringing calls: each caller's card at a glance, their card and the journal one click away. */
export function LiveCalls() {
  const { t } = useMessages(messages);
  const [calls, setCalls] = useState<LiveCall[]>([]);
  useEffect(() => {
    let live = true;
    const poll = async () => {
      const answer = await get<{ items: LiveCall[] }>('/telephony/live').catch(() => null);
      if (live && answer) setCalls(answer.items);
    };
    void poll();
    const timer = setInterval(poll, POLL_MS);
    return () => { live = false; clearInterval(timer); };
  }, []);
  return (
    <div className="page">
      <h1>{t('calls.title')}</h1>
      {calls.length === 0 ? <p className="muted">{t('calls.none')}</p> : null}
      {calls.map((c) => (
        <section key={c.id} className="card" role="alert" aria-label={t('calls.ringing')} data-call={c.id}>
          <h2>📞 {c.contact?.name ?? c.number} <small className="muted">{c.number}</small></h2>
          {c.contact ? <>
            <p>{t(`calls.status.${c.contact.marks.status}`)} {c.contact.marks.locked ? '🔒' : ''} · {t('calls.upcoming', { n: c.contact.upcoming.length })}</p>
            <div className="row">
              <Link to={`/contacts/${c.contact.id}`}>{t('calls.card')}</Link>
              <Link to="/booking/journal">{t('calls.book')}</Link>
            </div>
          </> : <Link to="/contacts">{t('calls.unknown')}</Link>}
        </section>
      ))}
    </div>
  );
}
