/** The cached local days are the days Luxon walks to, across DST changes (one at midnight, too) and in any order of asking. */
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { localDayList } from '../slots/working.js';

function luxonWalk(from: number, to: number, tz: string) {
  const out: Array<{ iso: string; weekday: number; start: number; nine: number; late: number }> = [];
  for (let d = DateTime.fromMillis(from, { zone: tz }).startOf('day'); d.toMillis() < to; d = d.plus({ days: 1 }).startOf('day')) {
    out.push({ iso: d.toISODate()!, weekday: d.weekday, start: d.toMillis(), nine: d.set({ hour: 9, minute: 0 }).toMillis(), late: d.set({ hour: 23, minute: 30 }).toMillis() });
  }
  return out;
}

describe('localDayList', () => {
  // New York and Berlin change at 02:00–03:00, Santiago at midnight, Lord Howe by half an hour; Moscow does not.
  for (const tz of ['America/New_York', 'Europe/Berlin', 'America/Santiago', 'Australia/Lord_Howe', 'Europe/Moscow']) {
    it(`matches Luxon's walk over a year in ${tz}`, () => {
      const from = Date.UTC(2026, 0, 1, 13);
      const to = Date.UTC(2027, 0, 3);
      // Asked twice, the second time from the cache, and once for a slice from the middle.
      for (const [a, b] of [[from, to], [from, to], [Date.UTC(2026, 8, 1), Date.UTC(2026, 9, 1)]]) {
        const days = localDayList(a, b, tz).map((d) => ({ iso: d.iso, weekday: d.weekday, start: d.start, nine: d.at(540), late: d.at(1410) }));
        expect(days).toEqual(luxonWalk(a, b, tz));
      }
    });
  }
});
