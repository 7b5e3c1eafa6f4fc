import type { FastifyRequest } from 'fastify';
import Negotiator from 'negotiator';
import type { Db, Locale } from '../../plugin-sdk.js';
import { DEFAULT_LOCALE, LOCALES } from '../i18n/i18n.js';

/**
 * The language to answer a request in: the best of ru/en/uk by the Accept-Language q-values,
 * else the business's locale when the request has one, else ru.
 */
export async function requestLocale(request: FastifyRequest, db: Db | undefined): Promise<Locale> {
  const negotiator = new Negotiator(request);
  const wanted = negotiator.language(LOCALES) as Locale | undefined;
  // Only a language the client names counts: `*` (Node's fetch and others send it by default) states no
  // preference, and the business's own language is the better guess then.
  const named = negotiator.languages().map((tag) => tag.toLowerCase().split('-')[0]);
  if (wanted && named.includes(wanted)) return wanted;
  if (!request.tenantId || !db) return DEFAULT_LOCALE;
  // The failure being answered may be the database itself: then the default will do.
  const tenant = await db.selectFrom('tenants').select('locale').where('id', '=', request.tenantId).executeTakeFirst().catch(() => undefined);
  return (tenant?.locale as Locale | undefined) ?? DEFAULT_LOCALE;
}
