import { DateTime } from 'luxon';
import type { BusinessProfile } from '../../../plugin-sdk.js';

/** Night for a business that set no quiet hours: a rating request is never worth waking anyone. */
export const DEFAULT_NIGHT = { from: '21:00', to: '10:00' };

const at = (day: DateTime, hhmm: string) => {
  const [hour, minute] = hhmm.split(':').map(Number);
  return day.set({ hour, minute, second: 0, millisecond: 0 });
};

/**
 * The first moment at or after `when` outside the business's quiet hours (its zone's wall clock, so a DST
 * change keeps the morning's hour): a visit completed late in the evening is asked about next morning.
 */
export function outsideQuietHours(when: Date, business: Pick<BusinessProfile, 'timezone' | 'quietHours'>): Date {
  const quiet = business.quietHours ?? DEFAULT_NIGHT;
  if (quiet.from === quiet.to) return when;
  const local = DateTime.fromJSDate(when, { zone: business.timezone });
  const day = local.startOf('day');
  const from = at(day, quiet.from);
  const to = at(day, quiet.to);
  if (from < to) return local >= from && local < to ? to.toJSDate() : when;
  if (local < to) return to.toJSDate();
  if (local >= from) return at(day.plus({ days: 1 }), quiet.to).toJSDate();
  return when;
}
