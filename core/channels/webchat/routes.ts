import crypto from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { ServerResponse } from 'node:http';
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { sql } from 'kysely';
import type { ChannelAdapter, Db } from '../../../plugin-sdk.js';
import { createError } from '../../errors.js';
import { pickLocale } from '../../i18n/i18n.js';
import { emitEvent } from '../../outbox/emit.js';
import { engineText } from '../../flow/texts.js';
import type { FlowEngine } from '../../flow/engine.js';
import type { ChatMessage, TurnEvent, TurnOutput } from '../../flow/session.js';
import type { MessageService } from '../../messages/service.js';
import { StreamLimits, type StreamLimitsConfig } from './stream-limits.js';

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
export { MAX_STREAMS_PER_SESSION } from './stream-limits.js';

export interface WebChatLimits extends StreamLimitsConfig {
  /** a stream closes after this long without a turn in its chat (a client message or a pushed one); 0: never */
  streamIdleSeconds: number;
}

// setTimeout's longest wait; a longer idle limit is checked again after it.
const MAX_TIMER_MS = 2 ** 31 - 1;

/** What a web chat client sees of a message. */
const shown = (m: ChatMessage) => ({ text: m.text, ...(m.buttons ? { buttons: m.buttons } : {}), ...(m.photo ? { photo: m.photo } : {}), ...(m.requestContact ? { requestContact: m.requestContact } : {}) });

/**
 * The engine over HTTP: a turn per POST, replies in the response; messages sent later (wait and
 * no-reply timers) are pushed over SSE and kept, so a reconnecting client gets what it missed.
 */
export class WebChat {
  private readonly bus = new EventEmitter();
  private readonly streams = new Set<ServerResponse>();
  private readonly slots: StreamLimits;
  private readonly idleMs: number;

  constructor(private readonly db: Db, private readonly engine: FlowEngine, limits: WebChatLimits, messages: MessageService) {
    this.slots = new StreamLimits(limits);
    this.idleMs = limits.streamIdleSeconds * 1000;
    this.bus.setMaxListeners(0);
    engine.onDeliver('webchat', async (out) => {
      this.bus.emit(out.sessionId);
    });
    // The replies are in the turn's answer (or pushed, for timers) and in webchat_messages; the log records them as sent.
    engine.onTurn('webchat', (trx, out, { messages: replies, event, session }) => messages.recordTurn(trx, {
      tenantId: out.tenantId, channel: 'webchat', conversationKey: `web:${out.chatId}`, locale: out.locale,
      incoming: event?.kind === 'message' ? event.text || event.contact?.phone : undefined, replies, replyMode: 'shown', along: session,
    }));
  }

  /**
   * The web chat as a channel of the message outbox: a message to a chat is kept with its pushed messages and
   * goes out over the chat's event stream (now, or when the client reconnects).
   */
  adapter(): ChannelAdapter {
    return {
      kind: 'webchat',
      available: async () => true,
      send: async (d) => {
        const session = await this.db.selectFrom('flow_sessions').select('id').where('tenant_id', '=', d.tenantId).where('channel', '=', 'webchat')
          .where((eb) => eb.or([eb('chat_id', '=', d.identity.value), eb(sql`id::text`, '=', d.identity.value)])).executeTakeFirst();
        if (!session) return { status: 'unreachable', reason: 'no such web chat' };
        const message: ChatMessage = { text: d.text, ...(d.buttons ? { buttons: d.buttons } : {}), ...(d.photo ? { photo: d.photo } : {}), ...(d.requestContact ? { requestContact: d.requestContact } : {}) };
        const row = await this.db.insertInto('webchat_messages').values({ session_id: session.id, message: JSON.stringify(message), pushed: true }).returning('seq').executeTakeFirstOrThrow();
        this.bus.emit(session.id);
        return { status: 'sent', providerId: String(row.seq) };
      },
    };
  }

  /** Ends open event streams so the server can close. */
  closeStreams(): void {
    for (const s of this.streams) s.end();
    this.streams.clear();
  }

