import type { Money } from '../../../plugin-sdk.js';

const digits = new Map<string, number>();

/**
 * Digits after the point in a currency's minor unit (RUB 2, JPY 0, KWD 3), as Intl knows them; kept per currency,
 * as making the formatter costs more than a booking's own code (every price of a booking asks).
 */
export function minorDigits(currency: string): number {
  let n = digits.get(currency);
  if (n === undefined) digits.set(currency, (n = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2));
  return n;
}

/** Booking keeps prices in major units (numeric(12,2) columns, the API's numbers); other plugins see Money. */
export function toMoney(major: number, currency: string): Money {
  return { amount: Math.round(major * 10 ** minorDigits(currency)), currency };
}

export function fromMoney(money: Money): number {
  return money.amount / 10 ** minorDigits(money.currency);
}

/** A price a pipeline stage may hand on: whole minor units, not negative, in the currency it came in. */
export const isPrice = (currency: string) => (m: Money | null | undefined): boolean =>
  Number.isSafeInteger(m?.amount) && m!.amount >= 0 && m!.currency === currency;
