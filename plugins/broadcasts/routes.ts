import { Type, type Static } from '@sinclair/typebox';
import type { PluginRoutes } from '../../plugin-sdk.js';
import { counts, createCampaign, transition, view, type Action, type CampaignRow } from './lib/campaigns.js';
import { sendTest } from './lib/test-message.js';

const ROLES = ['owner', 'admin', 'manager'] as const;
const tags = ['broadcasts'];
const Localized = Type.Object({ en: Type.String({ minLength: 1, maxLength: 4000 }), ru: Type.Optional(Type.String({ minLength: 1, maxLength: 4000 })), uk: Type.Optional(Type.String({ minLength: 1, maxLength: 4000 })) }, { additionalProperties: false });
const Label = Type.Union([Type.String({ minLength: 1, maxLength: 64 }), Type.Object({ en: Type.String({ minLength: 1, maxLength: 64 }), ru: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })), uk: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })) }, { additionalProperties: false })]);
const Button = Type.Union([
  Type.Object({ label: Label, url: Type.String({ format: 'uri', pattern: '^https?://', maxLength: 2000 }) }, { additionalProperties: false }),
  Type.Object({ label: Label, webApp: Type.String({ format: 'uri', pattern: '^https://', maxLength: 2000 }) }, { additionalProperties: false }),
  Type.Object({ label: Label, flow: Type.Object({ flowKey: Type.String({ minLength: 1, maxLength: 100 }), nodeId: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })), vars: Type.Optional(Type.Record(Type.String({ maxLength: 100 }), Type.Unknown())) }, { additionalProperties: false }) }, { additionalProperties: false }),
]);
const NewCampaign = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 200 }),
  segmentIds: Type.Array(Type.String({ pattern: '^(all|[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})$' }), { minItems: 1, maxItems: 20, uniqueItems: true }),
  message: Type.Object({
    text: Type.Union([Type.String({ minLength: 1, maxLength: 4000 }), Localized]),
    photoUrl: Type.Optional(Type.String({ format: 'uri', pattern: '^https://', maxLength: 2000 })),
    buttons: Type.Optional(Type.Array(Button, { maxItems: 6 })),
  }, { additionalProperties: false }),
  sendAt: Type.Optional(Type.String({ format: 'date-time' })),
  purpose: Type.Optional(Type.Union([Type.Literal('marketing'), Type.Literal('transactional')])),
}, { additionalProperties: false });
const IdParam = Type.Object({ id: Type.String({ format: 'uuid' }) });
const ActionParam = Type.Object({ id: Type.String({ format: 'uuid' }), action: Type.Union([Type.Literal('start'), Type.Literal('pause'), Type.Literal('resume'), Type.Literal('cancel')]) });

export const routes: PluginRoutes = (app, ctx) => {
  const config = { roles: ROLES };
  const row = async (tenantId: string, id: string) => {
    const c = await ctx.db.selectFrom('broadcasts_campaigns').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst() as CampaignRow | undefined;
    if (!c) throw ctx.error('BF_ERR_BROADCAST_NOT_FOUND', { id });
    return c;
  };
  const one = async (tenantId: string, id: string) => view(await row(tenantId, id), (await counts(ctx.db, tenantId, [id])).get(id));

  app.get('/broadcasts', { schema: { tags, summary: 'The business\'s campaigns, newest first, with their counts and results' }, config }, async (request) => {
    const rows = await ctx.db.selectFrom('broadcasts_campaigns').selectAll().where('tenant_id', '=', request.tenantId).orderBy('created_at', 'desc').limit(200).execute() as CampaignRow[];
    const n = await counts(ctx.db, request.tenantId, rows.map((r) => r.id));
    return { items: rows.map((r) => view(r, n.get(r.id))) };
  });

  app.post<{ Body: Static<typeof NewCampaign> }>('/broadcasts', { schema: { tags, summary: 'A draft campaign; POST …/:id/start sends it (at `sendAt` when given)', body: NewCampaign }, config }, async (request, reply) => {
    const { sendAt, ...c } = request.body;
    const id = await ctx.transaction((trx) => createCampaign(ctx, trx, request.tenantId, { ...c, ...(sendAt ? { sendAt: new Date(sendAt) } : {}) }, 'draft', request.auth!.userId));
    return reply.status(201).send({ id });
  });

  app.get<{ Params: Static<typeof IdParam> }>('/broadcasts/:id', { schema: { tags, summary: 'A campaign: status, counts {recipients, queued, sent, failed, blocked, unsubscribed, …} and results', params: IdParam }, config }, async (request) =>
    one(request.tenantId, request.params.id));

  app.post<{ Params: Static<typeof IdParam> }>('/broadcasts/:id/test', { schema: { tags, summary: 'Sends the campaign\'s message to the caller\'s own linked Telegram chat (notifications), in any status; 409 without one', params: IdParam }, config }, async (request, reply) =>
    reply.status(202).send(await sendTest(ctx, await row(request.tenantId, request.params.id), request.auth!.userId)));

  app.post<{ Params: Static<typeof ActionParam> }>('/broadcasts/:id/:action', { schema: { tags, summary: 'start, pause, resume or cancel a campaign', params: ActionParam }, config }, async (request) => {
    await transition(ctx, request.tenantId, request.params.id, request.params.action as Action, request.auth!.userId);
    return one(request.tenantId, request.params.id);
  });
};
