import crypto from 'node:crypto';
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import type { Db } from '../../plugin-sdk.js';
import { writeAudit } from '../audit.js';
import { createError } from '../errors.js';
import { pickText, type StoredContent } from './content.js';
import type { MessageService } from './service.js';

const IdParam = Type.Object({ id: Type.String({ format: 'uuid' }) });
const NewMessage = Type.Object({ contactId: Type.String({ format: 'uuid' }), text: Type.String({ minLength: 1, maxLength: 4096, pattern: '\\S' }) }, { additionalProperties: false });
const Headers = Type.Object({ 'idempotency-key': Type.Optional(Type.String({ minLength: 1, maxLength: 200, pattern: '^[\\x20-\\x7E]+$', description: 'a retry with the same key sends nothing again and answers the first message' })) });
const LogQuery = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  before: Type.Optional(Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER, description: 'the `seq` of the oldest message seen: the page before it' })),
});
const STAFF = ['owner', 'admin', 'manager'] as const;

const columns = ['id', 'seq', 'direction', 'contact_id', 'conversation_key', 'purpose', 'content', 'status', 'channel', 'provider_id', 'attempts', 'reason', 'not_before', 'created_at', 'sent_at', 'locale'] as const;
type Row = Record<(typeof columns)[number], any>;

/** What the API shows of a message: its text as sent (or in the business's language while queued). */
const view = (r: Row) => ({
  id: r.id, seq: Number(r.seq), direction: r.direction, contactId: r.contact_id, conversation: r.conversation_key, purpose: r.purpose,
  text: pickText((r.content as StoredContent).text, r.locale ?? 'en', r.locale ?? 'en'), status: r.status, channel: r.channel,
  providerId: r.provider_id, attempts: r.attempts, reason: r.reason, notBefore: r.not_before, createdAt: r.created_at, sentAt: r.sent_at,
});

/** The chats a contact talks in, as conversation keys: its Telegram chats and web chats. */
async function conversationsOf(db: Db, tenantId: string, contactId: string): Promise<string[]> {
  const ids = await db.selectFrom('contact_identities').select(['kind', 'value', 'bot_id']).where('tenant_id', '=', tenantId).where('contact_id', '=', contactId).where('deleted_at', 'is', null).where('kind', 'in', ['telegram', 'webchat']).execute();
  const web = ids.filter((i) => i.kind === 'webchat').map((i) => i.value);
  const sessions = web.length ? await db.selectFrom('flow_sessions').select('chat_id').where('tenant_id', '=', tenantId).where('channel', '=', 'webchat')
    .where((eb) => eb.or([eb('chat_id', 'in', web), eb(sql`id::text`, 'in', web)])).execute() : [];
  return [...ids.filter((i) => i.kind === 'telegram').map((i) => `tg:${i.bot_id}:${i.value}`), ...sessions.map((s) => `web:${s.chat_id}`)];
}

/** Staff write to a client (through the outbox, like every message) and read a client's message log. */
export function messageRoutes(api: FastifyInstance, db: Db, messages: MessageService): void {
  api.post<{ Body: Static<typeof NewMessage>; Headers: Static<typeof Headers> }>('/messages', {
    schema: { tags: ['messages'], summary: 'Write to a client: sent on the client’s first reachable channel', body: NewMessage, headers: Headers },
    config: { roles: [...STAFF] },
  }, async (request, reply) => {
    const key = request.headers['idempotency-key'];
    const sent = await db.transaction().execute(async (trx) => {
      const out = await messages.send(trx, {
        tenantId: request.tenantId, to: { contactId: request.body.contactId }, message: { text: request.body.text }, purpose: 'transactional',
        idempotencyKey: key ? `staff:${request.auth!.userId}:${key}` : `staff:${crypto.randomUUID()}`,
      });
      await trx.updateTable('messages').set({ actor_id: request.auth!.userId }).where('tenant_id', '=', request.tenantId).where('id', '=', out.id).where('actor_id', 'is', null).execute();
      await writeAudit(trx, { tenantId: request.tenantId, actorId: request.auth!.userId, entity: 'message', entityId: out.id, action: 'send', after: { contactId: request.body.contactId } });
      return out;
    });
    return reply.status(202).send(sent);
  });

  api.get<{ Querystring: Static<typeof LogQuery> }>('/messages/failed', {
    schema: { tags: ['messages'], summary: 'Outgoing messages that failed, newest first: to retry once the cause is fixed', querystring: LogQuery }, config: { roles: [...STAFF] },
  }, async (request) => {
    const rows = await db.selectFrom('messages').select(columns).where('tenant_id', '=', request.tenantId).where('direction', '=', 'out').where('status', '=', 'failed')
      .$if(request.query.before !== undefined, (q) => q.where('seq', '<', request.query.before!)).orderBy('seq', 'desc').limit(request.query.limit ?? 50).execute();
    return { items: rows.map(view) };
  });

  api.post<{ Params: Static<typeof IdParam> }>('/messages/:id/retry', {
    schema: { tags: ['messages'], summary: 'Send a failed message again (a message in any other state is answered as it is)', params: IdParam }, config: { roles: [...STAFF] },
  }, async (request) => db.transaction().execute(async (trx) => {
    const out = await messages.retry(trx, request.tenantId, request.params.id);
    if (!out) throw createError('BF_ERR_MESSAGE_NOT_FOUND', { id: request.params.id });
    await writeAudit(trx, { tenantId: request.tenantId, actorId: request.auth!.userId, entity: 'message', entityId: out.id, action: 'retry', after: { status: out.status } });
    return out;
  }));

  api.get<{ Params: Static<typeof IdParam> }>('/messages/:id', { schema: { tags: ['messages'], params: IdParam }, config: { roles: [...STAFF] } }, async (request) => {
    const row = await db.selectFrom('messages').select(columns).where('tenant_id', '=', request.tenantId).where('id', '=', request.params.id).executeTakeFirst();
    if (!row) throw createError('BF_ERR_MESSAGE_NOT_FOUND', { id: request.params.id });
    return view(row);
  });

  api.get<{ Params: Static<typeof IdParam>; Querystring: Static<typeof LogQuery> }>('/contacts/:id/messages', {
    schema: { tags: ['messages'], summary: 'The client’s message log, newest first: both directions, every channel, with status', params: IdParam, querystring: LogQuery },
    config: { roles: [...STAFF] },
  }, async (request) => {
    const { id } = request.params;
    const contact = await db.selectFrom('contacts').select('id').where('tenant_id', '=', request.tenantId).where('id', '=', id).where('deleted_at', 'is', null).executeTakeFirst();
    if (!contact) throw createError('BF_ERR_CONTACT_NOT_FOUND', { id });
    const chats = await conversationsOf(db, request.tenantId, id);
    const mine = db.selectFrom('messages').where('tenant_id', '=', request.tenantId)
      .where((eb) => eb.or([eb('contact_id', '=', id), ...(chats.length ? [eb('conversation_key', 'in', chats)] : [])]));
    const rows = await mine.select(columns).$if(request.query.before !== undefined, (q) => q.where('seq', '<', request.query.before!))
      .orderBy('seq', 'desc').limit(request.query.limit ?? 50).execute();
    const { total } = await mine.select((eb) => eb.fn.countAll<string>().as('total')).executeTakeFirstOrThrow();
    return { items: rows.map(view), total: Number(total) };
  });
}
