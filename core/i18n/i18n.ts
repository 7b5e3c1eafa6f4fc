import fs from 'node:fs';
import path from 'node:path';
import i18next, { type i18n } from 'i18next';
import type { Locale } from '../../plugin-sdk.js';
import { render } from '../flow/template.js';

export const LOCALES: readonly Locale[] = ['ru', 'en', 'uk'];
export const DEFAULT_LOCALE: Locale = 'ru';

function readLocales(dir: string): Partial<Record<Locale, Record<string, unknown>>> {
  const out: Partial<Record<Locale, Record<string, unknown>>> = {};
  for (const locale of LOCALES) {
    const file = path.join(dir, `${locale}.json`);
    if (fs.existsSync(file)) out[locale] = JSON.parse(fs.readFileSync(file, 'utf8'));
  }
  return out;
}

/** One i18next instance; core texts in namespace "core", each plugin's in its own id. */
export async function createI18n(pluginLocaleDirs: Record<string, string>): Promise<i18n> {
  const instance = i18next.createInstance();
  await instance.init({
    lng: DEFAULT_LOCALE,
    fallbackLng: ['en'],
    supportedLngs: [...LOCALES],
    ns: ['core', ...Object.keys(pluginLocaleDirs)],
    defaultNS: 'core',
    fallbackNS: 'core',
    interpolation: { escapeValue: false },
    initAsync: false,
    resources: {},
  });
  const add = (ns: string, dir: string) => {
    for (const [locale, data] of Object.entries(readLocales(dir))) instance.addResourceBundle(locale, ns, data, true, true);
  };
  add('core', path.join(import.meta.dirname, 'locales'));
  for (const [ns, dir] of Object.entries(pluginLocaleDirs)) add(ns, dir);
  return instance;
}

const MISSING = '\u0000missing';

/**
 * A text of namespace `ns` (falling back to core's, then to en), its {{variables}} filled by the one renderer
 * (core/flow/template.ts, which flow texts use too); `fallback` when no locale has the key.
 */
export function translate(texts: i18n, locale: Locale, ns: string, key: string, vars: Record<string, unknown> = {}, fallback?: string): string {
  // i18next only finds the text: its own interpolation would be a second {{var}} grammar, and a `count`
  // variable would pick plural forms.
  const raw = texts.t(key, { lng: locale, ns, skipInterpolation: true, defaultValue: MISSING });
  if (raw === MISSING) return fallback ?? key;
  return render(raw, vars);
}

export function pickLocale(value: string | undefined | null): Locale {
  const short = (value ?? '').slice(0, 2).toLowerCase();
  return (LOCALES as readonly string[]).includes(short) ? (short as Locale) : DEFAULT_LOCALE;
}
