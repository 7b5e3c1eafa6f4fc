import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { computeSlots, type SlotInput } from '../slots/engine.js';
import { normalize, subtract, covers, overlapsAny } from '../slots/intervals.js';
import { serviceBlocked, workingTime } from '../slots/working.js';

const TZ = 'Europe/Moscow';
const at = (iso: string, zone = TZ) => DateTime.fromISO(iso, { zone }).toMillis();
const hhmm = (ms: number, zone = TZ) => DateTime.fromMillis(ms, { zone }).toFormat('HH:mm');
const DAY = '2030-03-04'; // a Monday
const allWeek = (startMin: number, endMin: number) => [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, startMin, endMin }));

function input(over: Partial<SlotInput> = {}): SlotInput {
  const from = at(`${DAY}T00:00`);
  const to = at(`${DAY}T23:59`);
  return {
    tz: TZ,
    service: { kind: 'regular', durationMin: 60, price: 1000, bufferBeforeMin: 0, bufferAfterMin: 0, needsStaff: true, capacity: 1 },
    staff: [{ resourceId: 'a' }, { resourceId: 'b' }],
    otherRequirements: [],
    working: new Map([['a', workingTime(allWeek(600, 720), [], TZ, from, to)], ['b', workingTime(allWeek(600, 720), [], TZ, from, to)]]),
    busy: new Map(),
    serviceBlocked: [],
    from, to, stepMin: 30, earliestStart: 0, latestStart: Number.MAX_SAFE_INTEGER,
    ...over,
  };
}

describe('intervals', () => {
  it('merge, subtract, cover and overlap', () => {
    expect(normalize([{ start: 5, end: 8 }, { start: 1, end: 3 }, { start: 3, end: 4 }])).toEqual([{ start: 1, end: 4 }, { start: 5, end: 8 }]);
    expect(subtract([{ start: 0, end: 10 }], [{ start: 2, end: 3 }, { start: 8, end: 12 }])).toEqual([{ start: 0, end: 2 }, { start: 3, end: 8 }]);
    expect(covers([{ start: 0, end: 10 }], 2, 10)).toBe(true);
    expect(covers([{ start: 0, end: 5 }, { start: 5, end: 10 }].slice(0, 1), 2, 6)).toBe(false);
    expect(overlapsAny([{ start: 0, end: 5 }], 5, 6)).toBe(false);
    expect(overlapsAny([{ start: 0, end: 5 }], 4, 6)).toBe(true);
  });
});

describe('slot engine', () => {
  it('offers every step where the service fits the working time', () => {
    const slots = computeSlots(input({ staff: [{ resourceId: 'a' }] }));
    expect(slots.map((s) => hhmm(s.start))).toEqual(['10:00', '10:30', '11:00']);
    expect(slots[0]).toMatchObject({ resourceIds: ['a'], kind: 'regular', price: 1000 });
  });

  it('keeps buffers free of other bookings and honours minimum notice', () => {
    const busy = new Map([['a', [{ start: at(`${DAY}T11:00`), end: at(`${DAY}T11:30`) }]]]);
    const base = input({ staff: [{ resourceId: 'a' }], busy, service: { ...input().service, bufferAfterMin: 15 } });
    expect(computeSlots(base).map((s) => hhmm(s.start))).toEqual([]);
    expect(computeSlots({ ...base, service: { ...base.service, bufferAfterMin: 0 } }).map((s) => hhmm(s.start))).toEqual(['10:00']);
    expect(computeSlots({ ...input({ staff: [{ resourceId: 'a' }] }), earliestStart: at(`${DAY}T10:10`) }).map((s) => hhmm(s.start))).toEqual(['10:30', '11:00']);
  });

  it('needs every resource: a room taken blocks both therapists', () => {
    const room = workingTime(allWeek(0, 1440), [], TZ, at(`${DAY}T00:00`), at(`${DAY}T23:59`));
    const slots = computeSlots(input({ otherRequirements: [['room']], working: new Map([...input().working, ['room', room]]), busy: new Map([['room', [{ start: at(`${DAY}T10:00`), end: at(`${DAY}T11:00`) }]]]) }));
    expect(slots.map((s) => hhmm(s.start))).toEqual(['11:00']);
    expect(slots[0].resourceIds).toContain('room');
  });

  it('"any specialist" picks the least loaded, then the one who waited longest', () => {
    const load = new Map([['a', new Map([[DAY, 120]])]]);
    expect(computeSlots(input({ load }))[0].resourceIds).toEqual(['b']);
    const lastAssigned = new Map([['a', 10], ['b', 20]]);
    expect(computeSlots(input({ lastAssigned }))[0].resourceIds).toEqual(['a']);
  });

  it('uses the per-staff price and duration of a competency', () => {
    const slots = computeSlots(input({ staff: [{ resourceId: 'a', price: 1500, durationMin: 90 }] }));
    expect(slots.map((s) => hhmm(s.start))).toEqual(['10:00', '10:30']);
    expect(slots[0].price).toBe(1500);
    expect(slots[0].end - slots[0].start).toBe(90 * 60_000);
  });

  it('service exceptions only block', () => {
    const blocked = serviceBlocked([{ weekday: 1, startMin: 600, endMin: 660 }], TZ, at(`${DAY}T00:00`), at(`${DAY}T23:59`));
    expect(computeSlots(input({ serviceBlocked: blocked, staff: [{ resourceId: 'a' }] })).map((s) => hhmm(s.start))).toEqual(['11:00']);
  });

  it('absences block and extra working periods add', () => {
    const from = at(`${DAY}T00:00`);
    const to = at(`${DAY}T23:59`);
    const w = workingTime(allWeek(600, 720), [{ kind: 'vacation', start: at(`${DAY}T00:00`), end: at(`${DAY}T11:00`) }, { kind: 'extra_work', start: at(`${DAY}T18:00`), end: at(`${DAY}T20:00`) }], TZ, from, to);
    expect(w.map((i) => `${hhmm(i.start)}-${hhmm(i.end)}`)).toEqual(['11:00-12:00', '18:00-20:00']);
  });

  it('offers open group sessions with their seats and new ones with full capacity', () => {
    const service = { ...input().service, kind: 'group' as const, capacity: 8 };
    const session = { start: at(`${DAY}T10:00`), end: at(`${DAY}T11:00`), resourceIds: ['a'], seatsLeft: 3, price: 1000 };
    const busy = new Map([['a', [{ start: session.start, end: session.end }]]]);
    const slots = computeSlots(input({ service, staff: [{ resourceId: 'a' }], busy, openSessions: [session] }));
    expect(slots.map((s) => [hhmm(s.start), s.seatsLeft])).toEqual([['10:00', 3], ['11:00', 8]]);
  });
});

