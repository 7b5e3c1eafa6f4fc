import crypto from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { ServerResponse } from 'node:http';
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Db } from '../../../plugin-sdk.js';
import { createError } from '../../errors.js';
import { pickLocale } from '../../i18n/i18n.js';
import type { FlowEngine } from '../../flow/engine.js';
import type { ChatMessage, TurnEvent, TurnOutput } from '../../flow/session.js';

const Locale = Type.Union([Type.Literal('ru'), Type.Literal('en'), Type.Literal('uk')]);
const NewSession = Type.Object({ flowId: Type.String({ format: 'uuid' }), draft: Type.Optional(Type.Boolean({ default: true })), locale: Type.Optional(Locale), name: Type.Optional(Type.String({ maxLength: 200 })) }, { additionalProperties: false });
const NewPublicSession = Type.Object({ flowKey: Type.Optional(Type.String({ pattern: '^[a-z0-9][a-z0-9-]{0,62}$' })), locale: Type.Optional(Locale), name: Type.Optional(Type.String({ maxLength: 200 })) }, { additionalProperties: false });
const SessionParam = Type.Object({ id: Type.String({ format: 'uuid' }) });
const PublicSessionParam = Type.Object({ tenant: Type.String(), id: Type.String({ format: 'uuid' }) });
const TenantParam = Type.Object({ tenant: Type.String() });
const MessageBody = Type.Object({
  text: Type.Optional(Type.String({ maxLength: 4096 })),
  callback: Type.Optional(Type.String({ maxLength: 64 })),
  contact: Type.Optional(Type.Object({ phone: Type.String({ minLength: 3, maxLength: 32 }), name: Type.Optional(Type.String({ maxLength: 200 })) }, { additionalProperties: false })),
}, { additionalProperties: false });
const EventsQuery = Type.Object({ after: Type.Optional(Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER, description: 'a message seq (bigserial)' })) });
/** open SSE streams one chat session may hold in this process (a few tabs; not an unbounded number of sockets) */
export const MAX_STREAMS_PER_SESSION = 3;

/** What a web chat client sees of a message. */
const shown = (m: ChatMessage) => ({ text: m.text, ...(m.buttons ? { buttons: m.buttons } : {}), ...(m.photo ? { photo: m.photo } : {}), ...(m.requestContact ? { requestContact: m.requestContact } : {}) });

/**
 * The engine over HTTP: a turn per POST, replies in the response; messages sent later (wait and
 * no-reply timers) are pushed over SSE and kept, so a reconnecting client gets what it missed.
 */
export class WebChat {
  private readonly bus = new EventEmitter();
  private readonly streams = new Set<ServerResponse>();
  private readonly streamsPerSession = new Map<string, number>();

  constructor(private readonly db: Db, private readonly engine: FlowEngine) {
    this.bus.setMaxListeners(0);
    engine.onDeliver('webchat', async (out) => {
      this.bus.emit(out.sessionId);
    });
  }

  /** Ends open event streams so the server can close. */
  closeStreams(): void {
    for (const s of this.streams) s.end();
    this.streams.clear();
  }

  private async begin(tenantId: string, flowId: string, draft: boolean, locale: string | undefined, name: string | undefined): Promise<{ sessionId: string; messages: unknown[] }> {
    const id = crypto.randomUUID();
    const out = await this.engine.turn({
      conversation: { tenantId, channel: 'webchat', key: `web:${id}`, chatId: id, client: { id: `webchat:${id}`, ...(name ? { name } : {}) }, locale: pickLocale(locale ?? 'ru') },
    }, { kind: 'begin', flowId, draft });
    return { sessionId: out.sessionId, messages: out.messages.map(shown) };
  }

  private async send(tenantId: string, sessionId: string, body: Static<typeof MessageBody>): Promise<{ messages: unknown[] }> {
    await this.owned(tenantId, sessionId);
    const event: TurnEvent = body.callback ? { kind: 'callback', id: body.callback } : body.contact ? { kind: 'message', contact: body.contact } : { kind: 'message', text: body.text ?? '' };
    if (!body.callback && !body.contact && !body.text) throw createError('BF_ERR_WEBCHAT_MESSAGE_EMPTY');
    const out: TurnOutput = await this.engine.turn({ sessionId }, event);
    return { messages: out.messages.map(shown), ...(out.stale ? { stale: true } : {}) };
  }

  private async owned(tenantId: string, sessionId: string): Promise<void> {
    const row = await this.db.selectFrom('flow_sessions').select('id').where('id', '=', sessionId).where('tenant_id', '=', tenantId).where('channel', '=', 'webchat').executeTakeFirst();
    if (!row) throw createError('BF_ERR_WEBCHAT_SESSION_NOT_FOUND', { id: sessionId });
  }

