import { DateTime } from 'luxon';
import { ErrorNote, get, query, useI18n, useLoad, useMessages } from 'bookflow/studio';
import type { JournalBookingView } from './JournalPage.js';
import { deskMessages } from './desk-messages.js';
import { messages } from './messages.js';
import { useMoney } from './useMoney.js';

const SHOWN = 10;

/** The client card's visits: upcoming and past, and how often the client cancelled or did not come. */
export function ClientVisits({ contactId }: { contactId: string }) {
  const { locale } = useI18n();
  const { t } = useMessages(deskMessages);
  const { t: bt } = useMessages(messages);
  const money = useMoney();
  const list = useLoad(() => Promise.all([
    get<{ items: JournalBookingView[] }>(`/bookings${query({ clientId: contactId, limit: 500 })}`),
    get<{ timezone: string; now: string }>('/booking/journal'),
  ]), [contactId]);
  if (!list.data) return <ErrorNote error={list.error} />;
  const [{ items }, { timezone, now }] = list.data;
  const at = Date.parse(now);
  const open = ['held', 'pending', 'confirmed', 'arrived'];
  const upcoming = items.filter((b) => Date.parse(b.start) >= at && open.includes(b.status)).sort((a, b) => a.start.localeCompare(b.start));
  const past = items.filter((b) => !upcoming.includes(b)).sort((a, b) => b.start.localeCompare(a.start));
  const count = (s: string) => items.filter((b) => b.status === s).length;
  const row = (b: JournalBookingView) => (
    <li key={b.id}>{DateTime.fromISO(b.start, { zone: timezone }).setLocale(locale).toFormat('d LLL yyyy, HH:mm')} · {b.serviceName} · {money(b.price)} · <span className={`booking-status status-${b.status}`}>{bt(`status.${b.status as 'confirmed'}`)}</span>{b.cancelReason ? ` · ${b.cancelReason}` : ''}</li>
  );
  return (
    <section className="card" aria-label={t('visits.title')}>
      <h2>{t('visits.title')}</h2>
      <p className="small">{t('visits.counts', { completed: count('completed'), noShows: count('no_show'), cancelled: count('cancelled') })}</p>
      <h3>{t('visits.upcoming')}</h3>
      {upcoming.length ? <ul className="list">{upcoming.slice(0, SHOWN).map(row)}</ul> : <p className="muted small">{t('visits.none')}</p>}
      <h3>{t('visits.past')}</h3>
      {past.length ? <ul className="list">{past.slice(0, SHOWN).map(row)}</ul> : <p className="muted small">{t('visits.none')}</p>}
    </section>
  );
}
