import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { PluginContext } from '../../../plugin-sdk.js';
import { findSlots, MISSING_BUSY_HEADER } from '../lib/availability.js';
import { bookingConfig } from '../lib/config.js';
import { parseRange } from '../lib/range.js';
import { slotView, SlotSchema } from './public.js';
import { DateTimeString, EVERYONE, Uuid } from './schemas.js';

const SlotsQuery = Type.Object({ serviceId: Uuid, from: Type.Optional(DateTimeString), to: Type.Optional(DateTimeString), resourceId: Type.Optional(Uuid) }, { additionalProperties: false });

/** The same slots as the public endpoint, for signed-in staff and without its rate limit. */
export function slotRoutes(app: FastifyInstance, ctx: PluginContext): void {
  app.get<{ Querystring: Static<typeof SlotsQuery> }>('/booking/slots', {
    schema: { tags: ['bookings'], querystring: SlotsQuery, response: { 200: Type.Object({ items: Type.Array(SlotSchema), busyTimesMissing: Type.Optional(Type.Array(Type.String())) }) } }, config: { roles: EVERYONE },
  }, async (request, reply) => {
    const { tenantId } = request;
    const q = request.query;
    const range = await parseRange(ctx, tenantId, q.from, q.to);
    const { slots, missing } = await findSlots(ctx, { tenantId, serviceId: q.serviceId, ...range, resourceIds: q.resourceId ? [q.resourceId] : undefined }, await bookingConfig(ctx, tenantId));
    if (missing.length) reply.header(MISSING_BUSY_HEADER, missing.join(', '));
    return { items: slots.map(slotView), ...(missing.length ? { busyTimesMissing: missing } : {}) };
  });
}
