import type { Money } from '../../../plugin-sdk.js';

/** Digits after the point in a currency's minor unit (RUB 2, JPY 0), as Intl knows them. */
export function minorDigits(currency: string): number {
  return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
}

/** Money as gateways write it: a decimal string in major units ("990.00"). */
export const toDecimal = (m: Money): string => (m.amount / 10 ** minorDigits(m.currency)).toFixed(minorDigits(m.currency));

export function fromDecimal(value: string, currency: string): Money {
  return { amount: Math.round(Number(value) * 10 ** minorDigits(currency)), currency: currency.toUpperCase() };
}

export const money = (amount: number, currency: string): Money => ({ amount, currency });

/** For people: "1 234,50 ₽" in their language. */
export function formatMoney(m: Money, locale: string): string {
  return new Intl.NumberFormat(locale, { style: 'currency', currency: m.currency, minimumFractionDigits: 0, maximumFractionDigits: minorDigits(m.currency) }).format(m.amount / 10 ** minorDigits(m.currency));
}
