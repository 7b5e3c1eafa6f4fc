/** A service's colour in the journal, the same on every screen: a hue from its id. */
export function serviceColor(serviceId: string): string {
  let h = 0;
  for (const ch of serviceId) h = (h * 31 + ch.charCodeAt(0)) % 360;
  return `hsl(${h} 55% 42%)`;
}

/** Money in the business's currency, in the studio's language: 3 000 ₽. */
export const moneyFormat = (locale: string, currency: string | undefined) =>
  new Intl.NumberFormat(locale, currency ? { style: 'currency', currency, minimumFractionDigits: 0, maximumFractionDigits: 2 } : { maximumFractionDigits: 2 });
