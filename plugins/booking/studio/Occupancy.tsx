import { useMessages } from 'bookflow/studio';
import type { JournalBookingView, JournalColumn } from './JournalPage.js';
import { deskMessages } from './desk-messages.js';

const DAY_MS = 86_400_000;

/** Each piece of equipment's day as a bar: booked stretches dark, with the hours taken, so a glance tells what is free. */
export function Occupancy({ equipment, bookings, from }: { equipment: JournalColumn[]; bookings: JournalBookingView[]; from: string }) {
  const { t } = useMessages(deskMessages);
  if (!equipment.length) return null;
  const start = new Date(from).getTime();
  return (
    <section className="occupancy" aria-label={t('occupancy.title')}>
      {equipment.map((e) => {
        const mine = bookings.filter((b) => b.resourceIds.includes(e.id));
        const busyMs = mine.reduce((sum, b) => sum + new Date(b.end).getTime() - new Date(b.start).getTime(), 0);
        const label = t('occupancy.busy', { name: e.name, hours: (busyMs / 3_600_000).toFixed(1) });
        return (
          <div key={e.id} className="occupancy-row" title={label}>
            <span className="small">{label}</span>
            <div className="occupancy-bar" role="img" aria-label={label}>
              {mine.map((b) => {
                const left = ((new Date(b.start).getTime() - start) / DAY_MS) * 100;
                const width = ((new Date(b.end).getTime() - new Date(b.start).getTime()) / DAY_MS) * 100;
                return <i key={b.id} style={{ left: `${left}%`, width: `${width}%` }} />;
              })}
            </div>
          </div>
        );
      })}
    </section>
  );
}
