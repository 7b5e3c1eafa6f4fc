import { get, useI18n, useLoad } from 'bookflow/studio';
import { moneyFormat } from './look.js';

/** Formats amounts in the business's currency (GET /tenant), plain numbers until it is known. */
export function useMoney(): (amount: number) => string {
  const { locale } = useI18n();
  const tenant = useLoad(() => get<{ currency: string }>('/tenant'), []);
  const f = moneyFormat(locale, tenant.data?.currency);
  return (amount) => f.format(amount);
}
