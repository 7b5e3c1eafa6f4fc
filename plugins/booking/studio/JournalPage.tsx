import { useCallback, useMemo, useState } from 'react';
import type { EventInteractionArgs } from 'react-big-calendar/lib/addons/dragAndDrop';
import { DateTime } from 'luxon';
import { ErrorNote, get, lazyNamed, Loading, patch, query, useI18n, useLoad, useMessages } from 'bookflow/studio';
import { BookingCard } from './BookingCard.js';
import { DeskBookingDialog } from './DeskBookingDialog.js';
import { deskMessages } from './desk-messages.js';
import { shortTime } from './intlFormat.js';
import type { Cell } from './JournalGrid.js';
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
// The calendar's styles load with the page, before the journal's own that override them: in the grid's lazy chunk
// they would arrive later and win.
import 'react-big-calendar/lib/css/react-big-calendar.css';
import 'react-big-calendar/lib/addons/dragAndDrop/styles.css';
import './journal.css';

// The calendar library is a big part of the bundle, and only the journal draws it.
const JournalGrid = lazyNamed(() => import('./JournalGrid.js'), 'JournalGrid');

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

const LEGEND = ['pending', 'confirmed', 'arrived', 'completed', 'no_show', 'held'] as const;
const MINUTE = 60_000;

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
  const drawn = useMemo<Cell[]>(() => {
    const ids = new Set(columns.map((c) => c.id));
    return (j?.bookings ?? []).filter((b) => b.resourceIds.some((r) => ids.has(r))).map((b) => ({
      booking: b, start: toWall(b.start, zone), end: toWall(b.end, zone), resourceId: b.resourceIds, title: `${b.client.name} · ${b.serviceName}`,
    }));
  }, [j, zone, columns]);
  // Only the resized block is a new object: the others keep theirs and are not drawn again.
  const cells = useMemo(() => (resized ? drawn.map((c) => (c.booking.id === resized.id ? { ...c, start: resized.start, end: resized.end } : c)) : drawn), [drawn, resized]);
  const grid = useMemo(() => (j ? { date: dayStart(j.date), scrollTo: new Date(dayStart(j.date).getTime() + 8 * 3600_000) } : null), [j?.date]);
  const services = useMemo(() => [...new Map(cells.map((c) => [c.booking.serviceId, c.booking.serviceName])).entries()], [cells]);
  const money = useMemo(() => { const f = moneyFormat(locale, j?.currency); return (n: number) => f.format(n); }, [locale, j?.currency]);
  // real time: how far the app's clock is from the browser's, measured once per answer.
  const clock = useMemo(() => ({ skewMs: j ? Date.parse(j.now) - Date.now() : 0, undoMinutes: j?.cancelUndoMinutes ?? 0 }), [j]);
  const time = shortTime(locale);
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
  const pickSlot = (start: Date, resourceId: unknown) => {
    const c = column(resourceId) ?? columns.find((x) => x.kind === 'staff');
    if (c) setDesk({ start, column: c });
  };
  const byResource = filters.view === 'day' || (filters.view === 'week' && Boolean(filters.resourceId));

  return (
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
          <JournalGrid view={filters.view} days={shown.days} date={grid!.date} scrollTo={grid!.scrollTo} cells={cells}
            columns={byResource ? columns : undefined} zone={zone} colorBy={filters.colorBy} onPickSlot={pickSlot} onOpen={setOpen}
            onMenu={setMenu} onNavigate={(d) => setAnchor(wallDate(d))} onMove={move} onResize={resize} />
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
  );
}