  /** `editorId`: the signed-in editor of a studio test chat; null for the website widget. */
  private async begin(tenantId: string, flowId: string, draft: boolean, editorId: string | null, locale: string | undefined, name: string | undefined): Promise<{ sessionId: string; messages: unknown[] }> {
    const id = crypto.randomUUID();
    const out = await this.engine.turn({
      conversation: { tenantId, channel: 'webchat', key: editorId ? `studio:${editorId}:${id}` : `web:${id}`, chatId: id, client: { id: `webchat:${id}`, ...(name ? { name } : {}) }, locale: pickLocale(locale ?? 'ru') },
    }, { kind: 'begin', flowId, draft });
    return { sessionId: out.sessionId, messages: out.messages.map(shown) };
  }

  private async send(tenantId: string, sessionId: string, editorId: string | null, body: Static<typeof MessageBody>): Promise<{ messages: unknown[] }> {
    await this.owned(tenantId, sessionId, editorId);
    const event: TurnEvent = body.callback ? { kind: 'callback', id: body.callback } : body.contact ? { kind: 'message', contact: body.contact } : { kind: 'message', text: body.text ?? '' };
    if (!body.callback && !body.contact && !body.text) throw createError('BF_ERR_WEBCHAT_MESSAGE_EMPTY');
    const out: TurnOutput = await this.engine.turn({ sessionId }, event);
    // An old button: said so, as Telegram's callback answer says it, rather than nothing happening.
    const messages = out.stale && !out.messages.length ? [{ text: engineText('staleButton', out.locale) }] : out.messages;
    return { messages: messages.map(shown), ...(out.stale ? { stale: true } : {}) };
  }

  /** Ends an editor's test chat; plugins undo what it made for the test (flow.test-chat-closed). */
  private async close(tenantId: string, sessionId: string, editorId: string): Promise<void> {
    await this.owned(tenantId, sessionId, editorId);
    await this.db.transaction().execute(async (trx) => {
      const s = await trx.updateTable('flow_sessions').set({ status: 'ended', waiting: null }).where('id', '=', sessionId).where('tenant_id', '=', tenantId)
        .returning(['chat_id', 'draft_mode']).executeTakeFirstOrThrow();
      if (s.draft_mode) await emitEvent(trx, tenantId, 'flow.test-chat-closed', { sessionId, chatId: s.chat_id });
    });
  }

  /**
   * The session, if the caller may talk in it: a studio test chat (a draft, or a version before its
   * release) answers only the editor who started it; a widget chat, whoever holds its id. Returns
   * how long the chat has been without a turn.
   */
  private async owned(tenantId: string, sessionId: string, editorId: string | null): Promise<{ idleMs: number }> {
    const row = await this.db.selectFrom('flow_sessions').select(sql<number>`extract(epoch from now() - last_activity_at) * 1000`.as('idle_ms'))
      .where('id', '=', sessionId).where('tenant_id', '=', tenantId).where('channel', '=', 'webchat')
      .where('conversation_key', 'like', editorId ? `studio:${editorId}:%` : 'web:%')
      .$if(!editorId, (q) => q.where('draft_mode', '=', false))
      .executeTakeFirst();
    if (!row) throw createError('BF_ERR_WEBCHAT_SESSION_NOT_FOUND', { id: sessionId });
    return { idleMs: Number(row.idle_ms) };
  }

  private async events(request: FastifyRequest, reply: FastifyReply, tenantId: string, sessionId: string, editorId: string | null, after: number | undefined): Promise<void> {
    const { idleMs } = await this.owned(tenantId, sessionId, editorId);
    // Refused rather than served and closed again, so an EventSource stops reconnecting to an abandoned chat.
    if (this.idleMs && idleMs >= this.idleMs) throw createError('BF_ERR_WEBCHAT_SESSION_IDLE', { seconds: this.idleMs / 1000 });
    const lastId = request.headers['last-event-id'];
    let seq = Number(typeof lastId === 'string' && /^\d+$/.test(lastId) ? lastId : after ?? 0);
    const release = this.slots.take(sessionId, request.ip);
    reply.hijack();
    const res = reply.raw;
    // Gone while we looked the session up: no close event will come to give the slots back.
    if (res.destroyed) return release();
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
    // Heartbeats keep proxies from cutting a live stream; they are not traffic: a chat without turns is idle.
    let idleCheck: NodeJS.Timeout | undefined;
    const watchIdle = (wait: number) => {
      idleCheck = setTimeout(async () => {
        const idle = (await this.owned(tenantId, sessionId, editorId).catch(() => ({ idleMs: Infinity }))).idleMs;
        if (res.writableEnded) return;
        if (idle < this.idleMs) return watchIdle(this.idleMs - idle);
        res.write('event: idle\ndata: {}\n\n');
        res.end();
      }, Math.min(Math.max(wait, 0), MAX_TIMER_MS));
    };
    if (this.idleMs) watchIdle(this.idleMs - idleMs);
    this.bus.on(sessionId, flush);
    res.on('close', () => {
      clearInterval(heartbeat);
      clearTimeout(idleCheck);
      this.bus.off(sessionId, flush);
      this.streams.delete(res);
      release();
    });
    flush();
  }

