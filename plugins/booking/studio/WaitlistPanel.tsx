import { useState } from 'react';
import { del, ErrorNote, get, Link, post, useI18n, useLoad, useMessages, useOptions } from 'bookflow/studio';
import { deskMessages } from './desk-messages.js';
import type { JournalColumn } from './JournalPage.js';
import { WaitlistOffer } from './WaitlistOffer.js';
import { toWall } from './wallclock.js';

interface Entry { id: string; clientId: string; serviceId: string; resourceId: string | null; day: string | null; status: 'waiting' | 'offered'; offer: { start: string; expiresAt: string } | null }

function ClientName({ id }: { id: string }) {
  const c = useLoad(() => get<{ name: string }>(`/contacts/${id}`), [id]);
  return <Link to={`/contacts/${id}`}>{c.data?.name ?? '…'}</Link>;
}

/**
 * The waitlist at the desk, a queue per service: freed time is offered to the first waiter by itself
 * (booking.slot-freed); the desk offers a waiter a free time it chooses, books the offered time for a caller who says
 * yes on the phone, or takes them off.
 */
export function WaitlistPanel({ zone, date, staff, version, onChanged }: { zone: string; date: string; staff: JournalColumn[]; version: unknown; onChanged(): void }) {
  const { text, locale } = useI18n();
  const { t } = useMessages(deskMessages);
  const [error, setError] = useState<unknown>(null);
  const [offering, setOffering] = useState<string | null>(null);
  const services = useOptions('/api/v1/booking/services').options;
  const list = useLoad(() => get<{ items: Entry[] }>('/booking/waitlist'), [version]);
  const act = async (fn: () => Promise<unknown>) => {
    setError(null);
    try { await fn(); list.reload(); onChanged(); } catch (e) { setError(e); }
  };
  const items = list.data?.items ?? [];
  const queues = [...new Set(items.map((e) => e.serviceId))];
  return (
    <details className="journal-waitlist">
      <summary>{t('waitlist.title')} ({items.length})</summary>
      <ErrorNote error={error ?? list.error} />
      {!items.length ? <p className="muted small">{t('waitlist.empty')}</p> : queues.map((serviceId) => (
        <section key={serviceId}>
          <h3 className="small">{text(services.find((s) => s.value === serviceId)?.label ?? '')}</h3>
          <ol className="list">
            {items.filter((e) => e.serviceId === serviceId).map((e) => (
              <li key={e.id} className="row wrap">
                <ClientName id={e.clientId} />
                {e.day ? <span className="muted small">{e.day}</span> : null}
                {e.offer ? <span className="small">{t('waitlist.offered', { when: toWall(e.offer.start, zone).toLocaleString(locale, { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' }) })}</span> : null}
                {e.status === 'offered' ? <button type="button" className="small" onClick={() => act(() => post(`/booking/waitlist/${e.id}/claim`))}>{t('waitlist.claim')}</button> : null}
                {e.status === 'waiting' ? (
                  <button type="button" className="secondary small" aria-expanded={offering === e.id} onClick={() => setOffering(offering === e.id ? null : e.id)}>{t('waitlist.offer')}</button>
                ) : null}
                <button type="button" className="secondary small" onClick={() => act(() => del(`/booking/waitlist/${e.id}`))}>{t('waitlist.remove')}</button>
                {offering === e.id && e.status === 'waiting' ? (
                  <WaitlistOffer entry={e} staff={staff} date={date} zone={zone} onError={setError} onDone={() => { setOffering(null); setError(null); list.reload(); onChanged(); }} />
                ) : null}
              </li>
            ))}
          </ol>
        </section>
      ))}
    </details>
  );
}
