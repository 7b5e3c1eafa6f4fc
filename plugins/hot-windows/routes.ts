import { Type, type Static } from '@sinclair/typebox';
import { DateTime } from 'luxon';
import type { PluginRoutes } from '../../plugin-sdk.js';
import { SLOT_COLORS } from './lib/config.js';
import { createWindow } from './lib/create.js';
import { calendar } from './lib/slots.js';
import { toWindow } from './lib/windows.js';
import { liveWindows } from './lib/live-windows.js';
import { proposals } from './lib/proposals.js';

const ROLES = ['owner', 'admin', 'manager'] as const;
const tags = ['hot-windows'];
const Uuid = Type.String({ format: 'uuid' });
const Hhmm = Type.String({ pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$|^24:00$' });
const NewWindow = Type.Object({
  resourceIds: Type.Array(Uuid, { minItems: 1, maxItems: 50, uniqueItems: true }),
  serviceIds: Type.Array(Uuid, { minItems: 1, maxItems: 50, uniqueItems: true }),
  dateFrom: Type.String({ format: 'date' }),
  dateTo: Type.String({ format: 'date' }),
  from: Hhmm,
  to: Hhmm,
  discountPercent: Type.Optional(Type.Integer({ minimum: 1, maximum: 90 })),
  prepaymentAmount: Type.Optional(Type.Number({ minimum: 0, maximum: 1_000_000 })),
  segmentIds: Type.Optional(Type.Array(Type.String({ pattern: '^(all|[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})$' }), { maxItems: 20, uniqueItems: true })),
}, { additionalProperties: false });
const IdParam = Type.Object({ id: Uuid });
const CalendarQuery = Type.Object({ serviceId: Uuid, days: Type.Optional(Type.Integer({ minimum: 1, maximum: 31, default: 14 })) }, { additionalProperties: false });
const ProposalQuery = Type.Object({ serviceId: Uuid, days: Type.Optional(Type.Integer({ minimum: 1, maximum: 14, default: 3 })), minFreeHours: Type.Optional(Type.Number({ minimum: 0.5, maximum: 24, default: 2 })) }, { additionalProperties: false });

export const routes: PluginRoutes = (app, ctx) => {
  const config = { roles: ROLES };

  app.get('/hot-windows', { schema: { tags, summary: 'Hot windows not cancelled, newest first; `expired` once their last hour has begun' }, config }, async (request) => {
    const { timezone } = await ctx.business(request.tenantId);
    const rows = await ctx.db.selectFrom('hot_windows_windows').selectAll().where('tenant_id', '=', request.tenantId).where('cancelled_at', 'is', null).orderBy('created_at', 'desc').limit(200).execute();
    return {
      items: rows.map(toWindow).map((w) => ({ ...w, expired: DateTime.fromISO(w.dateTo, { zone: timezone }).plus({ minutes: w.toMin }).toMillis() <= ctx.now().getTime() })),
    };
  });

  app.post<{ Body: Static<typeof NewWindow> }>('/hot-windows', { schema: { tags, summary: 'Mark free time hot (discount via booking.price, a fixed prepayment); `segmentIds` announces it through broadcasts', body: NewWindow }, config }, async (request, reply) =>
    reply.status(201).send(await createWindow(ctx, request.tenantId, request.body, request.auth!.userId)));

  app.delete<{ Params: Static<typeof IdParam> }>('/hot-windows/:id', { schema: { tags, params: IdParam }, config }, async (request, reply) => {
    await ctx.transaction(async (trx) => {
      const before = await trx.updateTable('hot_windows_windows').set({ cancelled_at: ctx.now() }).where('tenant_id', '=', request.tenantId).where('id', '=', request.params.id).where('cancelled_at', 'is', null).returningAll().executeTakeFirst();
      if (!before) throw ctx.error('BF_ERR_HOT_WINDOW_NOT_FOUND', { id: request.params.id });
      await ctx.audit(trx, { tenantId: request.tenantId, actorId: request.auth!.userId, entity: 'hot_window', entityId: request.params.id, action: 'cancel', before });
      await liveWindows(ctx).changed(trx, request.tenantId);
    });
    liveWindows(ctx).forget(request.tenantId);
    return reply.status(204).send();
  });

  app.get<{ Querystring: Static<typeof CalendarQuery> }>('/hot-windows/calendar', { schema: { tags, summary: 'Free slots of a service from now, colored: regular green, hot orange (discounted price), online blue; with the legend', querystring: CalendarQuery }, config }, async (request) => {
    const from = ctx.now();
    const to = new Date(from.getTime() + (request.query.days ?? 14) * 86_400_000);
    return { legend: SLOT_COLORS, slots: await calendar(ctx, request.tenantId, request.query.serviceId, from, to) };
  });

  app.get<{ Querystring: Static<typeof ProposalQuery> }>('/hot-windows/proposals', { schema: { tags, summary: 'Gaps a service has left in the coming days that could be made hot: per specialist and day, the free span', querystring: ProposalQuery }, config }, async (request) =>
    ({ items: await proposals(ctx, request.tenantId, request.query.serviceId, request.query.days ?? 3, request.query.minFreeHours ?? 2) }));
};