  routes(api: FastifyInstance): void {
    const editors = { roles: ['owner', 'admin', 'manager'] as const };
    api.post<{ Body: Static<typeof NewSession> }>('/webchat/sessions', { schema: { tags: ['webchat'], summary: 'Start a test chat with a flow (its draft by default)', body: NewSession }, config: { roles: [...editors.roles] } }, async (request, reply) => {
      const { flowId, draft, locale, name } = request.body;
      return reply.status(201).send(await this.begin(request.tenantId, flowId, draft ?? true, request.auth!.userId, locale, name));
    });
    api.post<{ Params: Static<typeof SessionParam>; Body: Static<typeof MessageBody> }>('/webchat/sessions/:id/messages', { schema: { tags: ['webchat'], params: SessionParam, body: MessageBody }, config: { roles: [...editors.roles] } }, async (request) =>
      this.send(request.tenantId, request.params.id, request.auth!.userId, request.body));
    api.delete<{ Params: Static<typeof SessionParam> }>('/webchat/sessions/:id', { schema: { tags: ['webchat'], summary: 'Close a test chat: its test bookings are cancelled', params: SessionParam }, config: { roles: [...editors.roles] } }, async (request, reply) => {
      await this.close(request.tenantId, request.params.id, request.auth!.userId);
      return reply.status(204).send();
    });
    api.get<{ Params: Static<typeof SessionParam>; Querystring: Static<typeof EventsQuery> }>('/webchat/sessions/:id/events', { schema: { tags: ['webchat'], summary: 'SSE: messages sent later (timers); resumes after Last-Event-ID', params: SessionParam, querystring: EventsQuery }, config: { roles: [...editors.roles] } }, async (request, reply) =>
      this.events(request, reply, request.tenantId, request.params.id, request.auth!.userId, request.query.after));

    // The website widget: no sign-in; the session id is the client's key to its chat.
    api.post<{ Params: Static<typeof TenantParam>; Body: Static<typeof NewPublicSession> }>('/public/:tenant/webchat/sessions', {
      schema: { tags: ['webchat'], summary: 'Start a website chat with the business’s published flow (default key "main")', params: TenantParam, body: NewPublicSession },
      config: { roles: 'public', rateLimit: { max: 30, timeWindow: '1 minute' } },
    }, async (request, reply) => {
      const key = request.body.flowKey ?? 'main';
      const flow = await this.db.selectFrom('flows').select(['id', 'published_version']).where('tenant_id', '=', request.tenantId).where('key', '=', key).where('deleted_at', 'is', null).executeTakeFirst();
      if (!flow) throw createError('BF_ERR_FLOW_NOT_FOUND', { id: key });
      if (flow.published_version === null) throw createError('BF_ERR_FLOW_NOT_PUBLISHED', { key });
      return reply.status(201).send(await this.begin(request.tenantId, flow.id, false, null, request.body.locale, request.body.name));
    });
    api.post<{ Params: Static<typeof PublicSessionParam>; Body: Static<typeof MessageBody> }>('/public/:tenant/webchat/sessions/:id/messages', {
      schema: { tags: ['webchat'], params: PublicSessionParam, body: MessageBody }, config: { roles: 'public', rateLimit: { max: 60, timeWindow: '1 minute' } },
    }, async (request) => this.send(request.tenantId, request.params.id, null, request.body));
    api.get<{ Params: Static<typeof PublicSessionParam>; Querystring: Static<typeof EventsQuery> }>('/public/:tenant/webchat/sessions/:id/events', {
      schema: { tags: ['webchat'], params: PublicSessionParam, querystring: EventsQuery }, config: { roles: 'public', rateLimit: { max: 30, timeWindow: '1 minute' } },
    }, async (request, reply) => this.events(request, reply, request.tenantId, request.params.id, null, request.query.after));
  }
}
