import { DateLocalizer, luxonLocalizer } from 'react-big-calendar';
import { DateTime } from 'luxon';
import { intlFormat } from './intlFormat.js';

const luxon = luxonLocalizer(DateTime, { firstDayOfWeek: 1 });
/** luxon's "t", a short local time: the grid asks for it twice per booking (the block's label). */
const LUXON_T = DateTime.TIME_SIMPLE;

/**
 * The journal's calendar localizer: luxon's formats (headers, the time gutter, labels), but the calendar's own
 * date arithmetic on the wall Dates it draws (see wallclock.ts) — luxon's builds two DateTimes for every comparison,
 * and laying out a day of 400 bookings in 50 columns makes tens of thousands of them. Both reckon in the browser's
 * zone, where wall Dates live, and start the week on Monday.
 */
export const journalLocalizer = new DateLocalizer({
  formats: luxon.formats,
  firstOfWeek: () => 1,
  format: (value, format, culture) => (format === 't' ? intlFormat(culture, LUXON_T).format(value as Date) : luxon.format(value, format, culture)),
});
