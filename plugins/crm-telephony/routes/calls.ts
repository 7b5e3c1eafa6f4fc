import crypto from 'node:crypto';
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { ServerResponse } from 'node:http';
import type { PluginContext } from '../../../plugin-sdk.js';
import { mangoCommand, type MangoConfig } from '../lib/mango.js';
import { ringingCalls } from '../lib/live.js';
import { streamCalls } from '../lib/call-stream.js';

const STAFF = ['owner', 'admin', 'manager'] as const;
const Uuid = Type.String({ format: 'uuid' });
const CallsQuery = Type.Object({ contactId: Uuid, limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }) }, { additionalProperties: false });
const LiveQuery = Type.Object({ after: Type.Optional(Type.String({ format: 'date-time', description: 'calls that appeared after this time (the last one seen)' })) }, { additionalProperties: false });
const CallbackBody = Type.Object({ contactId: Uuid }, { additionalProperties: false });
const COLUMNS = ['id', 'direction', 'number', 'contact_id as contactId', 'state', 'started_at as startedAt', 'answered_at as answeredAt', 'answered_by as answeredBy', 'ended_at as endedAt', 'duration_sec as durationSec', 'result', 'recording_url as recordingUrl'] as const;

export function callRoutes(app: FastifyInstance, ctx: PluginContext): void {
  const streams = new Set<ServerResponse>();
  app.addHook('preClose', async () => { for (const s of streams) s.end(); });

  app.get<{ Querystring: Static<typeof CallsQuery> }>('/telephony/calls', {
    schema: { tags: ['telephony'], summary: 'A client\'s call log, newest first', querystring: CallsQuery }, config: { roles: [...STAFF] },
  }, async (request) => ({
    items: await ctx.db.selectFrom('crm_telephony_calls').select(COLUMNS).where('tenant_id', '=', request.tenantId).where('contact_id', '=', request.query.contactId)
      .orderBy('started_at', 'desc').limit(request.query.limit).execute(),
  }));

  // What the admin's studio pops up: incoming calls ringing now. Asked as a stream, the list is pushed again whenever a
  // call of the business appears, is answered or ends (on any instance), so the popup needs no polling.
  app.get<{ Querystring: Static<typeof LiveQuery> }>('/telephony/live', {
    schema: { tags: ['telephony'], summary: 'Incoming calls of the last minutes not yet ended, with the caller\'s card marks and upcoming bookings; with Accept: text/event-stream, server-sent `calls` events of that list as it changes', querystring: LiveQuery },
    config: { roles: ['owner', 'admin'] },
  }, async (request, reply) => {
    const { tenantId } = request;
    const after = request.query.after ? new Date(request.query.after) : undefined;
    if (!String(request.headers.accept ?? '').includes('text/event-stream')) return { items: await ringingCalls(ctx, tenantId, after) };
    reply.hijack();
    streamCalls(ctx, tenantId, reply.raw, streams);
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
