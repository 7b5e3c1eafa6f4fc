import crypto from 'node:crypto';
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import type { Update } from 'grammy/types';
import type { Db, Secrets, Tx } from '../../../plugin-sdk.js';
import { createError } from '../../errors.js';
import { writeAudit } from '../../audit.js';
import type { BotRow, TelegramChannel } from './channel.js';

const IdParam = Type.Object({ id: Type.String({ format: 'uuid' }) });
const Token = Type.String({ pattern: '^\\d{1,20}:[A-Za-z0-9_-]{20,100}$', description: 'the token from @BotFather' });
const FlowKey = Type.String({ pattern: '^[a-z0-9][a-z0-9-]{0,62}$' });
const NewBot = Type.Object({ name: Type.String({ minLength: 1, maxLength: 200 }), token: Token, flowKey: Type.Optional(FlowKey), staffChatId: Type.Optional(Type.String({ pattern: '^-?\\d{1,20}$' })) }, { additionalProperties: false });
const BotPatch = Type.Object({
  name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  token: Type.Optional(Token),
  flowKey: Type.Optional(FlowKey),
  enabled: Type.Optional(Type.Boolean()),
  staffChatId: Type.Optional(Type.Union([Type.String({ pattern: '^-?\\d{1,20}$' }), Type.Null()])),
}, { additionalProperties: false, minProperties: 1 });
const WebhookParams = Type.Object({ botId: Type.String({ format: 'uuid' }) });
const UpdateBody = Type.Object({ update_id: Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER }) }, { additionalProperties: true });

/** What the API shows of a bot; the token never leaves the server. */
function view(b: BotRow & { deleted_at?: Date | null }, channel: TelegramChannel) {
  return {
    id: b.id, name: b.name, username: b.username, status: b.status, lastError: b.last_error, flowKey: b.flow_key, staffChatId: b.staff_chat_id, enabled: b.enabled,
    mode: !b.enabled || !b.token_sealed ? 'off' as const : channel.mode,
  };
}

async function findBot(db: Db | Tx, tenantId: string, id: string, lock = false): Promise<BotRow> {
  let q = db.selectFrom('bots').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).where('deleted_at', 'is', null);
  if (lock) q = q.forUpdate();
  const row = await q.executeTakeFirst();
  if (!row) throw createError('BF_ERR_BOT_NOT_FOUND', { id });
  return row as BotRow;
}

async function checkTaken(trx: Tx, telegramId: number, username: string | undefined, except?: string): Promise<void> {
  let q = trx.selectFrom('bots').select('id').where('telegram_id', '=', telegramId).where('deleted_at', 'is', null);
  if (except) q = q.where('id', '<>', except);
  if (await q.executeTakeFirst()) throw createError('BF_ERR_BOT_TOKEN_TAKEN', { username: username ?? telegramId, field: '/body/token' });
}

