import { useMemo, useState } from 'react';
import { Calendar, luxonLocalizer, type SlotInfo } from 'react-big-calendar';
import dndAddon, { type EventInteractionArgs } from 'react-big-calendar/lib/addons/dragAndDrop';
import { DateTime } from 'luxon';
import 'react-big-calendar/lib/css/react-big-calendar.css';
import 'react-big-calendar/lib/addons/dragAndDrop/styles.css';
import { ErrorNote, get, Loading, patch, query, useI18n, useLoad, useMessages, Zone } from 'bookflow/studio';
import { BookingCard } from './BookingCard.js';
import { DeskBookingDialog } from './DeskBookingDialog.js';
import { journalMessages } from './journal-messages.js';
import { messages } from './messages.js';
import { dayStart, fromWall, toWall, wallDate } from './wallclock.js';
import './journal.css';

export interface JournalColumn { id: string; kind: 'staff' | 'room' | 'equipment'; name: string; title: string; color: string | null; departmentName: string }
export interface JournalBookingView {
  id: string; start: string; end: string; status: string; serviceId: string; serviceName: string; resourceIds: string[];
  client: { id: string; name: string; phone: string | null }; comment: string;
}
interface Journal { timezone: string; date: string; columns: JournalColumn[]; bookings: JournalBookingView[] }
interface Cell { booking: JournalBookingView; start: Date; end: Date; resourceId: string[]; title: string }

// The addon ships as CommonJS only; the bundler hands its module object as the default, the function one level down.
const withDragAndDrop = typeof dndAddon === 'function' ? dndAddon : (dndAddon as unknown as { default: typeof dndAddon }).default;
const DnDCalendar = withDragAndDrop<Cell, JournalColumn>(Calendar);
const localizer = luxonLocalizer(DateTime, { firstDayOfWeek: 1 });
// real time: the grid's now-line is the wall clock the desk looks at, shown on the business's clock
const realNow = () => new Date().toISOString();
const LEGEND = ['pending', 'confirmed', 'arrived', 'completed', 'no_show', 'held'] as const;

/** The day by columns (staff by department, then rooms and equipment) on the business's clock. */
export function JournalPage() {
  const { locale } = useI18n();
  const { t } = useMessages(journalMessages);
  const { t: bt } = useMessages(messages);
  const [date, setDate] = useState<string | undefined>(undefined);
  const [error, setError] = useState<unknown>(null);
  const [desk, setDesk] = useState<{ start: Date; column: JournalColumn } | null>(null);
  const [open, setOpen] = useState<string | null>(null);
  const data = useLoad(() => get<Journal>(`/booking/journal${query({ date })}`), [date]);
  const j = data.data;
  const zone = j?.timezone ?? 'UTC';
  const cells = useMemo<Cell[]>(() => (j?.bookings ?? []).map((b) => ({
    booking: b, start: toWall(b.start, zone), end: toWall(b.end, zone), resourceId: b.resourceIds, title: `${b.client.name} · ${b.serviceName}`,
  })), [j, zone]);
  const time = (d: Date) => d.toLocaleTimeString(locale, { hour: '2-digit', minute: '2-digit' });
  const shift = (days: number) => j && setDate(DateTime.fromISO(j.date).plus({ days }).toISODate()!);
  const column = (id: unknown) => j?.columns.find((c) => c.id === id);

  const move = async ({ event, start, resourceId }: EventInteractionArgs<Cell>) => {
    const to = column(resourceId) ?? column(event.booking.resourceIds[0]);
    const when = new Date(start);
    if (!to || !window.confirm(t('move.confirm', { client: event.booking.client.name, when: time(when), column: to.name }))) return;
    setError(null);
    // Moving to another column swaps the one resource of that kind; the engine refuses what does not fit.
    const from = column(event.resourceId.find((r) => column(r)?.kind === to.kind));
    const resourceIds = from && from.id !== to.id ? event.booking.resourceIds.map((r) => (r === from.id ? to.id : r)) : undefined;
    try { await patch(`/bookings/${event.booking.id}`, { start: fromWall(when, zone), ...(resourceIds ? { resourceIds } : {}) }); } catch (e) { setError(e); }
    data.reload();
  };

  return (
    <div className="page journal">
      <div className="page-head">
        <h1>{t('page.journal')}</h1>
        <div className="row">
          <button type="button" className="secondary small" onClick={() => shift(-1)} aria-label={t('journal.prev')}>‹</button>
          <button type="button" className="secondary small" onClick={() => setDate(undefined)}>{t('journal.today')}</button>
          <button type="button" className="secondary small" onClick={() => shift(1)} aria-label={t('journal.next')}>›</button>
          <input type="date" aria-label={t('journal.date')} value={j?.date ?? ''} onChange={(e) => e.target.value && setDate(e.target.value)} />
        </div>
      </div>
      {j ? <p className="muted small">{t('journal.zone', { zone })} · {DateTime.fromISO(j.date).setLocale(locale).toLocaleString(DateTime.DATE_HUGE)}</p> : null}
      <ul className="journal-legend" aria-label={t('journal.legend')}>
        {LEGEND.map((s) => <li key={s} className={`jb-status-${s}`}>{bt(`status.${s}`)}</li>)}
      </ul>
      <ErrorNote error={error ?? data.error} />
      {data.loading && !j ? <Loading /> : null}
      {j && !j.columns.length ? <p className="muted">{t('journal.noColumns')}</p> : null}
      {j && j.columns.length ? (
        <DnDCalendar
          localizer={localizer} culture={locale} toolbar={false} view="day" views={['day']} onView={() => undefined}
          date={dayStart(j.date)} onNavigate={(d) => setDate(wallDate(d))}
          events={cells} resources={j.columns} resourceIdAccessor="id" resourceTitleAccessor="name"
          step={15} timeslots={4} min={dayStart(j.date)} scrollToTime={new Date(dayStart(j.date).getTime() + 8 * 3600_000)}
          getNow={() => toWall(realNow(), zone)}
          selectable onSelectSlot={(slot: SlotInfo) => { const c = column(slot.resourceId); if (c) setDesk({ start: slot.start, column: c }); }}
          onSelectEvent={(e) => setOpen(e.booking.id)}
          onEventDrop={move} resizable={false}
          eventPropGetter={(e) => ({ className: `jb-status-${e.booking.status}` })}
          components={{
            event: ({ event }) => (
              <span className="jb" data-booking={event.booking.id}>
                <b>{time(event.start)}–{time(event.end)}</b> {event.booking.client.name}<br />{event.booking.serviceName}
                <Zone name="journal.cell" props={{ booking: { ...event.booking, clientId: event.booking.client.id } }} />
              </span>
            ),
            resourceHeader: ({ resource }) => (
              <span className="jb-col" data-column={resource.id}>
                <small>{resource.kind === 'staff' ? resource.departmentName : t(`journal.kind.${resource.kind}`)}</small><br />{resource.name}
              </span>
            ),
          }}
        />
      ) : null}
      {desk && j ? <DeskBookingDialog start={desk.start} zone={zone} column={desk.column} onClose={() => setDesk(null)} onBooked={() => { setDesk(null); data.reload(); }} /> : null}
      {open ? <BookingCard id={open} zone={zone} onClose={() => setOpen(null)} onChanged={data.reload} /> : null}
    </div>
  );
}
