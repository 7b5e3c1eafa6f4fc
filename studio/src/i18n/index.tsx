import { createContext, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import type { Locale, LocalizedText } from '../types.js';
import { session } from '../api.js';
import { en, type Messages, type MsgKey } from './en.js';
import { ru } from './ru.js';
import { uk } from './uk.js';

const dictionaries: Record<Locale, Messages> = { en, ru, uk };
export const LOCALES: Locale[] = ['ru', 'en', 'uk'];
const KEY = 'bookflow.locale';

export interface I18n {
  locale: Locale;
  setLocale(l: Locale): void;
  /** Uses the signed-in user's language unless one was chosen on this device. */
  adoptLocale(l: Locale | null | undefined): void;
  t(key: MsgKey, vars?: Record<string, string | number>): string;
  /** A key built at run time (a status, a category); unknown keys give `fallback`. */
  tx(key: string, fallback: string): string;
  /** Picks the UI language from a server-side {en, ru, uk} text; plain strings pass through. */
  text(value: LocalizedText | string | undefined | null): string;
}

function initialLocale(): Locale {
  const saved = localStorage.getItem(KEY);
  if (saved === 'ru' || saved === 'en' || saved === 'uk') return saved;
  const nav = navigator.language.slice(0, 2);
  return nav === 'ru' || nav === 'uk' ? nav : 'en';
}

const Ctx = createContext<I18n | null>(null);

export function I18nProvider({ children }: { children: ReactNode }) {
  const [locale, setLocaleState] = useState<Locale>(initialLocale);
  // Set during render, not in an effect: children's effects (their first requests) run before ours.
  session.setLanguage(locale);
  const value = useMemo<I18n>(() => ({
    locale,
    setLocale(l) {
      localStorage.setItem(KEY, l);
      setLocaleState(l);
    },
    adoptLocale(l) {
      if (l && !localStorage.getItem(KEY)) setLocaleState(l);
    },
    tx(key, fallback) {
      return (dictionaries[locale] as Record<string, string>)[key] ?? (en as Record<string, string>)[key] ?? fallback;
    },
    t(key, vars) {
      const s: string = dictionaries[locale][key] ?? en[key] ?? key;
      return vars ? s.replace(/\{(\w+)\}/g, (m, k: string) => (k in vars ? String(vars[k]) : m)) : s;
    },
    text(v) {
      if (v === undefined || v === null) return '';
      if (typeof v === 'string') return v;
      return v[locale] ?? v.en;
    },
  }), [locale]);
  useEffect(() => { document.documentElement.lang = locale; }, [locale]);
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

export function useI18n(): I18n {
  const v = useContext(Ctx);
  if (!v) throw new Error('useI18n outside I18nProvider');
  return v;
}