  private async events(request: FastifyRequest, reply: FastifyReply, tenantId: string, sessionId: string, after: number | undefined): Promise<void> {
    await this.owned(tenantId, sessionId);
    const lastId = request.headers['last-event-id'];
    let seq = Number(typeof lastId === 'string' && /^\d+$/.test(lastId) ? lastId : after ?? 0);
    const open = this.streamsPerSession.get(sessionId) ?? 0;
    if (open >= MAX_STREAMS_PER_SESSION) throw createError('BF_ERR_WEBCHAT_TOO_MANY_STREAMS', { max: MAX_STREAMS_PER_SESSION });
    this.streamsPerSession.set(sessionId, open + 1);
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive', 'x-accel-buffering': 'no' });
    res.write(': connected\n\n');
    this.streams.add(res);
    let busy = Promise.resolve();
    const flush = () => {
      busy = busy.then(async () => {
        const rows = await this.db.selectFrom('webchat_messages').select(['seq', 'message']).where('session_id', '=', sessionId).where('pushed', '=', true).where('seq', '>', seq).orderBy('seq').execute();
        for (const r of rows) {
          seq = Number(r.seq);
          res.write(`id: ${seq}\nevent: message\ndata: ${JSON.stringify(shown(r.message as ChatMessage))}\n\n`);
        }
      }).catch(() => {});
    };
    const heartbeat = setInterval(() => res.write(': ping\n\n'), 15_000);
    this.bus.on(sessionId, flush);
    res.on('close', () => {
      clearInterval(heartbeat);
      this.bus.off(sessionId, flush);
      this.streams.delete(res);
      const left = (this.streamsPerSession.get(sessionId) ?? 1) - 1;
      if (left > 0) this.streamsPerSession.set(sessionId, left);
      else this.streamsPerSession.delete(sessionId);
    });
    flush();
  }

  routes(api: FastifyInstance): void {
    const editors = { roles: ['owner', 'admin', 'manager'] as const };
    api.post<{ Body: Static<typeof NewSession> }>('/webchat/sessions', { schema: { tags: ['webchat'], summary: 'Start a test chat with a flow (its draft by default)', body: NewSession }, config: { roles: [...editors.roles] } }, async (request, reply) => {
      const { flowId, draft, locale, name } = request.body;
      return reply.status(201).send(await this.begin(request.tenantId, flowId, draft ?? true, locale, name));
    });
    api.post<{ Params: Static<typeof SessionParam>; Body: Static<typeof MessageBody> }>('/webchat/sessions/:id/messages', { schema: { tags: ['webchat'], params: SessionParam, body: MessageBody }, config: { roles: [...editors.roles] } }, async (request) =>
      this.send(request.tenantId, request.params.id, request.body));
    api.get<{ Params: Static<typeof SessionParam>; Querystring: Static<typeof EventsQuery> }>('/webchat/sessions/:id/events', { schema: { tags: ['webchat'], summary: 'SSE: messages sent later (timers); resumes after Last-Event-ID', params: SessionParam, querystring: EventsQuery }, config: { roles: [...editors.roles] } }, async (request, reply) =>
      this.events(request, reply, request.tenantId, request.params.id, request.query.after));

    // The website widget: no sign-in; the session id is the client's key to its chat.
    api.post<{ Params: Static<typeof TenantParam>; Body: Static<typeof NewPublicSession> }>('/public/:tenant/webchat/sessions', {
      schema: { tags: ['webchat'], summary: 'Start a website chat with the business’s published flow (default key "main")', params: TenantParam, body: NewPublicSession },
      config: { roles: 'public', rateLimit: { max: 30, timeWindow: '1 minute' } },
    }, async (request, reply) => {
      const key = request.body.flowKey ?? 'main';
      const flow = await this.db.selectFrom('flows').select(['id', 'published_version']).where('tenant_id', '=', request.tenantId).where('key', '=', key).where('deleted_at', 'is', null).executeTakeFirst();
      if (!flow) throw createError('BF_ERR_FLOW_NOT_FOUND', { id: key });
      if (flow.published_version === null) throw createError('BF_ERR_FLOW_NOT_PUBLISHED', { key });
      return reply.status(201).send(await this.begin(request.tenantId, flow.id, false, request.body.locale, request.body.name));
    });
    api.post<{ Params: Static<typeof PublicSessionParam>; Body: Static<typeof MessageBody> }>('/public/:tenant/webchat/sessions/:id/messages', {
      schema: { tags: ['webchat'], params: PublicSessionParam, body: MessageBody }, config: { roles: 'public', rateLimit: { max: 60, timeWindow: '1 minute' } },
    }, async (request) => this.send(request.tenantId, request.params.id, request.body));
    api.get<{ Params: Static<typeof PublicSessionParam>; Querystring: Static<typeof EventsQuery> }>('/public/:tenant/webchat/sessions/:id/events', {
      schema: { tags: ['webchat'], params: PublicSessionParam, querystring: EventsQuery }, config: { roles: 'public', rateLimit: { max: 30, timeWindow: '1 minute' } },
    }, async (request, reply) => this.events(request, reply, request.tenantId, request.params.id, request.query.after));
  }
}
