import { ErrorNote, get, Loading, useI18n, useLoad, useMessages, type ZoneProps } from 'bookflow/studio';
import { messages } from './messages.js';

interface Timeline {
  items: Array<{ id: number; kind: string; messageId: string | null; at: string }>;
  scheduled: Array<{ offsetMinutes: number; at: string }>;
  clientConfirmedAt: string | null;
}
type Status = 'queued' | 'sending' | 'sent' | 'failed' | 'skipped';
/** Core's own reasons for not sending, said in the studio's language; a provider's answer is shown as it came. */
const KNOWN_REASONS = ['no-reachable-channel', 'no-consent', 'contact-deleted'];

interface MessageState { id: string; status: Status; channel: string | null; reason: string | null }

/** The booking.details widget: what the client was told and when, through which channel, delivered or not, and how they reacted. */
export function BookingTimeline({ bookingId }: ZoneProps['booking.details']) {
  const { t } = useMessages(messages);
  const { locale } = useI18n();
  const data = useLoad(async () => {
    const timeline = await get<Timeline>(`/notifications/bookings/${bookingId}/timeline`);
    const states = await Promise.all(timeline.items.filter((i) => i.messageId).map((i) => get<MessageState>(`/messages/${i.messageId}`).catch(() => null)));
    return { timeline, states: new Map(states.filter((m): m is MessageState => m !== null).map((m) => [m.id, m])) };
  }, [bookingId]);
  const when = (iso: string) => new Date(iso).toLocaleString(locale, { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' });
  const { tx } = useMessages(messages);
  const kind = (k: string) => tx(`kind.${k}`, k);
  if (data.error) return <ErrorNote error={data.error} />;
  if (!data.data) return <Loading />;
  const { timeline, states } = data.data;
  return (
    <section className="card" aria-label={t('timeline.title')}>
      <h3>{t('timeline.title')}</h3>
      {timeline.clientConfirmedAt ? <p>✅ {t('timeline.confirmedAt', { at: when(timeline.clientConfirmedAt) })}</p> : null}
      {timeline.items.length === 0 ? <p className="muted">{t('timeline.none')}</p> : null}
      <ol className="timeline">
        {timeline.items.map((i) => {
          const m = i.messageId ? states.get(i.messageId) : undefined;
          return (
            <li key={i.id}>
              <span className="muted small">{when(i.at)}</span> {kind(i.kind)}
              {m ? <span className={`small status-${m.status}`}> · {m.channel ?? '—'} · {t(`status.${m.status}`)}{m.reason ? ` (${KNOWN_REASONS.includes(m.reason) ? t(`reason.${m.reason}` as 'reason.no-consent') : m.reason})` : ''}</span> : null}
            </li>
          );
        })}
        {timeline.scheduled.map((r) => <li key={r.offsetMinutes} className="muted">⏰ {t('timeline.scheduled', { offset: r.offsetMinutes, at: when(r.at) })}</li>)}
      </ol>
    </section>
  );
}
