import { createContext, useCallback, useContext, useMemo, useState } from 'react';
import { Calendar, luxonLocalizer, type SlotInfo, type View } from 'react-big-calendar';
import dndAddon, { type EventInteractionArgs } from 'react-big-calendar/lib/addons/dragAndDrop';
import { DateTime } from 'luxon';
import 'react-big-calendar/lib/css/react-big-calendar.css';
import 'react-big-calendar/lib/addons/dragAndDrop/styles.css';
import { ErrorNote, get, Loading, patch, query, useI18n, useLoad, useMessages, Zone } from 'bookflow/studio';
import { BookingCard, NEXT } from './BookingCard.js';
import { DeskBookingDialog } from './DeskBookingDialog.js';
import { deskMessages } from './desk-messages.js';
import { journalMessages } from './journal-messages.js';
import { JournalToolbar, type JournalFilters } from './JournalToolbar.js';
import { moneyFormat, serviceColor } from './look.js';
import { messages } from './messages.js';
import { Occupancy } from './Occupancy.js';
import { StaffSheet } from './StaffSheet.js';
import { StatusMenu, type MenuAnchor } from './StatusMenu.js';
import { TrashPanel } from './TrashPanel.js';
import { useJournalLive } from './useJournalLive.js';
import { WaitlistPanel } from './WaitlistPanel.js';
import { dayStart, fromWall, toWall, wallDate } from './wallclock.js';
import './journal.css';

export interface JournalColumn { id: string; kind: 'staff' | 'room' | 'equipment'; name: string; title: string; color: string | null; departmentId: string | null; departmentName: string }
export interface JournalBookingView {
  id: string; start: string; end: string; status: string; serviceId: string; serviceName: string; resourceIds: string[];
  client: { id: string; name: string; phone: string | null }; comment: string; price: number; source: string; contactPhone: string | null;
  cancelReason: string | null; updatedAt: string;
  /** made from the studio's test chat: not a real client's visit */
  test: boolean;
  clientConfirmedAt: string | null;
}
interface Journal { timezone: string; currency: string; cancelUndoMinutes: number; now: string; date: string; from: string; to: string; columns: JournalColumn[]; bookings: JournalBookingView[] }
interface Cell { booking: JournalBookingView; start: Date; end: Date; resourceId: string[]; title: string }

// The addon ships as CommonJS only; the bundler hands its module object as the default, the function one level down.
const withDragAndDrop = typeof dndAddon === 'function' ? dndAddon : (dndAddon as unknown as { default: typeof dndAddon }).default;
const DnDCalendar = withDragAndDrop<Cell, JournalColumn>(Calendar);
const localizer = luxonLocalizer(DateTime, { firstDayOfWeek: 1 });
// real time: the grid's now-line is the wall clock the desk looks at, shown on the business's clock
const realNow = () => new Date().toISOString();
const LEGEND = ['pending', 'confirmed', 'arrived', 'completed', 'no_show', 'held'] as const;
// Only a booking that may still move changes its length; the server decides whether its service allows it.
const RESIZABLE = ['held', 'pending', 'confirmed'];
const MINUTE = 60_000;
/** Opens a booking's status menu from its block on the grid: the block is rendered by the calendar, not by the page. */
const OpenMenu = createContext<(a: MenuAnchor) => void>(() => undefined);
const RBC_VIEW: Record<JournalFilters['view'], View> = { day: 'day', week: 'week', month: 'month', range: 'agenda', sheet: 'day' };