/** Bots of a business (tokens checked with getMe, sealed at rest) and the Telegram webhook. */
export function botRoutes(api: FastifyInstance, db: Db, channel: TelegramChannel, secrets: Secrets): void {
  api.get('/bots', { schema: { tags: ['bots'] }, config: { roles: ['owner', 'admin', 'manager'] } }, async (request) => ({
    items: (await db.selectFrom('bots').selectAll().where('tenant_id', '=', request.tenantId).where('deleted_at', 'is', null).orderBy('created_at').execute()).map((b) => view(b as BotRow, channel)),
  }));

  api.post<{ Body: Static<typeof NewBot> }>('/bots', { schema: { tags: ['bots'], summary: 'Connect a Telegram bot by its token (checked with getMe)', body: NewBot }, config: { roles: ['owner', 'admin'] } }, async (request, reply) => {
    const me = await channel.checkToken(request.body.token);
    const row = await db.transaction().execute(async (trx) => {
      await checkTaken(trx, me.id, me.username);
      const bot = await trx.insertInto('bots').values({
        tenant_id: request.tenantId, name: request.body.name, username: me.username, telegram_id: me.id, token_sealed: secrets.encrypt(request.body.token),
        webhook_secret: crypto.randomBytes(24).toString('hex'), flow_key: request.body.flowKey ?? 'main', staff_chat_id: request.body.staffChatId ?? null,
      }).returningAll().executeTakeFirstOrThrow();
      await writeAudit(trx, { tenantId: request.tenantId, actorId: request.auth!.userId, entity: 'bot', entityId: bot.id, action: 'create', after: { name: bot.name, username: bot.username } });
      return bot as BotRow;
    });
    await channel.connect(row);
    return reply.status(201).send(view(await findBot(db, request.tenantId, row.id), channel));
  });

  api.patch<{ Params: Static<typeof IdParam>; Body: Static<typeof BotPatch> }>('/bots/:id', { schema: { tags: ['bots'], summary: 'Change a bot; it reconnects (webhook set again)', params: IdParam, body: BotPatch }, config: { roles: ['owner', 'admin'] } }, async (request) => {
    const { name, token, flowKey, enabled, staffChatId } = request.body;
    const me = token ? await channel.checkToken(token) : undefined;
    const row = await db.transaction().execute(async (trx) => {
      const before = await findBot(trx, request.tenantId, request.params.id, true);
      if (me) await checkTaken(trx, me.id, me.username, before.id);
      const after = await trx.updateTable('bots').set({
        ...(name ? { name } : {}), ...(flowKey ? { flow_key: flowKey } : {}), ...(enabled !== undefined ? { enabled } : {}), ...(staffChatId !== undefined ? { staff_chat_id: staffChatId } : {}),
        ...(me && token ? { token_sealed: secrets.encrypt(token), username: me.username, telegram_id: me.id } : {}),
        ...(enabled === false ? { status: 'off' } : {}),
        updated_at: sql`now()`,
      }).where('id', '=', before.id).returningAll().executeTakeFirstOrThrow();
      await writeAudit(trx, { tenantId: request.tenantId, actorId: request.auth!.userId, entity: 'bot', entityId: before.id, action: 'update', before: view(before, channel), after: view(after as BotRow, channel) });
      return after as BotRow;
    });
    await channel.connect(row);
    return view(await findBot(db, request.tenantId, row.id), channel);
  });

  api.delete<{ Params: Static<typeof IdParam> }>('/bots/:id', { schema: { tags: ['bots'], params: IdParam }, config: { roles: ['owner', 'admin'] } }, async (request, reply) => {
    await db.transaction().execute(async (trx) => {
      const before = await findBot(trx, request.tenantId, request.params.id, true);
      await trx.updateTable('bots').set({ deleted_at: sql`now()`, status: 'off' }).where('id', '=', before.id).execute();
      await writeAudit(trx, { tenantId: request.tenantId, actorId: request.auth!.userId, entity: 'bot', entityId: before.id, action: 'delete', before: view(before, channel) });
    });
    await channel.disconnect(request.params.id, { dropWebhook: true });
    return reply.status(204).send();
  });
}

export function webhookRoute(http: FastifyInstance, channel: TelegramChannel): void {
  http.post<{ Params: Static<typeof WebhookParams>; Body: Update }>('/telegram/:botId', {
    schema: { tags: ['telegram'], summary: 'Telegram webhook; checks X-Telegram-Bot-Api-Secret-Token', params: WebhookParams, body: UpdateBody },
    // Telegram redelivers whatever is not a 2xx, for a day: a NUL or broken surrogate in a user's text is replaced, not refused.
    config: { roles: 'public', badStrings: 'replace' },
  }, async (request) => {
    const header = request.headers['x-telegram-bot-api-secret-token'];
    await channel.verifyWebhook(request.params.botId, typeof header === 'string' ? header : undefined);
    // A failure answers 500, so Telegram delivers the update again; the de-duplication makes that safe.
    const answer = await channel.handleUpdate(request.params.botId, request.body);
    // Telegram runs a method given in the webhook's answer (no result comes back: fine for this one).
    return answer ? { method: 'answerCallbackQuery', ...answer } : {};
  });
}
