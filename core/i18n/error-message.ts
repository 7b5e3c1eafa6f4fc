import type { i18n } from 'i18next';
import type { Locale } from '../../plugin-sdk.js';
import { errorOwner, type BookflowError } from '../errors.js';
import { translate } from './i18n.js';

/**
 * An error's message in a locale. English is the catalog's own template (already filled in);
 * ru and uk come from `errors.<CODE>` in the namespace of the code's owner (core or the plugin id),
 * filled from the same details. A missing translation falls back to English.
 */
export function errorMessage(texts: i18n, error: BookflowError, locale: Locale): string {
  if (locale === 'en') return error.message;
  const owner = errorOwner(error.code) ?? 'core';
  return translate(texts, locale, owner, `errors.${error.code}`, { ...error.details }, error.message);
}
