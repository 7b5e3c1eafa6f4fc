import type { Locale, MessageButton, MessageContent, PluginContext, Tx } from '../../../plugin-sdk.js';
import { authorOf, everyLanguage, reviewsConfig } from './config.js';
import { rateLink } from './links.js';
import { reminderJobKey } from './requests.js';

export type RatingSource = 'telegram' | 'link';

export interface RatingOutcome {
  reviewId: string;
  /** false when the request had been rated already: the first rating stands */
  created: boolean;
  low: boolean;
  /** what to tell the client */
  reply: MessageContent;
}

const taskKey = (bookingId: string) => `low-rating:${bookingId}`;

/**
 * A client's rating of a visit, in one transaction: the review, the `reviews.rated` event, and for a low one the
 * managers' alert and a "call the client" task (both keyed by the visit: a retry or a second tap makes no second);
 * for 4–5 the tip offer when prepayment is on. The request row is locked, so two taps at once rate once.
 */
export async function rate(ctx: PluginContext, trx: Tx, tenantId: string, requestId: string, rating: number, locale: Locale): Promise<RatingOutcome | null> {
  const req = await trx.selectFrom('reviews_requests').selectAll().where('tenant_id', '=', tenantId).where('id', '=', requestId).forUpdate().executeTakeFirst();
  if (!req) return null;
  const existing = await trx.selectFrom('reviews_reviews').select(['id', 'rating']).where('tenant_id', '=', tenantId).where('booking_id', '=', req.booking_id).executeTakeFirst();
  if (existing) return { reviewId: existing.id, created: false, low: false, reply: { text: ctx.t(locale, 'alreadyRated', { rating: existing.rating }) } };

  const cfg = await reviewsConfig(ctx, tenantId, trx);
  const contact = await ctx.contacts.get(trx, tenantId, req.contact_id);
  const now = ctx.now();
  const review = await trx.insertInto('reviews_reviews').values({
    tenant_id: tenantId, request_id: req.id, booking_id: req.booking_id, contact_id: contact?.id ?? req.contact_id, service_id: req.service_id,
    resource_ids: req.resource_ids, visit_start: req.visit_start, rating, author: authorOf(contact?.name ?? ''), created_at: now, updated_at: now,
  }).returning('id').executeTakeFirstOrThrow();
  await trx.updateTable('reviews_requests').set({ status: 'rated' }).where('tenant_id', '=', tenantId).where('id', '=', req.id).execute();
  await ctx.jobs.cancel({ tenantId, key: reminderJobKey(req.booking_id), trx });
  const low = rating <= cfg.alertBelow;
  await ctx.events.emit(trx, tenantId, 'reviews.rated', { reviewId: review.id, bookingId: req.booking_id, clientId: req.contact_id, rating, low });

  const business = await ctx.business(tenantId, trx);
  const commentLink = rateLink(ctx, business.slug, ctx.secrets.decrypt(req.token_sealed));
  const comment: MessageButton[] = commentLink ? [{ label: everyLanguage(ctx, 'addComment'), url: commentLink }] : [];
  if (low) {
    await alertManagers(ctx, trx, tenantId, { reviewId: review.id, bookingId: req.booking_id, contactId: req.contact_id, serviceId: req.service_id, resourceIds: req.resource_ids, visitStart: req.visit_start, rating, client: contact?.name ?? '' });
    return { reviewId: review.id, created: true, low, reply: { text: ctx.t(locale, 'sorry'), buttons: comment.length ? [comment] : undefined } };
  }
  if (rating >= 4 && cfg.offerTip) await (await ctx.optionalService('prepayment', tenantId, trx))?.offerTip(trx, tenantId, req.booking_id);
  const consent: MessageButton = { label: everyLanguage(ctx, 'allowPublish'), action: 'reviews.consent', payload: { reviewId: review.id } };
  return { reviewId: review.id, created: true, low, reply: { text: ctx.t(locale, 'thanks'), buttons: [[consent], ...(comment.length ? [comment] : [])] } };
}

interface LowRating {
  reviewId: string; bookingId: string; contactId: string; serviceId: string; resourceIds: string[]; visitStart: Date; rating: number; client: string;
}

/**
 * The managers hear at once through notifications' staff alerts (their linked Telegram and email, the topic
 * `review.low`) when that plugin is on; the task on the studio's Tasks page is opened either way.
 */
async function alertManagers(ctx: PluginContext, trx: Tx, tenantId: string, r: LowRating): Promise<void> {
  const names = await ctx.service('booking').names(tenantId, { serviceIds: [r.serviceId], resourceIds: r.resourceIds });
  const business = await ctx.business(tenantId, trx);
  const vars = {
    rating: r.rating, client: r.client, service: names.services[0]?.name ?? '',
    specialist: names.resources.filter((x) => x.kind === 'staff').map((x) => x.name).join(', ') || '—',
    visit: new Intl.DateTimeFormat(business.locale, { dateStyle: 'medium', timeStyle: 'short', timeZone: business.timezone }).format(r.visitStart),
  };
  const link = `/studio/contacts/${r.contactId}`;
  await ctx.tasks.create(trx, tenantId, {
    kind: 'call-client', key: taskKey(r.bookingId), title: everyLanguage(ctx, 'taskTitle', vars), body: everyLanguage(ctx, 'alert', vars),
    contactId: r.contactId, bookingId: r.bookingId, roles: ['owner', 'admin', 'manager'], data: { reviewId: r.reviewId, rating: r.rating },
  });
  const notifications = await ctx.optionalService('notifications', tenantId, trx);
  if (!notifications) {
    ctx.log.info({ tenantId, reviewId: r.reviewId }, 'low rating: notifications is off, the task alone tells the managers');
    return;
  }
  await notifications.alertStaff(trx, tenantId, {
    topic: 'review.low', key: `review-low:${r.bookingId}`, roles: ['owner', 'admin', 'manager'], text: everyLanguage(ctx, 'alert', vars), link,
  });
}
