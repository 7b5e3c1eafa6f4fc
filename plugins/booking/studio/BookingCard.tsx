import { useId, useState } from 'react';
import { Dialog, ErrorNote, get, Link, Loading, patch, useI18n, useLoad, useMessages, Zone } from 'bookflow/studio';
import type { JournalBookingView } from './JournalPage.js';
import { journalMessages } from './journal-messages.js';
import { messages } from './messages.js';
import { toWall } from './wallclock.js';

/** One click moves a booking on; the server's graph (lib/bookings.ts TRANSITIONS) still has the last word. */
const NEXT: Record<string, Array<'pending' | 'confirmed' | 'arrived' | 'completed' | 'no_show'>> = {
  held: ['confirmed'], pending: ['confirmed', 'arrived', 'no_show'], confirmed: ['arrived', 'no_show'], arrived: ['completed'],
};
const OPEN = ['held', 'pending', 'confirmed', 'arrived'];

/** A booking's card from the journal: what, when, who, its status moves, cancelling with a reason, and other plugins' parts. */
export function BookingCard({ id, zone, onClose, onChanged }: { id: string; zone: string; onClose(): void; onChanged(): void }) {
  const { locale } = useI18n();
  const { t } = useMessages(journalMessages);
  const { t: bt } = useMessages(messages);
  const fid = useId();
  const b = useLoad(() => get<JournalBookingView>(`/bookings/${id}`), [id]);
  const [error, setError] = useState<unknown>(null);
  const [cancelling, setCancelling] = useState(false);
  const [reason, setReason] = useState('');
  const change = async (body: Record<string, string>) => {
    setError(null);
    try { await patch(`/bookings/${id}`, body); setCancelling(false); b.reload(); onChanged(); } catch (e) { setError(e); }
  };
  const fmt = (iso: string, opts: Intl.DateTimeFormatOptions) => toWall(iso, zone).toLocaleString(locale, opts);
  const v = b.data;
  return (
    <Dialog title={v ? t('card.title', { when: fmt(v.start, { day: 'numeric', month: 'long', hour: '2-digit', minute: '2-digit' }) }) : '…'} onClose={onClose}>
      <ErrorNote error={error ?? b.error} />
      {!v ? <Loading /> : (
        <>
          <dl className="facts">
            <dt>{t('card.service')}</dt><dd>{v.serviceName}</dd>
            <dt>{t('card.time')}</dt><dd>{fmt(v.start, { hour: '2-digit', minute: '2-digit' })}–{fmt(v.end, { hour: '2-digit', minute: '2-digit' })}</dd>
            <dt>{t('card.client')}</dt><dd><Link to={`/contacts/${v.client.id}`}>{v.client.name}</Link>{v.client.phone ? ` ${v.client.phone}` : ''}</dd>
            <dt>{t('card.status')}</dt><dd className="booking-status">{bt(`status.${v.status as 'confirmed'}`)}</dd>
            {v.comment ? <><dt>{t('card.comment')}</dt><dd>{v.comment}</dd></> : null}
          </dl>
          {cancelling ? (
            <form onSubmit={(e) => { e.preventDefault(); void change({ status: 'cancelled', cancelReason: reason.trim() }); }}>
              <div className="field"><label htmlFor={`${fid}-r`}>{t('card.cancelReason')}</label><textarea id={`${fid}-r`} required value={reason} onChange={(e) => setReason(e.target.value)} /></div>
              <div className="row">
                <button type="submit" className="danger" disabled={!reason.trim()}>{t('card.cancelConfirm')}</button>
                <button type="button" className="secondary" onClick={() => setCancelling(false)}>{t('card.back')}</button>
              </div>
            </form>
          ) : (
            <div className="row">
              {(NEXT[v.status] ?? []).map((s) => <button key={s} type="button" className="secondary" onClick={() => change({ status: s })}>{t(`card.to.${s}`)}</button>)}
              {OPEN.includes(v.status) ? <button type="button" className="danger" onClick={() => setCancelling(true)}>{t('card.cancel')}</button> : null}
            </div>
          )}
          {/* What other plugins know of this booking: payments, reminders, points… */}
          <Zone name="booking.details" props={{ bookingId: v.id }} />
        </>
      )}
    </Dialog>
  );
}
