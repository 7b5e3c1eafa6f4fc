/** Digits after the point in a currency's minor unit (RUB 2, JPY 0), as Intl knows them. */
export function minorDigits(currency: string): number {
  return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
}

/** Minor units per point: 1 point is 1 major unit of the business's currency. */
export const minorPerPoint = (currency: string) => 10 ** minorDigits(currency);

export const toMinor = (major: number, currency: string) => Math.round(major * minorPerPoint(currency));
export const toMajor = (minor: number, currency: string) => minor / minorPerPoint(currency);

/** A percent of money as whole points, rounded down (a client is never credited a fraction). */
export const percentPoints = (minor: number, percent: number, currency: string) => Math.floor((minor * percent) / 100 / minorPerPoint(currency));

/** Minor units of an amount that has at most the currency's minor digits; null otherwise (12.345 ₽). */
export function exactMinor(major: number, currency: string): number | null {
  const minor = toMinor(major, currency);
  return Math.abs(minor / minorPerPoint(currency) - major) < 1e-9 && minor > 0 ? minor : null;
}
