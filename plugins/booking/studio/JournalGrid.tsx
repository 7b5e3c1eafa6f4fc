import { createContext, memo, useCallback, useContext, useLayoutEffect, useRef, type ComponentProps, type ComponentType } from 'react';
import { Calendar, type CalendarProps, type SlotInfo, type View } from 'react-big-calendar';
import dndAddon, { type EventInteractionArgs } from 'react-big-calendar/lib/addons/dragAndDrop';
import { useI18n, useMessages, Zone } from 'bookflow/studio';
import { NEXT } from './BookingCard.js';
import { journalLocalizer } from './journalLocalizer.js';
import { journalMessages } from './journal-messages.js';
import type { JournalBookingView, JournalColumn } from './JournalPage.js';
import type { JournalFilters } from './JournalToolbar.js';
import { serviceColor } from './look.js';
import type { MenuAnchor } from './StatusMenu.js';
import { shortTime } from './intlFormat.js';
import { toWall } from './wallclock.js';

/** A booking on the grid, with its interval as wall Dates (wallclock.ts). */
export interface Cell { booking: JournalBookingView; start: Date; end: Date; resourceId: string[]; title: string }
export type GridView = Exclude<JournalFilters['view'], 'sheet'>;

// The addon ships as CommonJS only; the bundler hands its module object as the default, the function one level down.
const withDragAndDrop = typeof dndAddon === 'function' ? dndAddon : (dndAddon as unknown as { default: typeof dndAddon }).default;
// real time: the grid's now-line is the wall clock the desk looks at, shown on the business's clock
const realNow = () => new Date().toISOString();
// Only a booking that may still move changes its length; the server decides whether its service allows it.
const RESIZABLE = ['held', 'pending', 'confirmed'];
const resizable = (c: Cell) => RESIZABLE.includes(c.booking.status);
const RBC_VIEW: Record<GridView, View> = { day: 'day', week: 'week', month: 'month', range: 'agenda' };
const VIEWS: View[] = ['day', 'week', 'month', 'agenda'];
const ignore = () => undefined;
/** Opens a booking's status menu from its block on the grid: the block is rendered by the calendar, not by the page. */
const OpenMenu = createContext<(a: MenuAnchor) => void>(() => undefined);

/**
 * A booking on the grid: its interval, client and service. Memoised: the calendar renders every block again on
 * each of its renders, while a block changes only with its booking.
 */
const BookingEvent = memo(function BookingEvent({ event }: { event: Cell }) {
  const { locale } = useI18n();
  const { t } = useMessages(journalMessages);
  const time = shortTime(locale);
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
        {/* Whole strings: each JSX text piece would be a DOM node of its own, thousands of them in a week */}
        <b>{`${time(event.start)}–${time(event.end)}`}</b>{` ${event.booking.client.name}`}<br />{event.booking.serviceName}
        {/* Plugins' marks of the client (CRM's status, colour, lock, a missing contract) */}
        <Zone name="journal.cell" props={{ booking: { ...event.booking, clientId: event.booking.client.id } }} />
      </span>
    </>
  );
});

function ColumnHeader({ resource }: { resource: JournalColumn }) {
  const { t } = useMessages(journalMessages);
  return <span className="jb-col" data-column={resource.id}><small>{resource.kind === 'staff' ? resource.departmentName : t(`journal.kind.${resource.kind}`)}</small><br />{resource.name}</span>;
}

// One object for good: new component types on every render would remount every booking on the grid (each drag step).
const COMPONENTS = { event: BookingEvent, resourceHeader: ColumnHeader };

type Props = CalendarProps<Cell, JournalColumn>;
const sameEntries = (a: object, b: object) => {
  const [x, y] = [a as Record<string, unknown>, b as Record<string, unknown>];
  const keys = Object.keys(x);
  return keys.length === Object.keys(y).length && keys.every((k) => x[k] === y[k]);
};
/**
 * The calendar renders every column, slot and block again on each render of its own. The drag-and-drop addon renders
 * it when a drag starts (twice: the action, then the interaction), though only its context changed — the blocks and
 * columns that follow a drag read that context themselves. So the calendar renders only when its props did; the
 * addon hands its component set as a new object each time, equal entry by entry.
 */
