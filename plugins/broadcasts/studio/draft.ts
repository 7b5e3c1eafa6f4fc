import type { Locale } from 'bookflow/studio';

export const LANGS: Locale[] = ['ru', 'en', 'uk'];
export interface LinkButton { label: string; url: string }

/**
 * The campaign's text as the API takes it: the business's language alone is a plain text for everyone; with
 * translations, a text per language, English falling back to the business's (the API needs `en`), and the other
 * languages left empty fall back on the server to the business's.
 */
export function campaignText(texts: Partial<Record<Locale, string>>, main: Locale): string | Partial<Record<Locale, string>> & { en: string } {
  const written = Object.fromEntries(LANGS.map((l) => [l, texts[l]?.trim() ?? '']).filter(([, v]) => v)) as Partial<Record<Locale, string>>;
  const base = written[main] ?? '';
  if (Object.keys(written).every((l) => l === main)) return base;
  return { ...written, en: written.en ?? base };
}

/** Link buttons with both a label and an address; a row left half empty is not sent. */
export const linkButtons = (rows: LinkButton[]) => rows.map((r) => ({ label: r.label.trim(), url: r.url.trim() })).filter((r) => r.label && r.url);