/** A booking on the grid: its interval, client and service. */
function BookingEvent({ event }: { event: Cell }) {
  const { locale } = useI18n();
  const { t } = useMessages(journalMessages);
  const time = (d: Date) => d.toLocaleTimeString(locale, { hour: '2-digit', minute: '2-digit' });
  const openMenu = useContext(OpenMenu);
  const { test, clientConfirmedAt } = event.booking;
  const next = NEXT[event.booking.status] ?? [];
  return (
    <>
      {next.length ? (
        // Its own mouse-down and click: neither a drag of the booking nor the card.
        <button type="button" className="jb-more" aria-haspopup="menu" aria-label={t('menu.open', { client: event.booking.client.name })}
          onMouseDown={(e) => e.stopPropagation()}
          onClick={(e) => { e.stopPropagation(); const r = e.currentTarget.getBoundingClientRect(); openMenu({ booking: event.booking, x: r.left, y: r.bottom }); }}>⋯</button>
      ) : null}
      <span className="jb" data-booking={event.booking.id}>
        {test ? <span className="jb-badge">{t('journal.test')}</span> : null}
        {clientConfirmedAt ? <span className="jb-mark" role="img" aria-label={t('journal.clientConfirmed')} title={t('journal.clientConfirmed')}>✓</span> : null}
        <b>{time(event.start)}–{time(event.end)}</b> {event.booking.client.name}<br />{event.booking.serviceName}
        {/* Plugins' marks of the client (CRM's status, colour, lock, a missing contract) */}
        <Zone name="journal.cell" props={{ booking: { ...event.booking, clientId: event.booking.client.id } }} />
      </span>
    </>
  );
}

function ColumnHeader({ resource }: { resource: JournalColumn }) {
  const { t } = useMessages(journalMessages);
  return <span className="jb-col" data-column={resource.id}><small>{resource.kind === 'staff' ? resource.departmentName : t(`journal.kind.${resource.kind}`)}</small><br />{resource.name}</span>;
}

// One object for good: new component types on every render would remount every booking on the grid (each drag step).
const COMPONENTS = { event: BookingEvent, resourceHeader: ColumnHeader };

/** The first day and the number of days a view shows around `anchor` (yyyy-mm-dd). */
function span(f: JournalFilters, anchor: string | undefined): { date: string | undefined; days: number } {
  if (!anchor) return { date: undefined, days: 1 };
  const d = DateTime.fromISO(anchor);
  if (f.view === 'week') return { date: d.startOf('week').toISODate()!, days: 7 };
  if (f.view === 'month') return { date: d.startOf('month').toISODate()!, days: d.daysInMonth! };
  if (f.view === 'range') return { date: anchor, days: f.days };
  return { date: anchor, days: 1 };
}

