import { Fragment, useId, useState } from 'react';
import { Dialog, ErrorNote, get, Link, Loading, patch, post, useI18n, useLoad, useMessages, Zone } from 'bookflow/studio';
import type { JournalBookingView } from './JournalPage.js';
import { BookingHistory } from './BookingHistory.js';
import { deskMessages } from './desk-messages.js';
import { journalMessages } from './journal-messages.js';
import { messages } from './messages.js';
import { toWall } from './wallclock.js';

/** One click moves a booking on; the server's graph (lib/bookings.ts TRANSITIONS) still has the last word. */
export const NEXT: Record<string, Array<'pending' | 'confirmed' | 'arrived' | 'completed' | 'no_show'>> = {
  held: ['confirmed'], pending: ['confirmed', 'arrived', 'no_show'], confirmed: ['arrived', 'no_show'], arrived: ['completed'],
};
const OPEN = ['held', 'pending', 'confirmed', 'arrived'];
const SOURCES = ['chat', 'widget', 'admin', 'phone', 'api'] as const;
const CHANNELS = ['telegram', 'webchat'] as const;

/** GET /bookings/:id: the journal's booking and where it came from (routes/booking-details.ts). */
interface BookingDetails extends JournalBookingView {
  origin: { source: 'flow' | 'test-chat' | 'desk' | 'public' | 'waitlist' | 'plugin'; channel: string | null; answers: Array<{ variable: string; label: string; value: string }> };
}

export interface CardClock {
  /** the app's clock minus the browser's, ms: the undo window counts on the app's */
  skewMs: number;
  undoMinutes: number;
}

/** A booking's card from the journal: what, when, who, the request, its status moves, a reasoned cancel and its undo, the history. */
export function BookingCard({ id, zone, clock, money, names, onClose, onChanged }: {
  id: string; zone: string; clock: CardClock; money(n: number): string; names(resourceId: string): string; onClose(): void; onChanged(): void;
}) {
  const { locale } = useI18n();
  const { t } = useMessages(journalMessages);
  const { t: dt } = useMessages(deskMessages);
  const { t: bt } = useMessages(messages);
  const fid = useId();
  const b = useLoad(() => get<BookingDetails>(`/bookings/${id}`), [id]);
  const [error, setError] = useState<unknown>(null);
  const [cancelling, setCancelling] = useState(false);
  const [reason, setReason] = useState('');
  const act = async (fn: () => Promise<unknown>) => {
    setError(null);
    try { await fn(); setCancelling(false); b.reload(); onChanged(); } catch (e) { setError(e); }
  };
  const fmt = (iso: string, opts: Intl.DateTimeFormatOptions) => toWall(iso, zone).toLocaleString(locale, opts);
  const v = b.data;
  // real time: the window closes while the card is open; skewMs turns it into the app's clock.
  const undoLeft = v?.status === 'cancelled' ? Math.ceil((new Date(v.updatedAt).getTime() + clock.undoMinutes * 60_000 - (Date.now() + clock.skewMs)) / 60_000) : 0;
  return (
    <Dialog title={v ? t('card.title', { when: fmt(v.start, { day: 'numeric', month: 'long', hour: '2-digit', minute: '2-digit' }) }) : '…'} onClose={onClose}>
      <ErrorNote error={error ?? b.error} />
      {!v ? <Loading /> : (
        <>
          <dl className="facts">
            <dt>{t('card.service')}</dt><dd>{v.serviceName}</dd>
            <dt>{t('card.time')}</dt><dd>{fmt(v.start, { hour: '2-digit', minute: '2-digit' })}–{fmt(v.end, { hour: '2-digit', minute: '2-digit' })} · {v.resourceIds.map(names).join(', ')}</dd>
            <dt>{t('card.client')}</dt><dd><Link to={`/contacts/${v.client.id}`}>{v.client.name}</Link>{v.client.phone ? ` ${v.client.phone}` : ''}</dd>
            <dt>{t('card.status')}</dt><dd className="booking-status">{bt(`status.${v.status as 'confirmed'}`)}{v.cancelReason ? ` · ${v.cancelReason}` : ''}</dd>
            <dt>{dt('card.price')}</dt><dd>{money(v.price)}</dd>
            {v.comment ? <><dt>{t('card.comment')}</dt><dd>{v.comment}</dd></> : null}
          </dl>
          <details>
            <summary>{dt('card.request')}</summary>
            <dl className="facts">
              <dt>{dt('card.source')}</dt>
              <dd>
                {dt(`origin.${v.origin.source}`)}
                {/* The desk says how the client reached it: a call, a walk-in at the studio. */}
                {v.origin.source === 'desk' && (SOURCES as readonly string[]).includes(v.source) ? <> · <span>{dt(`source.${v.source as 'chat'}`)}</span></> : null}
              </dd>
              {v.origin.channel ? <><dt>{dt('card.channel')}</dt><dd>{(CHANNELS as readonly string[]).includes(v.origin.channel) ? dt(`channel.${v.origin.channel as 'telegram'}`) : v.origin.channel}</dd></> : null}
              {v.contactPhone ? <><dt>{dt('card.phone')}</dt><dd>{v.contactPhone}</dd></> : null}
            </dl>
            {v.origin.answers.length ? (
              <>
                <h4 className="small">{dt('card.answers')}</h4>
                <dl className="facts" aria-label={dt('card.answers')}>
                  {v.origin.answers.map((a) => <Fragment key={a.variable}><dt>{a.label}</dt><dd>{a.value}</dd></Fragment>)}
                </dl>
              </>
            ) : null}
          </details>
          {cancelling ? (
            <form onSubmit={(e) => { e.preventDefault(); void act(() => patch(`/bookings/${id}`, { status: 'cancelled', cancelReason: reason.trim() })); }}>
              <div className="field"><label htmlFor={`${fid}-r`}>{t('card.cancelReason')}</label><textarea id={`${fid}-r`} required value={reason} onChange={(e) => setReason(e.target.value)} /></div>
              <div className="row">
                <button type="submit" className="danger" disabled={!reason.trim()}>{t('card.cancelConfirm')}</button>
                <button type="button" className="secondary" onClick={() => setCancelling(false)}>{t('card.back')}</button>
              </div>
            </form>
          ) : (
            <div className="row wrap">
              {(NEXT[v.status] ?? []).map((s) => <button key={s} type="button" className="secondary" onClick={() => act(() => patch(`/bookings/${id}`, { status: s }))}>{t(`card.to.${s}`)}</button>)}
              {OPEN.includes(v.status) ? <button type="button" className="danger" onClick={() => setCancelling(true)}>{t('card.cancel')}</button> : null}
              {undoLeft > 0 ? <button type="button" onClick={() => act(() => post(`/bookings/${id}/restore`, { from: 'undo' }))}>{dt('card.undo', { minutes: undoLeft })}</button> : null}
            </div>
          )}
          {/* What other plugins know of this booking: payments, reminders, points… */}
          <Zone name="booking.details" props={{ bookingId: v.id }} />
          <BookingHistory id={v.id} zone={zone} names={names} version={v.updatedAt} />
        </>
      )}
    </Dialog>
  );
}
