const made = new WeakMap<Intl.DateTimeFormatOptions, Map<string, Intl.DateTimeFormat>>();

/**
 * One Intl date formatter per options object (keep it a constant) and language: making one costs far more than
 * formatting with it, and the journal formats two times for each of its hundreds of blocks on every render.
 */
export function intlFormat(locale: string | undefined, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  let byLocale = made.get(options);
  if (!byLocale) made.set(options, (byLocale = new Map()));
  let f = byLocale.get(locale ?? '');
  if (!f) byLocale.set(locale ?? '', (f = new Intl.DateTimeFormat(locale, options)));
  return f;
}

const HOURS_MINUTES: Intl.DateTimeFormatOptions = { hour: '2-digit', minute: '2-digit' };

/** A wall Date's time as the journal shows it: 09:30. */
export const shortTime = (locale: string) => {
  const f = intlFormat(locale, HOURS_MINUTES);
  return (d: Date) => f.format(d);
};
