import crypto from 'node:crypto';
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { PluginContext } from '../../../plugin-sdk.js';
import { mangoCommand, type MangoConfig } from '../lib/mango.js';

const STAFF = ['owner', 'admin', 'manager'] as const;
const Uuid = Type.String({ format: 'uuid' });
const CallsQuery = Type.Object({ contactId: Uuid, limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }) }, { additionalProperties: false });
const LiveQuery = Type.Object({ after: Type.Optional(Type.String({ format: 'date-time', description: 'calls that appeared after this time (the last one seen)' })) }, { additionalProperties: false });
const CallbackBody = Type.Object({ contactId: Uuid }, { additionalProperties: false });
const COLUMNS = ['id', 'direction', 'number', 'contact_id as contactId', 'state', 'started_at as startedAt', 'answered_at as answeredAt', 'answered_by as answeredBy', 'ended_at as endedAt', 'duration_sec as durationSec', 'result', 'recording_url as recordingUrl'] as const;
const LIVE_WINDOW_MS = 10 * 60_000;

export function callRoutes(app: FastifyInstance, ctx: PluginContext): void {
  app.get<{ Querystring: Static<typeof CallsQuery> }>('/telephony/calls', {
    schema: { tags: ['telephony'], summary: 'A client\'s call log, newest first', querystring: CallsQuery }, config: { roles: [...STAFF] },
  }, async (request) => ({
    items: await ctx.db.selectFrom('crm_telephony_calls').select(COLUMNS).where('tenant_id', '=', request.tenantId).where('contact_id', '=', request.query.contactId)
      .orderBy('started_at', 'desc').limit(request.query.limit).execute(),
  }));

  // What the admin's studio pops up: incoming calls ringing now, with the caller's marks and upcoming bookings.
  app.get<{ Querystring: Static<typeof LiveQuery> }>('/telephony/live', {
    schema: { tags: ['telephony'], summary: 'Incoming calls of the last minutes not yet ended, with the caller\'s card marks and upcoming bookings', querystring: LiveQuery }, config: { roles: ['owner', 'admin'] },
  }, async (request) => {
    const { tenantId } = request;
    const since = new Date(Math.max(ctx.now().getTime() - LIVE_WINDOW_MS, request.query.after ? new Date(request.query.after).getTime() : 0));
    const calls = await ctx.db.selectFrom('crm_telephony_calls').select(COLUMNS).where('tenant_id', '=', tenantId).where('direction', '=', 'in').where('ended_at', 'is', null)
      .where('started_at', '>', since).orderBy('started_at').limit(20).execute();
    const crm = ctx.service('crm');
    const booking = ctx.service('booking');
    const now = ctx.now();
    return {
      items: await Promise.all(calls.map(async (c) => {
        const contact = c.contactId ? await ctx.contacts.get(ctx.db, tenantId, c.contactId) : null;
        if (!contact) return { ...c, contact: null };
        const upcoming = (await booking.clientBookings(tenantId, contact.id, { from: now, to: new Date(now.getTime() + 90 * 86_400_000) })).filter((b) => ['pending', 'confirmed', 'held'].includes(b.status));
        return { ...c, contact: { id: contact.id, name: contact.name, marks: await crm.marks(tenantId, contact.id), upcoming } };
      })),
    };
  });

  app.post<{ Body: Static<typeof CallbackBody> }>('/telephony/callback', {
    schema: { tags: ['telephony'], summary: 'Click-to-call: Mango rings the caller\'s extension, then the client (commands/callback)', body: CallbackBody }, config: { roles: [...STAFF] },
  }, async (request) => {
    const { tenantId, auth } = request;
    const cfg = await ctx.config<MangoConfig>(tenantId);
    if (!cfg.apiKey || !cfg.apiSalt) throw ctx.error('BF_ERR_TELEPHONY_NOT_CONFIGURED');
    const extension = cfg.extensions.find((e) => e.userId === auth!.userId)?.extension;
    if (!extension) throw ctx.error('BF_ERR_TELEPHONY_NO_EXTENSION');
    const contact = await ctx.contacts.get(ctx.db, tenantId, request.body.contactId);
    const phone = contact?.identities.find((i) => i.kind === 'phone')?.value;
    if (!phone) throw ctx.error('BF_ERR_TELEPHONY_NO_NUMBER', { id: request.body.contactId, field: 'contactId' });
    const commandId = crypto.randomUUID();
    const answer = await mangoCommand(ctx, { apiKey: cfg.apiKey, apiSalt: cfg.apiSalt }, 'commands/callback', { command_id: commandId, from: { extension }, to_number: phone.replace(/^\+/, '') })
      .catch(() => ({ result: 0 }));
    if (answer.result !== 1000) throw ctx.error('BF_ERR_TELEPHONY_COMMAND_FAILED', { result: answer.result ?? 0 });
    await ctx.transaction((trx) => ctx.audit(trx, { tenantId, actorId: auth!.userId, entity: 'contact', entityId: request.body.contactId, action: 'callback', after: { commandId, extension } }));
    return { commandId, result: answer.result };
  });
}
