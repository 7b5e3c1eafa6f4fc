import { useI18n } from '../i18n/index.js';
import type { Locale } from '../types.js';

export type PluginMessages<K extends string = string> = Record<Locale, Record<K, string>>;

/** A plugin's own studio texts: every key of `en` must be in `ru` and `uk` too (the type checks it). */
export function defineMessages<const E extends Record<string, string>>(en: E, others: { ru: Record<keyof E, string>; uk: Record<keyof E, string> }): PluginMessages<keyof E & string> {
  return { en, ...others } as PluginMessages<keyof E & string>;
}

/** `t` over a plugin's texts in the studio's language (English when one is missing), `{name}` filled from vars. */
export function useMessages<K extends string>(messages: PluginMessages<K>): { t(key: K, vars?: Record<string, string | number>): string; tx(key: string, fallback: string): string } {
  const { locale } = useI18n();
  const dict = messages[locale] as Record<string, string>;
  const en = messages.en as Record<string, string>;
  return {
    t: (key, vars) => {
      const s = dict[key] ?? en[key] ?? key;
      return vars ? s.replace(/\{(\w+)\}/g, (m, k: string) => (k in vars ? String(vars[k]) : m)) : s;
    },
    tx: (key, fallback) => dict[key] ?? en[key] ?? fallback,
  };
}
