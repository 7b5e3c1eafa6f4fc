import type { BeforeCreateInput, ClientWarning, ClientWarningQuery } from '../../booking/contract.js';
import type { PluginContext, VetoReason } from '../../../plugin-sdk.js';
import { blockedUntil } from './account.js';
import { everyLanguage, formatDay } from './dates.js';

/** Online channels refuse a blocked client; the desk ('admin', 'phone') books anyway, warned (`deskWarnings`). */
const ONLINE = new Set(['chat', 'widget', 'api']);

/** The contact a booking request is for, as far as it is known before the booking is written. */
export async function requestContact(ctx: PluginContext, tenantId: string, client: BeforeCreateInput['client']): Promise<string | null> {
  if (client.id) return client.id;
  if (client.conversation) {
    const c = await ctx.contacts.resolve(ctx.db, tenantId, client.conversation);
    if (c) return c.id;
  }
  return client.phone ? (await ctx.contacts.findByPhone(ctx.db, tenantId, client.phone))?.id ?? null : null;
}

export async function blockVeto(input: BeforeCreateInput, ctx: PluginContext, tenantId: string): Promise<VetoReason | null> {
  if (!ONLINE.has(input.source)) return null;
  const contactId = await requestContact(ctx, tenantId, input.client);
  if (!contactId) return null;
  const until = await blockedUntil(ctx, ctx.db, tenantId, contactId);
  if (!until) return null;
  const [contact, business] = await Promise.all([ctx.contacts.get(ctx.db, tenantId, contactId), ctx.business(tenantId)]);
  return { code: 'BF_ERR_LOYALTY_BOOKING_BLOCKED', details: { until: formatDay(until, business.timezone, contact?.locale ?? business.locale), at: until.toISOString() } };
}

/** The desk's warning before it books a blocked client, with the day the block ends in each language. */
export async function deskWarnings(input: ClientWarningQuery, ctx: PluginContext, tenantId: string): Promise<ClientWarning[]> {
  const until = await blockedUntil(ctx, ctx.db, tenantId, input.clientId);
  if (!until) return [];
  const { timezone } = await ctx.business(tenantId);
  return [{ code: 'loyalty.blocked', text: everyLanguage((l) => ctx.t(l, 'deskBlocked', { until: formatDay(until, timezone, l) })), details: { at: until.toISOString() } }];
}
