import { sql } from 'kysely';
import type { PluginContext } from '../../../plugin-sdk.js';
import { bookingQuery, OPEN_STATUSES, toViews, type BookingView } from './booking-view.js';

export type ExceptionKind = 'vacation' | 'sick_leave' | 'blocked' | 'extra_work';
export interface NewException {
  resourceId: string;
  kind: ExceptionKind;
  start: string;
  end: string;
  reason?: string;
}

export const exceptionView = (e: Record<string, any>) => ({ id: e.id, resourceId: e.resource_id, kind: e.kind, start: new Date(e.start).toISOString(), end: new Date(e.end).toISOString(), reason: e.reason, createdAt: e.created_at });

/**
 * Adds a resource's exception (the studio's schedules, a specialist in Telegram). Blocking a period never cancels
 * bookings: the answer lists those affected and an event lets the clients be offered other times.
 */
export async function addException(ctx: PluginContext, tenantId: string, b: NewException, actorId: string | null): Promise<{ exception: ReturnType<typeof exceptionView>; affectedBookings: BookingView[] }> {
  const start = new Date(b.start);
  const end = new Date(b.end);
  if (!(start < end)) throw ctx.error('BF_ERR_BOOKING_RANGE_INVALID', { from: b.start, to: b.end });
  return ctx.transaction(async (trx) => {
    const resource = await trx.selectFrom('booking_resources').select('id').where('tenant_id', '=', tenantId).where('id', '=', b.resourceId).where('deleted_at', 'is', null).executeTakeFirst();
    if (!resource) throw ctx.error('BF_ERR_BOOKING_RESOURCE_NOT_FOUND', { id: b.resourceId });
    const row = await trx.insertInto('booking_exceptions').values({ tenant_id: tenantId, resource_id: b.resourceId, kind: b.kind, period: sql`tstzrange(${start}, ${end})`, reason: b.reason ?? '', created_by: actorId })
      .returning(['id', 'resource_id', 'kind', 'reason', 'created_at', sql<Date>`lower(period)`.as('start'), sql<Date>`upper(period)`.as('end')]).executeTakeFirstOrThrow();
    const affected = b.kind === 'extra_work' ? [] : await toViews(ctx, trx, tenantId, await bookingQuery(trx, tenantId).where('b.status', 'in', OPEN_STATUSES)
      .where('b.start_at', '<', end).where('b.end_at', '>', start)
      .where((eb) => eb.exists(eb.selectFrom('booking_booking_resources as br').select('br.booking_id').whereRef('br.tenant_id', '=', 'b.tenant_id').whereRef('br.booking_id', '=', 'b.id').where('br.resource_id', '=', b.resourceId)))
      .orderBy('b.start_at').execute());
    const exception = exceptionView(row);
    await ctx.audit(trx, { tenantId, actorId, entity: 'booking_exception', entityId: row.id, action: 'create', after: exception });
    if (affected.length) {
      await ctx.events.emit(trx, tenantId, 'booking.period-blocked', { exceptionId: row.id, resourceId: b.resourceId, kind: b.kind, start: exception.start, end: exception.end, bookingIds: affected.map((a) => a.id), clientIds: [...new Set(affected.map((a) => a.client.id))] });
    }
    return { exception, affectedBookings: affected };
  });
}
