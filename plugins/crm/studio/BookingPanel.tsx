import { get, Loading, useI18n, useLoad, useMessages, type ZoneProps } from 'bookflow/studio';
import { InterestCharts } from './InterestCharts.js';
import type { Card } from './GuestCard.js';
import { messages } from './messages.js';

interface Equipment { items: Array<{ resourceId: string; name: string; busy: Array<{ start: string; end: string }>; busyMinutes: number }> }

/** The booking form's panels (seed 003): the team's note on the guest, their two interest charts and the day's equipment occupancy. */
export function BookingPanel({ bookingId }: ZoneProps['booking.details']) {
  const { t } = useMessages(messages);
  const { locale } = useI18n();
  const data = useLoad(async () => {
    const b = await get<{ start: string; client: { id: string } }>(`/bookings/${bookingId}`);
    const [card, equipment] = await Promise.all([get<Card>(`/crm/cards/${b.client.id}`).catch(() => null), get<Equipment>(`/crm/equipment?at=${encodeURIComponent(b.start)}`)]);
    return { card, equipment };
  }, [bookingId]);
  if (!data.data) return data.error ? null : <Loading />;
  const { card, equipment } = data.data;
  const time = new Intl.DateTimeFormat(locale, { timeStyle: 'short' });
  return (
    <div className="crm-booking">
      {/* What the specialist should know before the procedure (drinks, intensity, "talkative"); the confidential note never reaches them. */}
      {card?.publicNote ? <section aria-label={t('notes.public')}><h3>{t('notes.public')}</h3><p className="crm-note">{card.publicNote}</p></section> : null}
      {card ? <InterestCharts survey={card.survey} behaviour={card.behaviour} categories={card.categories} /> : null}
      {equipment.items.length ? (
        <section aria-label={t('equipment.title')}>
          <h3>{t('equipment.title')}</h3>
          <ul className="plain">
            {equipment.items.map((e) => (
              <li key={e.resourceId}><b>{e.name}</b>: {e.busy.length ? `${t('equipment.busy', { minutes: e.busyMinutes })} — ${e.busy.map((b) => `${time.format(new Date(b.start))}–${time.format(new Date(b.end))}`).join(', ')}` : t('equipment.free')}</li>
            ))}
          </ul>
        </section>
      ) : null}
    </div>
  );
}
