import type { Contact, DomainEvent, MessageButton, PluginContext, Tx } from '../../../plugin-sdk.js';
import { everyLanguage, reviewsConfig } from './config.js';
import { newLinkToken, rateLink } from './links.js';
import { outsideQuietHours } from './send-time.js';

export const requestJobKey = (bookingId: string) => `request:${bookingId}`;
export const reminderJobKey = (bookingId: string) => `remind:${bookingId}`;

interface Completed { bookingId: string; clientId: string; serviceId: string; start: string }

/** A client who said no to being written to beyond their bookings is not asked either. */
const optedOut = (c: Contact | null) => !c || c.consent.marketing === false;

/**
 * booking.completed: one request per visit (the unique booking key; a redelivered event finds it there),
 * sent `requestDelayMinutes` later and never inside the business's quiet hours.
 */
export async function scheduleRequest(event: DomainEvent<Completed>, trx: Tx, ctx: PluginContext): Promise<void> {
  const { tenantId, payload } = event;
  const booking = await ctx.service('booking').getBooking(tenantId, payload.bookingId);
  const contact = await ctx.contacts.get(trx, tenantId, payload.clientId);
  const cfg = await reviewsConfig(ctx, tenantId, trx);
  const business = await ctx.business(tenantId, trx);
  // The clock's now, not the event's stamp (the database's real time): a redelivery moments later moves it by moments.
  const due = outsideQuietHours(new Date(ctx.now().getTime() + cfg.requestDelayMinutes * 60_000), business);
  const skip = optedOut(contact) ? 'opted-out' : null;
  const { hash, sealed } = newLinkToken(ctx);
  const row = await trx.insertInto('reviews_requests').values({
    tenant_id: tenantId, booking_id: payload.bookingId, contact_id: contact?.id ?? payload.clientId, service_id: payload.serviceId,
    resource_ids: booking?.resourceIds ?? [], visit_start: new Date(payload.start), token_hash: hash, token_sealed: sealed, due_at: due,
    status: skip ? 'skipped' : 'scheduled', skip_reason: skip,
  }).onConflict((oc) => oc.columns(['tenant_id', 'booking_id']).doNothing()).returning('id').executeTakeFirst();
  if (row && !skip) await ctx.jobs.schedule(due, 'send-request', { requestId: row.id }, { tenantId, key: requestJobKey(payload.bookingId), trx });
}

export interface RequestRow {
  id: string; booking_id: string; contact_id: string; service_id: string; status: string; token_sealed: string; reminded_at: Date | null;
}

/** The five stars: buttons in a chat, links in an email, one link to the page in an SMS. */
async function ratingMessage(ctx: PluginContext, tenantId: string, req: RequestRow, contact: Contact, textKey: string) {
  const business = await ctx.business(tenantId);
  const services = await ctx.service('booking').names(tenantId, { serviceIds: [req.service_id] });
  const text = everyLanguage(ctx, textKey, { name: contact.name.split(/\s+/)[0], service: services.services[0]?.name ?? '', business: business.name });
  const reachable = (kind: string) => contact.identities.some((i) => i.kind === kind && !i.unreachable);
  const stars = [1, 2, 3, 4, 5];
  if (reachable('telegram')) {
    return { channels: ['telegram' as const], message: { text, buttons: [stars.map((rating): MessageButton => ({ label: `⭐${rating}`, action: 'reviews.rate', payload: { requestId: req.id, rating } }))] } };
  }
  const token = ctx.secrets.decrypt(req.token_sealed);
  if (!rateLink(ctx, business.slug, token)) return null;
  if (reachable('email')) {
    return { channels: ['email' as const], message: { text, buttons: [stars.map((rating): MessageButton => ({ label: `${rating} ★`, url: rateLink(ctx, business.slug, token, rating)! }))] } };
  }
  return { channels: ['phone' as const], message: { text, buttons: [[{ label: everyLanguage(ctx, 'rateLink'), url: rateLink(ctx, business.slug, token)! }]] } };
}

const lockRequest = (trx: Tx, tenantId: string, id: string) =>
  trx.selectFrom('reviews_requests').select(['id', 'booking_id', 'contact_id', 'service_id', 'status', 'token_sealed', 'reminded_at'])
    .where('tenant_id', '=', tenantId).where('id', '=', id).forUpdate().executeTakeFirst() as Promise<RequestRow | undefined>;

/** The request job (and, with `reminder`, the one reminder): checks again that the visit and the client still want it. */
export async function sendRequest(ctx: PluginContext, tenantId: string, requestId: string, reminder: boolean): Promise<void> {
  const booking = ctx.service('booking');
  await ctx.transaction(async (trx) => {
    const req = await lockRequest(trx, tenantId, requestId);
    if (!req || req.status !== (reminder ? 'sent' : 'scheduled') || (reminder && req.reminded_at)) return;
    const visit = await booking.getBooking(tenantId, req.booking_id);
    const contact = await ctx.contacts.get(trx, tenantId, req.contact_id);
    const skip = visit?.status !== 'completed' ? 'cancelled' : optedOut(contact) ? 'opted-out' : null;
    const content = skip ? null : await ratingMessage(ctx, tenantId, req, contact!, reminder ? 'reminder' : 'request');
    if (!content) {
      await trx.updateTable('reviews_requests').set({ status: 'skipped', skip_reason: skip ?? 'unreachable' }).where('tenant_id', '=', tenantId).where('id', '=', req.id).execute();
      return;
    }
    await ctx.messages.send(trx, {
      tenantId, to: { contactId: contact!.id }, purpose: 'transactional', channels: content.channels, message: content.message,
      idempotencyKey: `reviews:${reminder ? 'reminder' : 'request'}:${req.booking_id}`,
    });
    const now = ctx.now();
    await trx.updateTable('reviews_requests').set(reminder ? { reminded_at: now } : { status: 'sent', sent_at: now }).where('tenant_id', '=', tenantId).where('id', '=', req.id).execute();
    const { reminderAfterHours } = await reviewsConfig(ctx, tenantId, trx);
    if (!reminder && reminderAfterHours > 0) {
      const at = outsideQuietHours(new Date(now.getTime() + reminderAfterHours * 3600_000), await ctx.business(tenantId, trx));
      await ctx.jobs.schedule(at, 'remind', { requestId: req.id }, { tenantId, key: reminderJobKey(req.booking_id), trx });
    }
  });
}
