import { DateTime } from 'luxon';
import type { Locale, LocalizedText } from '../../../plugin-sdk.js';

/** A day as the client reads it in their language and the business's zone ("14 декабря 2026 г."). */
export const formatDay = (at: Date, zone: string, locale: Locale) =>
  DateTime.fromJSDate(at, { zone }).setLocale(locale).toLocaleString(DateTime.DATE_FULL);

export const LOCALES: Locale[] = ['en', 'ru', 'uk'];

/** A text in every language, each filled with its own variables (dates read differently in each). */
export function everyLanguage(t: (locale: Locale) => string): LocalizedText {
  return { en: t('en'), ru: t('ru'), uk: t('uk') };
}
