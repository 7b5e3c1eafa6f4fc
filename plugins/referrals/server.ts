import crypto from 'node:crypto';
import { Type, type Static } from '@sinclair/typebox';
import type { NodeRunInput, PluginContext, PluginServer, Tx } from '../../plugin-sdk.js';
import { claim, codeOf, friendDiscount, linkBot, links, onCompleted, onCompletionUndone, onCreated, onStatusChanged, type ReferralsConfig } from './lib/referrals.js';
import { REPORT_COLUMNS, referralReport, reportRows } from './lib/report.js';

const ContactParam = Type.Object({ contactId: Type.String({ format: 'uuid' }) });
const TenantParam = Type.Object({ tenant: Type.String({ minLength: 1, maxLength: 64 }) });
const ReportQuery = Type.Object({ format: Type.Optional(Type.Union([Type.Literal('json'), Type.Literal('csv'), Type.Literal('xlsx')])) }, { additionalProperties: false });
const ClaimBody = Type.Object({
  code: Type.String({ pattern: '^[a-z0-9]{4,32}$' }),
  name: Type.String({ minLength: 1, maxLength: 200 }),
  phone: Type.String({ minLength: 5, maxLength: 32 }),
}, { additionalProperties: false });
const PREFIX = 'ref_';

/** The chat's contact, made when the chat has none yet (an invited friend's first message). */
async function chatContact(ctx: PluginContext, input: NodeRunInput, trx: Tx) {
  if (input.client.contactId) return ctx.contacts.get(trx, input.tenantId, input.client.contactId);
  return input.conversation ? ctx.contacts.identify(trx, input.tenantId, { conversation: input.conversation, name: input.client.name }) : null;
}

const plugin: PluginServer = {
  routes(app, ctx) {
    app.get<{ Params: Static<typeof ContactParam> }>('/referrals/contacts/:contactId/link', { schema: { tags: ['referrals'], summary: 'A client\'s invite code and links (t.me and the web page)', params: ContactParam }, config: { roles: ['owner', 'admin', 'manager'] } }, async (request) => {
      const { tenantId } = request;
      return ctx.transaction(async (trx) => {
        if (!(await ctx.contacts.get(trx, tenantId, request.params.contactId))) throw ctx.error('BF_ERR_REFERRALS_CONTACT_NOT_FOUND', { id: request.params.contactId });
        const cfg = await ctx.config<ReferralsConfig>(tenantId, trx);
        return links(cfg, await codeOf(trx, tenantId, request.params.contactId), await linkBot(ctx, trx, tenantId, cfg));
      });
    });

    app.get<{ Querystring: Static<typeof ReportQuery> }>('/referrals/report', { schema: { tags: ['referrals'], summary: 'Who invited whom, converted, points paid, as JSON, CSV or XLSX', querystring: ReportQuery }, config: { roles: ['owner', 'admin'] } }, async (request, reply) => {
      const report = await referralReport(ctx, request.tenantId);
      const { format } = request.query;
      if (format !== 'csv' && format !== 'xlsx') return report;
      // Loyalty's file form, so both reports open alike in a spreadsheet.
      const file = await ctx.service('loyalty').sheet(format, 'referrals', REPORT_COLUMNS, reportRows(report));
      return reply.type(file.contentType).header('content-disposition', `attachment; filename="${file.filename}"`).send(file.body);
    });

    // The web link's landing: the widget sends the code with the friend's phone before the first booking.
    app.post<{ Params: Static<typeof TenantParam>; Body: Static<typeof ClaimBody> }>('/public/:tenant/referrals/claim', { schema: { tags: ['referrals'], summary: 'A friend arriving by a web invite link', params: TenantParam, body: ClaimBody }, config: { roles: 'public' } }, async (request, reply) => {
      const { tenantId } = request;
      const phone = await ctx.contacts.normalizePhone(tenantId, request.body.phone);
      if (!phone) throw ctx.error('BF_ERR_REFERRALS_PHONE_INVALID', { phone: request.body.phone });
      await ctx.transaction((trx) => claim(ctx, trx, tenantId, request.body.code, { contact: null, phone }));
      const { friendDiscountPercent } = await ctx.config<ReferralsConfig>(tenantId);
      return reply.status(201).send({ discountPercent: friendDiscountPercent });
    });
  },

  extensions: {
    'booking.price': (input, value, ctx, call) => friendDiscount(ctx, call.tenantId, input, value),
  },

  events: {
    'booking.created': onCreated,
    'booking.status-changed': (event, trx) => onStatusChanged(event, trx),
    'booking.completed': onCompleted,
    'booking.completion-undone': onCompletionUndone,
  },

  nodes: {
    'referrals.invite': async (input, ctx) => {
      const trx = input.db as Tx;
      const contact = await chatContact(ctx, input, trx);
      if (!contact) return { next: 'next' };
      const cfg = await ctx.config<ReferralsConfig>(input.tenantId, trx);
      const link = links(cfg, await codeOf(trx, input.tenantId, contact.id), await linkBot(ctx, trx, input.tenantId, cfg, input.conversation?.botId));
      const url = link.telegram ?? link.web;
      const text = ctx.t(input.locale, 'invite', { percent: cfg.friendDiscountPercent, points: cfg.referrerBonusPoints, link: url ?? link.code });
      // A share link is a URL button, which node replies cannot carry: the message goes through the outbox to this chat.
      if (!url || !input.conversation) return { messages: [{ text }], next: 'next' };
      const share = `https://t.me/share/url?url=${encodeURIComponent(url)}&text=${encodeURIComponent(ctx.t(input.locale, 'shareText', { percent: cfg.friendDiscountPercent }))}`;
      await ctx.messages.send(trx, {
        tenantId: input.tenantId, to: { conversation: input.conversation }, purpose: 'reply', idempotencyKey: `referrals:invite:${crypto.randomUUID()}`,
        message: { text, buttons: [[{ label: ctx.t(input.locale, 'share'), url: share }]] },
      });
      return { next: 'next' };
    },
    'referrals.accept': async (input, ctx) => {
      const payload = String(input.vars.startPayload ?? '');
      if (!payload.startsWith(PREFIX)) return { set: { referralAccepted: false }, next: 'next' };
      const trx = input.db as Tx;
      const contact = await chatContact(ctx, input, trx);
      try {
        await claim(ctx, trx, input.tenantId, payload.slice(PREFIX.length), { contact, phone: null });
      } catch (e) {
        if (!(e as { code?: string }).code?.startsWith('BF_ERR_REFERRALS_')) throw e;
        return { messages: [{ text: ctx.errorMessage(e, input.locale) }], set: { referralAccepted: false }, next: 'next' };
      }
      const { friendDiscountPercent } = await ctx.config<ReferralsConfig>(input.tenantId, trx);
      return { messages: [{ text: ctx.t(input.locale, 'welcome', { percent: friendDiscountPercent }) }], set: { referralAccepted: true }, next: 'next' };
    },
  },
};

export default plugin;
