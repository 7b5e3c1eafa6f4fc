import { Link, navigate, useI18n, useMessages } from 'bookflow/studio';
import { messages } from './messages.js';
import type { LiveCall } from './useLiveCalls.js';

/**
 * A ringing call: who it is (status, colour group, the lock), their upcoming bookings, their card, and a desk
 * booking with them already chosen (the journal's `?client=`).
 */
export function CallCard({ call, onDismiss }: { call: LiveCall; onDismiss?: () => void }) {
  const { t } = useMessages(messages);
  const { locale } = useI18n();
  const fmt = new Intl.DateTimeFormat(locale, { dateStyle: 'short', timeStyle: 'short' });
  const c = call.contact;
  return (
    <section className="card call-card" role="alert" aria-label={t('calls.ringing')} data-call={call.id}>
      <h2>📞 {c?.name ?? call.number} <small className="muted">{call.number}</small></h2>
      {c ? <>
        <p>
          <b>{t(`calls.status.${c.marks.status}`)}</b>
          {c.marks.color ? <> · <span data-color={c.marks.color}>{t(`calls.color.${c.marks.color}`)}</span></> : null}
          {c.marks.locked ? <> · <span role="img" aria-label={t('calls.locked')} title={t('calls.locked')}>🔒</span></> : null}
        </p>
        <p>{t('calls.upcoming', { n: c.upcoming.length })}{c.upcoming.length ? `: ${c.upcoming.slice(0, 3).map((b) => fmt.format(new Date(b.start))).join(', ')}` : ''}</p>
        <div className="row">
          <Link to={`/contacts/${c.id}`}>{t('calls.card')}</Link>
          <button type="button" className="primary small" onClick={() => navigate(`/booking/journal?client=${c.id}`)}>{t('calls.book')}</button>
          {onDismiss ? <button type="button" className="secondary small" onClick={onDismiss}>{t('calls.dismiss')}</button> : null}
        </div>
      </> : <div className="row">
        <Link to="/contacts">{t('calls.unknown')}</Link>
        {onDismiss ? <button type="button" className="secondary small" onClick={onDismiss}>{t('calls.dismiss')}</button> : null}
      </div>}
    </section>
  );
}
