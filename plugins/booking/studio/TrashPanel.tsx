import { useState } from 'react';
import { ErrorNote, get, post, query, useLoad, useMessages } from 'bookflow/studio';
import type { JournalBookingView } from './JournalPage.js';
import { deskMessages } from './desk-messages.js';
import { toWall } from './wallclock.js';

/** The shown days' cancelled bookings still ahead; staff restore one if its time is still free (the server decides). */
export function TrashPanel({ from, to, zone, locale, version, onChanged }: { from: string; to: string; zone: string; locale: string; version: unknown; onChanged(): void }) {
  const { t } = useMessages(deskMessages);
  const [error, setError] = useState<unknown>(null);
  const list = useLoad(() => get<{ items: JournalBookingView[] }>(`/bookings${query({ from, to, status: 'cancelled', limit: 200 })}`), [from, to, version]);
  const restore = async (id: string) => {
    setError(null);
    try { await post(`/bookings/${id}/restore`, { from: 'trash' }); onChanged(); } catch (e) { setError(e); }
  };
  const items = list.data?.items ?? [];
  return (
    <details className="journal-trash">
      <summary>{t('trash.title')} ({items.length})</summary>
      <ErrorNote error={error ?? list.error} />
      {!items.length ? <p className="muted small">{t('trash.empty')}</p> : (
        <ul className="list">
          {items.map((b) => (
            <li key={b.id} className="row wrap">
              <span>{toWall(b.start, zone).toLocaleString(locale, { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' })} · {b.client.name} · {b.serviceName}
                {b.cancelReason ? <span className="muted small"> · {t('trash.reason', { reason: b.cancelReason })}</span> : null}</span>
              <button type="button" className="secondary small" onClick={() => restore(b.id)}>{t('trash.restore')}</button>
            </li>
          ))}
        </ul>
      )}
    </details>
  );
}
