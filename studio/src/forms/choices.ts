/** Lists for the time zone and currency pickers; no DOM here, so they are tested in node. */
import type { Locale } from '../types.js';

/** The zones salons of each studio language's market use, most common first. */
const MARKET_ZONES: Record<Locale, string[]> = {
  ru: ['Europe/Moscow', 'Europe/Kaliningrad', 'Europe/Samara', 'Asia/Yekaterinburg', 'Asia/Omsk', 'Asia/Novosibirsk', 'Asia/Krasnoyarsk', 'Asia/Irkutsk', 'Asia/Yakutsk', 'Asia/Vladivostok', 'Asia/Magadan', 'Asia/Kamchatka', 'Europe/Minsk', 'Asia/Almaty'],
  uk: ['Europe/Kyiv', 'Europe/Warsaw', 'Europe/Chisinau'],
  en: ['Europe/London', 'America/New_York', 'America/Chicago', 'America/Los_Angeles', 'Europe/Berlin'],
};

export interface ZoneGroup { region: string; zones: string[] }

/**
 * Every zone the browser knows, grouped by region ("Europe", "Asia"…) and filtered by `query`
 * (any part of the name, spaces for underscores); the market's common zones come first as their own group, once.
 */
export function timeZoneGroups(all: readonly string[], locale: Locale, query = ''): ZoneGroup[] {
  const q = query.trim().toLowerCase().replace(/\s+/g, '_');
  const known = new Set(all);
  const match = (z: string) => !q || z.toLowerCase().includes(q);
  const common = MARKET_ZONES[locale].filter((z) => known.has(z) && match(z));
  const groups = new Map<string, string[]>();
  for (const z of all) {
    if (!match(z) || common.includes(z)) continue;
    const region = z.includes('/') ? z.slice(0, z.indexOf('/')) : 'Other';
    groups.set(region, [...(groups.get(region) ?? []), z]);
  }
  const out = [...groups].sort(([a], [b]) => a.localeCompare(b)).map(([region, zones]) => ({ region, zones }));
  return common.length ? [{ region: 'common', zones: common }, ...out] : out;
}

/** Every zone of this browser; Europe/Kyiv is added where an older ICU still calls it Kiev. */
export function browserZones(): string[] {
  const all = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : ['UTC', 'Europe/Moscow', 'Europe/Kyiv', 'Europe/London'];
  return all.includes('Europe/Kyiv') ? all : [...all, 'Europe/Kyiv'].sort();
}

/** The currencies salons pay in, the market's first; names come from the browser in the UI language. */
const MARKET_CURRENCIES: Record<Locale, string[]> = { ru: ['RUB', 'BYN', 'KZT'], uk: ['UAH', 'PLN'], en: ['USD', 'EUR', 'GBP'] };
const CURRENCIES = ['RUB', 'UAH', 'BYN', 'KZT', 'USD', 'EUR', 'GBP', 'PLN', 'CZK', 'GEL', 'AMD', 'AZN', 'UZS', 'KGS', 'MDL', 'TRY', 'AED', 'ILS', 'CHF', 'CAD', 'AUD'];

export function currencyOptions(locale: Locale): Array<{ value: string; label: string }> {
  const names = new Intl.DisplayNames([locale], { type: 'currency' });
  const first = MARKET_CURRENCIES[locale];
  return [...first, ...CURRENCIES.filter((c) => !first.includes(c))].map((c) => ({ value: c, label: `${names.of(c) ?? c} (${c})` }));
}
