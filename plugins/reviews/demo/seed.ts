import type { PluginContext, Tx } from '../../../plugin-sdk.js';
import { authorOf } from '../lib/config.js';

const RATINGS = [5, 5, 4, 5, 3, 5, 4, 2, 5, 4, 5, 5];
const COMMENTS = ['Всё отлично, мастер — золото!', 'Очень уютно, приду ещё.', '', 'Сделали быстро и аккуратно.', 'Пришлось подождать 15 минут.', 'Лучший салон в районе!', '', 'Не понравилось, мастер опоздал.', 'Спасибо за заботу!', '', 'Рекомендую всем подругам.', 'Прекрасный массаж.'];

/**
 * The demo's reviews: its catalog comes from booking's demo seed in the same transaction, which the booking
 * service cannot read yet, so a job fills them in right after the demo business is committed.
 */
export async function seedDemo(ctx: PluginContext, trx: Tx, tenantId: string): Promise<void> {
  await ctx.jobs.now('seed-demo', {}, { tenantId, key: 'seed-demo', trx });
}

/** Reviews of earlier visits by the clients of the demo's bookings, most published (they agreed), one low one waiting. */
export async function seedDemoReviews(ctx: PluginContext, tenantId: string): Promise<void> {
  const now = ctx.now();
  const booking = ctx.service('booking');
  const bookings = await booking.bookings(tenantId, { from: new Date(now.getTime() - 30 * 86_400_000), to: new Date(now.getTime() + 30 * 86_400_000) });
  const { resources } = await booking.names(tenantId, { resourceIds: [...new Set(bookings.flatMap((b) => b.resourceIds))] });
  const staff = new Set(resources.filter((r) => r.kind === 'staff').map((r) => r.id));
  const contacts = new Map((await ctx.contacts.getMany(ctx.db, tenantId, [...new Set(bookings.map((b) => b.clientId))])).map((c) => [c.id, c.name]));
  await ctx.transaction(async (trx) => {
    if (await trx.selectFrom('reviews_reviews').select('id').where('tenant_id', '=', tenantId).executeTakeFirst()) return;
    const rows = everySpecialistFirst(bookings, staff).slice(0, RATINGS.length).map((b, i) => {
      const at = new Date(now.getTime() - (i * 5 + 2) * 86_400_000);
      const rating = RATINGS[i];
      return {
        tenant_id: tenantId, contact_id: b.clientId, service_id: b.serviceId, resource_ids: b.resourceIds, visit_start: at, rating, comment: COMMENTS[i],
        author: authorOf(contacts.get(b.clientId) ?? ''), publish_consent: rating >= 4, status: rating >= 4 ? 'published' : 'new', created_at: at, updated_at: at,
      };
    });
    if (rows.length) await trx.insertInto('reviews_reviews').values(rows).execute();
  });
}

/** Bookings of specialists not met yet first, so every specialist in the chat's picker has a rating to show. */
function everySpecialistFirst<T extends { resourceIds: string[] }>(bookings: T[], staff: Set<string>): T[] {
  const seen = new Set<string>();
  const [first, rest]: [T[], T[]] = [[], []];
  for (const b of bookings) {
    const specialists = b.resourceIds.filter((id) => staff.has(id));
    const fresh = specialists.some((id) => !seen.has(id));
    specialists.forEach((id) => seen.add(id));
    (fresh ? first : rest).push(b);
  }
  return [...first, ...rest];
}
