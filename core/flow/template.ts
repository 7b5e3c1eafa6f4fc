import type { Locale } from '../../plugin-sdk.js';

/** The value at a dotted path of the variables (`client.name`), or undefined. */
export function lookup(vars: Record<string, unknown>, path: string): unknown {
  let cur: unknown = vars;
  for (const part of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

const PLACEHOLDER = /\{\{\s*([A-Za-z_][A-Za-z0-9_.]*)\s*\}\}/g;

/** Fills {{variables}}; a missing one becomes an empty string. */
export function render(text: string, vars: Record<string, unknown>): string {
  return text.replace(PLACEHOLDER, (_, path: string) => {
    const v = lookup(vars, path);
    if (v === undefined || v === null) return '';
    return typeof v === 'object' ? JSON.stringify(v) : String(v);
  });
}

/** A string whose whole content is one placeholder yields the variable's own value (a number stays a number). */
export function evaluate(value: unknown, vars: Record<string, unknown>): unknown {
  if (typeof value !== 'string') return value;
  const whole = /^\{\{\s*([A-Za-z_][A-Za-z0-9_.]*)\s*\}\}$/.exec(value);
  return whole ? lookup(vars, whole[1]) : render(value, vars);
}

/** The text in the client's language, falling back to English. */
export function pick(text: unknown, locale: Locale): string {
  if (typeof text === 'string') return text;
  const t = (text ?? {}) as Partial<Record<Locale, string>>;
  return t[locale] || t.en || t.ru || t.uk || '';
}