/** The journal on the business's clock: the day by columns (staff by department, then rooms and equipment), a week, a month, a range, or the staff sheet. */
export function JournalPage() {
  const { locale } = useI18n();
  const { t } = useMessages(journalMessages);
  const { t: dt } = useMessages(deskMessages);
  const { t: bt } = useMessages(messages);
  const [anchor, setAnchor] = useState<string | undefined>(undefined);
  const [filters, setFilters] = useState<JournalFilters>({ view: 'day', days: 14, colorBy: 'status', departmentId: '', resourceId: '' });
  const [error, setError] = useState<unknown>(null);
  const [desk, setDesk] = useState<{ start: Date; column: JournalColumn } | null>(null);
  // A caller to book (telephony's popup opens /booking/journal?client=<id>): the desk form starts with them chosen.
  const [callerId, setCallerId] = useState(() => new URLSearchParams(window.location.search).get('client'));
  const caller = useLoad(() => (callerId ? get<{ id: string; name: string }>(`/contacts/${callerId}`) : Promise.resolve(null)), [callerId]);
  const [open, setOpen] = useState<string | null>(null);
  const [version, setVersion] = useState(0);
  const [menu, setMenu] = useState<MenuAnchor | null>(null);
  const closeMenu = useCallback(() => setMenu(null), []);
  // A resize shown at once, until the server answers: a refusal takes it back.
  const [resized, setResized] = useState<{ id: string; start: Date; end: Date } | null>(null);
  const shown = span(filters, anchor);
  const data = useLoad(() => get<Journal>(`/booking/journal${query({ date: shown.date, days: shown.days })}`), [shown.date, shown.days]);
  const refresh = () => { data.reload(); setVersion((v) => v + 1); };
  const live = useJournalLive(refresh);
  const j = data.data;
  const zone = j?.timezone ?? 'UTC';
  const day = anchor ?? j?.date ?? '';
  const columns = useMemo(() => (j?.columns ?? []).filter((c) => (!filters.departmentId || c.departmentId === filters.departmentId) && (!filters.resourceId || c.id === filters.resourceId)), [j, filters.departmentId, filters.resourceId]);
  const departments = useMemo(() => [...new Map((j?.columns ?? []).filter((c) => c.departmentId).map((c) => [c.departmentId!, c.departmentName])).entries()], [j]);
  const cells = useMemo<Cell[]>(() => {
    const ids = new Set(columns.map((c) => c.id));
    return (j?.bookings ?? []).filter((b) => b.resourceIds.some((r) => ids.has(r))).map((b) => ({
      booking: b, ...(resized?.id === b.id ? { start: resized.start, end: resized.end } : { start: toWall(b.start, zone), end: toWall(b.end, zone) }), resourceId: b.resourceIds, title: `${b.client.name} · ${b.serviceName}`,
    }));
  }, [j, zone, columns, resized]);
  const grid = useMemo(() => (j ? { date: dayStart(j.date), scrollTo: new Date(dayStart(j.date).getTime() + 8 * 3600_000) } : null), [j?.date]);
  const services = useMemo(() => [...new Map(cells.map((c) => [c.booking.serviceId, c.booking.serviceName])).entries()], [cells]);
  const money = useMemo(() => { const f = moneyFormat(locale, j?.currency); return (n: number) => f.format(n); }, [locale, j?.currency]);
  // real time: how far the app's clock is from the browser's, measured once per answer.
  const clock = useMemo(() => ({ skewMs: j ? Date.parse(j.now) - Date.now() : 0, undoMinutes: j?.cancelUndoMinutes ?? 0 }), [j]);
  const time = (d: Date) => d.toLocaleTimeString(locale, { hour: '2-digit', minute: '2-digit' });
  const column = (id: unknown) => j?.columns.find((c) => c.id === id);
  const names = (id: string) => column(id)?.name ?? '—';
  const shift = (step: -1 | 1) => {
    if (!day) return;
    const d = DateTime.fromISO(day);
    const by = { day: { days: 1 }, week: { weeks: 1 }, month: { months: 1 }, range: { days: filters.days }, sheet: { weeks: 2 } }[filters.view];
    go((step > 0 ? d.plus(by) : d.minus(by)).toISODate()!);
  };
  // A refusal is about the view it happened in: another view or day starts clean.
  const onFilters = (f: Partial<JournalFilters>) => { setError(null); if (f.view && !anchor && j) setAnchor(j.date); setFilters((x) => ({ ...x, ...f })); };
  const go = (d: string | undefined) => { setError(null); setAnchor(d); };

  const move = async ({ event, start, resourceId }: EventInteractionArgs<Cell>) => {
    const to = column(resourceId) ?? column(event.booking.resourceIds[0]);
    const when = new Date(start);
    if (!to || !window.confirm(t('move.confirm', { client: event.booking.client.name, when: time(when), column: to.name }))) return;
    setError(null);
    // Moving to another column swaps the one resource of that kind; the engine refuses what does not fit.
    const from = column(event.resourceId.find((r) => column(r)?.kind === to.kind));
    const resourceIds = from && from.id !== to.id ? event.booking.resourceIds.map((r) => (r === from.id ? to.id : r)) : undefined;
    try { await patch(`/bookings/${event.booking.id}`, { start: fromWall(when, zone), ...(resourceIds ? { resourceIds } : {}) }); } catch (e) { setError(e); }
    refresh();
  };
  // An edge dragged: a new length (and, by the top edge, a new start), after a confirmation; the engine refuses what does not fit.
  const resize = async ({ event, start, end }: EventInteractionArgs<Cell>) => {
    const [from, to] = [new Date(start), new Date(end)];
    const minutes = Math.round((to.getTime() - from.getTime()) / MINUTE);
    const moved = from.getTime() !== event.start.getTime();
    if (minutes <= 0 || (!moved && to.getTime() === event.end.getTime())) return;
    if (!window.confirm(t('resize.confirm', { client: event.booking.client.name, from: time(from), to: time(to) }))) return;
    setError(null);
    setResized({ id: event.booking.id, start: from, end: to });
    try { await patch(`/bookings/${event.booking.id}`, { durationMin: minutes, ...(moved ? { start: fromWall(from, zone) } : {}) }); } catch (e) { setError(e); }
    setResized(null);
    refresh();
  };
  const byResource = filters.view === 'day' || (filters.view === 'week' && Boolean(filters.resourceId));

  return (
    <OpenMenu.Provider value={setMenu}>
    <div className="page journal" style={{ ['--journal-columns' as string]: String(byResource ? columns.length : 7) }}>
      <div className="page-head">
        <h1>{t('page.journal')}</h1>
        <span className={`journal-live ${live ? 'on' : 'off'}`} role="status">{dt(live ? 'live.on' : 'live.off')}</span>
      </div>
      {j ? (
        <JournalToolbar date={day} filters={filters} columns={j.columns} departments={departments} onDate={go} onShift={shift}
          onToday={() => go(undefined)} onFilters={onFilters} />
      ) : null}
      {j ? <p className="muted small">{t('journal.zone', { zone })} · {DateTime.fromISO(j.date).setLocale(locale).toLocaleString(DateTime.DATE_HUGE)}</p> : null}
      {filters.colorBy === 'status' ? (
        <ul className="journal-legend" aria-label={t('journal.legend')}>
          {LEGEND.map((s) => <li key={s} className={`jb-status-${s}`}>{bt(`status.${s}`)}</li>)}
        </ul>
      ) : (
        <ul className="journal-legend" aria-label={dt('legend.services')}>
          {services.map(([id, name]) => <li key={id} style={{ background: serviceColor(id), color: '#fff' }}>{name}</li>)}
        </ul>
      )}
      <ErrorNote error={error ?? data.error} />
      {caller.data ? (
        <p className="notice row" role="status">{t('desk.forCaller', { name: caller.data.name })} <button type="button" className="link" onClick={() => setCallerId(null)}>{t('desk.forCallerDone')}</button></p>
      ) : null}
      {data.loading && !j ? <Loading /> : null}
      {j && !j.columns.length ? <p className="muted">{t('journal.noColumns')}</p> : null}
      {j && filters.view === 'day' ? <Occupancy equipment={columns.filter((c) => c.kind === 'equipment')} bookings={j.bookings} from={j.from} /> : null}
      {j && filters.view === 'sheet' ? <StaffSheet date={day} departmentId={filters.departmentId} departments={new Map(departments)} version={version} /> : null}
      {j && j.columns.length && filters.view !== 'sheet' ? (
        <div className="journal-scroll">
          <DnDCalendar
            localizer={localizer} culture={locale} toolbar={false} view={RBC_VIEW[filters.view]} views={['day', 'week', 'month', 'agenda']} onView={() => undefined}
            date={grid!.date} onNavigate={(d) => setAnchor(wallDate(d))} length={shown.days}
            events={cells} resources={byResource ? columns : undefined} resourceIdAccessor="id" resourceTitleAccessor="name"
            step={15} timeslots={4} min={grid!.date} scrollToTime={grid!.scrollTo}
            getNow={() => toWall(realNow(), zone)}
            selectable onSelectSlot={(slot: SlotInfo) => { const c = column(slot.resourceId) ?? columns.find((x) => x.kind === 'staff'); if (c) setDesk({ start: slot.start, column: c }); }}
            onSelectEvent={(e) => setOpen(e.booking.id)}
            onEventDrop={move} resizable resizableAccessor={(e) => RESIZABLE.includes(e.booking.status)} onEventResize={resize}
            eventPropGetter={(e) => (filters.colorBy === 'status' ? { className: `jb-status-${e.booking.status}` } : { style: { background: serviceColor(e.booking.serviceId), color: '#fff' } })}
            components={COMPONENTS}
          />
        </div>
      ) : null}
      {j ? (
        <div className="journal-panels">
          <TrashPanel from={j.from} to={j.to} zone={zone} locale={locale} version={version} onChanged={refresh} />
          <WaitlistPanel zone={zone} date={j.date} staff={j.columns.filter((c) => c.kind === 'staff')} version={version} onChanged={refresh} />
        </div>
      ) : null}
      {desk && j ? <DeskBookingDialog start={desk.start} zone={zone} column={desk.column} staff={j.columns.filter((c) => c.kind === 'staff')} caller={caller.data} onClose={() => setDesk(null)} onBooked={() => { setDesk(null); setCallerId(null); refresh(); }} /> : null}
      {menu ? <StatusMenu anchor={menu} onClose={closeMenu} onDone={refresh} onError={setError} /> : null}
      {open && j ? <BookingCard id={open} zone={zone} clock={clock} money={money} names={names} onClose={() => setOpen(null)} onChanged={refresh} /> : null}
    </div>
    </OpenMenu.Provider>
  );
}
