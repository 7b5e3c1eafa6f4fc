import { DateTime } from 'luxon';
import { covers, overlapsAny, type Interval } from './intervals.js';
import { localDayList } from './working.js';

export type ServiceKind = 'regular' | 'group' | 'online';
/** Slot kinds: hot windows (discounted) are added by a later plugin. */
export type SlotKind = 'regular';

export interface EngineService {
  kind: ServiceKind;
  durationMin: number;
  price: number;
  bufferBeforeMin: number;
  bufferAfterMin: number;
  needsStaff: boolean;
  /** seats of a group session */
  capacity: number;
}

/** A qualified specialist, with the per-staff price and duration of the competency. */
export interface StaffOption {
  resourceId: string;
  price?: number | null;
  durationMin?: number | null;
}

/** An existing group session of this service that still has seats. */
export interface OpenSession {
  start: number;
  end: number;
  resourceIds: string[];
  seatsLeft: number;
  price: number;
}

export interface SlotInput {
  tz: string;
  service: EngineService;
  /** qualified staff to choose among (one when the client picked a specialist) */
  staff: StaffOption[];
  /** rooms/equipment: the service needs one resource from each group */
  otherRequirements: string[][];
  /** working time per resource over the range, normalized */
  working: Map<string, Interval[]>;
  /** busy time per resource (bookings with their buffers, live holds, external calendars), normalized */
  busy: Map<string, Interval[]>;
  /** periods the service itself is closed, normalized */
  serviceBlocked: Interval[];
  openSessions?: OpenSession[];
  from: number;
  to: number;
  stepMin: number;
  /** now + minimum notice */
  earliestStart: number;
  /** now + booking horizon */
  latestStart: number;
  /** booked minutes per staff per local date (yyyy-mm-dd) */
  load?: Map<string, Map<string, number>>;
  /** when each staff last got a booking (epoch ms): round-robin among equally loaded staff */
  lastAssigned?: Map<string, number>;
}

export interface Slot {
  start: number;
  end: number;
  resourceIds: string[];
  kind: SlotKind;
  price: number;
  /** group sessions only */
  seatsLeft?: number;
}

const MINUTE = 60_000;

function isFree(input: SlotInput, resourceId: string, start: number, end: number, busyStart: number, busyEnd: number): boolean {
  return covers(input.working.get(resourceId) ?? [], start, end) && !overlapsAny(input.busy.get(resourceId) ?? [], busyStart, busyEnd);
}

/** One free resource per room/equipment group, or undefined when a group has none free. */
function pickOthers(input: SlotInput, start: number, end: number, busyStart: number, busyEnd: number): string[] | undefined {
  const picked: string[] = [];
  for (const group of input.otherRequirements) {
    const r = group.find((id) => isFree(input, id, start, end, busyStart, busyEnd));
    if (!r) return undefined;
    picked.push(r);
  }
  return picked;
}

/** Least booked minutes that day first, then the one who waited longest for a booking, then a stable order. */
function rankStaff(input: SlotInput, day: string) {
  return (a: StaffOption, b: StaffOption) => {
    const la = input.load?.get(a.resourceId)?.get(day) ?? 0;
    const lb = input.load?.get(b.resourceId)?.get(day) ?? 0;
    if (la !== lb) return la - lb;
    const ra = input.lastAssigned?.get(a.resourceId) ?? 0;
    const rb = input.lastAssigned?.get(b.resourceId) ?? 0;
    if (ra !== rb) return ra - rb;
    return a.resourceId < b.resourceId ? -1 : a.resourceId > b.resourceId ? 1 : 0;
  };
}

/** The other instant of a wall-clock time the autumn change repeats (`shift` = ± how much longer the day is), if it is one. */
function repeatedInstant(first: number, shift: number, minutes: number, iso: string, tz: string): number | undefined {
  const again = DateTime.fromMillis(first + shift, { zone: tz });
  return again.hour * 60 + again.minute === minutes && again.toISODate() === iso ? first + shift : undefined;
}

/** The candidate starts of each step on the local wall-clock grid of every day in range, both instances of a repeated hour. */
function candidateStarts(input: SlotInput): Array<{ start: number; day: string }> {
  const out: Array<{ start: number; day: string }> = [];
  const seen = new Set<number>();
  for (const { iso, at, start: midnight } of localDayList(input.from, input.to, input.tz)) {
    const extra = at(1440) - midnight - 86_400_000;
    for (let m = 0; m < 1440; m += input.stepMin) {
      const first = at(m);
      // Whichever instance Luxon gives for a repeated time, the other one is `extra` away.
      const starts = extra > 0 ? [first, repeatedInstant(first, extra, m, iso, input.tz), repeatedInstant(first, -extra, m, iso, input.tz)] : [first];
      for (const start of starts) {
        // A nonexistent DST wall time maps onto the next real one; offer it once.
        if (start === undefined || seen.has(start) || start < input.from || start >= input.to || start < input.earliestStart || start > input.latestStart) continue;
        seen.add(start);
        out.push({ start, day: iso });
      }
    }
  }
  return out.sort((a, b) => a.start - b.start);
}

/**
 * Every start in [from, to) where all needed resources are free for the service, its buffers
 * included, on the step grid. Pure: all data comes in the input.
 */
export function computeSlots(input: SlotInput): Slot[] {
  const { service } = input;
  const slots: Slot[] = [];
  const sessionsByStart = new Map((input.openSessions ?? []).map((s) => [s.start, s]));
  const before = service.bufferBeforeMin * MINUTE;
  const after = service.bufferAfterMin * MINUTE;
  if (!service.needsStaff && input.otherRequirements.length === 0) return [];
  const staffByDay = new Map<string, StaffOption[]>();
  for (const { start, day } of candidateStarts(input)) {
    const session = sessionsByStart.get(start);
    if (session) {
      if (session.seatsLeft > 0) slots.push({ start, end: session.end, resourceIds: session.resourceIds, kind: 'regular', price: session.price, seatsLeft: session.seatsLeft });
      continue;
    }
    let ranked = staffByDay.get(day);
    if (!ranked) staffByDay.set(day, (ranked = [...input.staff].sort(rankStaff(input, day))));
    const staffOrder = service.needsStaff ? ranked : [undefined];
    for (const staff of staffOrder) {
      const end = start + (staff?.durationMin ?? service.durationMin) * MINUTE;
      if (overlapsAny(input.serviceBlocked, start, end)) continue;
      if (staff && !isFree(input, staff.resourceId, start, end, start - before, end + after)) continue;
      const others = pickOthers(input, start, end, start - before, end + after);
      if (!others) continue;
      slots.push({
        start, end,
        resourceIds: staff ? [staff.resourceId, ...others] : others,
        kind: 'regular',
        price: staff?.price ?? service.price,
        ...(service.kind === 'group' ? { seatsLeft: service.capacity } : {}),
      });
      break;
    }
  }
  return slots;
}

/** Local date (yyyy-mm-dd) of an instant in a zone. */
export function localDate(ms: number, tz: string): string {
  return DateTime.fromMillis(ms, { zone: tz }).toISODate()!;
}