describe('time zones and DST', () => {
  it('a weekly 10:00–12:00 stays 10:00 local on both sides of a DST change (Europe/Berlin)', () => {
    const tz = 'Europe/Berlin';
    // 2030-03-31 is the spring-forward Sunday in the EU; the Saturday before is UTC+1, the Monday after UTC+2.
    const from = at('2030-03-30T00:00', tz);
    const to = at('2030-04-02T00:00', tz);
    const w = workingTime(allWeek(600, 720), [], tz, from, to);
    expect(w.map((i) => DateTime.fromMillis(i.start, { zone: 'utc' }).toFormat('dd HH:mm'))).toEqual(['30 09:00', '31 08:00', '01 08:00']);
    expect(w.map((i) => hhmm(i.start, tz))).toEqual(['10:00', '10:00', '10:00']);
  });

  it('the night of the change: 02:30 does not exist in spring and is offered once, 02:30 exists twice in autumn', () => {
    const tz = 'Europe/Berlin';
    const spring = input({ tz, staff: [{ resourceId: 'a' }], from: at('2030-03-31T00:00', tz), to: at('2030-03-31T06:00', tz), working: new Map([['a', [{ start: at('2030-03-31T00:00', tz), end: at('2030-03-31T06:00', tz) }]]]) });
    const starts = computeSlots(spring).map((s) => hhmm(s.start, tz));
    expect(starts).toEqual(['00:00', '00:30', '01:00', '01:30', '03:00', '03:30', '04:00', '04:30', '05:00']);
    // Real durations: a 60-minute service from 01:30 ends at 03:30 wall-clock.
    const s130 = computeSlots(spring).find((s) => hhmm(s.start, tz) === '01:30')!;
    expect(hhmm(s130.end, tz)).toBe('03:30');

    const autumnWork = workingTime(allWeek(0, 360), [], tz, at('2030-10-27T00:00', tz), at('2030-10-27T06:00', tz));
    // 00:00–06:00 local on the autumn night lasts seven real hours.
    expect((autumnWork[0].end - autumnWork[0].start) / 3_600_000).toBe(7);
  });

  it('the repeated autumn hour is offered twice, as two UTC instants (Europe/Berlin, last Sunday of October)', () => {
    const tz = 'Europe/Berlin';
    const from = at('2026-10-25T00:00', tz);
    const to = at('2026-10-26T00:00', tz);
    const autumn = input({ tz, staff: [{ resourceId: 'a' }], from, to, stepMin: 60, working: new Map([['a', workingTime(allWeek(60, 240), [], tz, from, to)]]) });
    const slots = computeSlots(autumn);
    // 01:00–04:00 local lasts four real hours: 01:00, 02:00 CEST, 02:00 CET, 03:00.
    expect(slots.map((s) => new Date(s.start).toISOString())).toEqual(['2026-10-24T23:00:00.000Z', '2026-10-25T00:00:00.000Z', '2026-10-25T01:00:00.000Z', '2026-10-25T02:00:00.000Z']);
    expect(slots.map((s) => hhmm(s.start, tz))).toEqual(['01:00', '02:00', '02:00', '03:00']);
  });

  it('a business in another zone gets its own wall-clock grid (America/New_York)', () => {
    const tz = 'America/New_York';
    const from = at('2030-03-09T00:00', tz);
    const to = at('2030-03-11T00:00', tz);
    const w = workingTime(allWeek(540, 600), [], tz, from, to);
    // DST starts in the US on 2030-03-10: 09:00 EST = 14:00 UTC, 09:00 EDT = 13:00 UTC.
    expect(w.map((i) => DateTime.fromMillis(i.start, { zone: 'utc' }).toFormat('dd HH:mm'))).toEqual(['09 14:00', '10 13:00']);
  });
});
