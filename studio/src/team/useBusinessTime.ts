import { useI18n } from '../i18n/index.js';
import { useApi } from '../query.js';

/** Formats instants on the business's clock (GET /tenant's zone), not the browser's. */
export function useBusinessTime(): (iso: string) => string {
  const { locale } = useI18n();
  const tenant = useApi<{ timezone: string }>('/tenant');
  const format = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', ...(tenant.data ? { timeZone: tenant.data.timezone } : {}) });
  return (iso) => format.format(new Date(iso));
}