const SteadyCalendar = memo(Calendar as ComponentType<Props>, (a, b) => {
  const keys = Object.keys(a) as Array<keyof Props>;
  return keys.length === Object.keys(b).length && keys.every((k) => a[k] === b[k] || (k === 'components' && a[k] && b[k] && sameEntries(a[k], b[k])));
});
/**
 * The addon's classes (its "is dragging" one comes and goes with a drag) go on a box around the calendar, where its
 * styles find them as well, so that they do not count as a change of the calendar's props.
 */
function DragClasses({ className, ...props }: Props) {
  return <div className={className}><SteadyCalendar {...props} /></div>;
}
const DnDCalendar = withDragAndDrop<Cell, JournalColumn>(DragClasses);

export interface JournalGridProps {
  view: GridView;
  days: number;
  /** the first day shown and the time the grid scrolls to, as wall Dates */
  date: Date;
  scrollTo: Date;
  cells: Cell[];
  /** the columns of a day by resource; none for days as columns */
  columns: JournalColumn[] | undefined;
  zone: string;
  colorBy: JournalFilters['colorBy'];
  onPickSlot(start: Date, resourceId: unknown): void;
  onOpen(bookingId: string): void;
  onMenu(anchor: MenuAnchor): void;
  onNavigate(date: Date): void;
  onMove(args: EventInteractionArgs<Cell>): void;
  onResize(args: EventInteractionArgs<Cell>): void;
}

/**
 * The journal's calendar. Every prop it hands the calendar keeps its identity while the data it stands for is the
 * same, so a render of the page (a menu opened, the live stream's state) does not lay out the grid again.
 */
export function JournalGrid({ view, days, date, scrollTo, cells, columns, zone, colorBy, ...handlers }: JournalGridProps) {
  const { locale } = useI18n();
  // The page's handlers change every render; the calendar gets stable ones that call the latest.
  const latest = useRef(handlers);
  useLayoutEffect(() => { latest.current = handlers; });
  const onSelectSlot = useCallback((slot: SlotInfo) => latest.current.onPickSlot(slot.start, slot.resourceId), []);
  const onSelectEvent = useCallback((c: Cell) => latest.current.onOpen(c.booking.id), []);
  const onNavigate = useCallback((d: Date) => latest.current.onNavigate(d), []);
  const onEventDrop = useCallback((a: EventInteractionArgs<Cell>) => latest.current.onMove(a), []);
  const onEventResize = useCallback((a: EventInteractionArgs<Cell>) => latest.current.onResize(a), []);
  const onMenu = useCallback((a: MenuAnchor) => latest.current.onMenu(a), []);
  const getNow = useCallback(() => toWall(realNow(), zone), [zone]);
  const eventPropGetter = useCallback((c: Cell) => (colorBy === 'status'
    ? { className: `jb-status-${c.booking.status}` }
    : { style: { background: serviceColor(c.booking.serviceId), color: '#fff' } }), [colorBy]);
  const props: ComponentProps<typeof DnDCalendar> = {
    localizer: journalLocalizer, culture: locale, toolbar: false, view: RBC_VIEW[view], views: VIEWS, onView: ignore,
    date, onNavigate, length: days, events: cells, resources: columns, resourceIdAccessor: 'id', resourceTitleAccessor: 'name',
    step: 15, timeslots: 4, min: date, scrollToTime: scrollTo, getNow, selectable: true, onSelectSlot, onSelectEvent,
    onEventDrop, resizable: true, resizableAccessor: resizable, onEventResize, eventPropGetter, components: COMPONENTS,
  };
  return <OpenMenu.Provider value={onMenu}><DnDCalendar {...props} /></OpenMenu.Provider>;
}
