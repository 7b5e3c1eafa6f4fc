import crypto from 'node:crypto';
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { ChannelDelivery, ChannelSendResult, Db, IdentityKind } from '../../plugin-sdk.js';
import { writeAudit } from '../audit.js';
import { createError } from '../errors.js';
import { BusinessProfiles } from '../tenants/profile.js';
import type { EmailChannel } from './email/channel.js';
import type { Translate } from './email/render.js';
import type { ChannelSettings, ChannelSettingsByKind, SettingsKind } from './settings.js';
import { SETTINGS_SCHEMAS } from './settings.js';
import type { SmsChannel } from './sms/channel.js';

export interface ChannelRouteDeps {
  db: Db;
  settings: ChannelSettings;
  email: EmailChannel;
  sms: SmsChannel;
  t: Translate;
}

const ADMINS = ['owner', 'admin'] as const;
/** A staff member may try the settings now and then, not mail or text the world through them. */
const TEST_LIMIT = { max: 10, timeWindow: '1 minute', keyGenerator: (req: { tenantId: string }) => `channel-test|${req.tenantId}` };

const TestEmail = Type.Object({ to: Type.String({ format: 'email', maxLength: 320 }) }, { additionalProperties: false });
const TestSms = Type.Object({ to: Type.String({ pattern: '^\\+[1-9][0-9]{6,14}$', description: 'E.164, e.g. +79161234567' }) }, { additionalProperties: false });

/** Rules the schema cannot say: credentials that go together. */
const CHECKS: { [K in SettingsKind]: (s: ChannelSettingsByKind[K]) => void } = {
  email: (s) => {
    if (!!s.user !== !!s.password) throw createError('BF_ERR_CHANNEL_EMAIL_AUTH_INCOMPLETE', { field: s.user ? '/body/password' : '/body/user' });
  },
  sms: (s) => {
    if (!s.apiId && !(s.login && s.password)) throw createError('BF_ERR_CHANNEL_SMS_CREDENTIALS_MISSING', { field: s.login ? '/body/password' : '/body/apiId' });
  },
};

/** The business's email and SMS settings (owner, admin; secrets write-only) and test sends. */
export function channelRoutes(api: FastifyInstance, deps: ChannelRouteDeps): void {
  const { db, settings } = deps;
  const profiles = new BusinessProfiles(db);

  for (const kind of ['email', 'sms'] as const) {
    const tags = ['channels'];
    api.get(`/channels/${kind}`, { schema: { tags, summary: `The ${kind} settings; secrets as {set}` }, config: { roles: [...ADMINS] } }, async (request) => {
      const view = await settings.view(request.tenantId, kind);
      return { configured: view !== null, settings: view };
    });

    api.put<{ Body: Record<string, unknown> }>(`/channels/${kind}`, {
      schema: { tags, summary: `Sets the ${kind} settings: a secret left out or sent back as {set} is kept, null clears it`, body: SETTINGS_SCHEMAS[kind] },
      config: { roles: [...ADMINS] },
    }, async (request) => {
      const saved = await db.transaction().execute(async (trx) => {
        const result = await settings.put(trx, request.tenantId, kind, request.body, CHECKS[kind] as (s: ChannelSettingsByKind[typeof kind]) => void);
        await writeAudit(trx, { tenantId: request.tenantId, actorId: request.auth!.userId, entity: 'channel', entityId: kind, action: result.before ? 'update' : 'create', before: result.before ?? undefined, after: result.after });
        return result.after;
      });
      return { configured: true, settings: saved };
    });

    api.delete(`/channels/${kind}`, { schema: { tags, summary: `Turns the ${kind} channel off (its settings are deleted)` }, config: { roles: [...ADMINS] } }, async (request, reply) => {
      await db.transaction().execute(async (trx) => {
        const before = await settings.remove(trx, request.tenantId, kind);
        if (before) await writeAudit(trx, { tenantId: request.tenantId, actorId: request.auth!.userId, entity: 'channel', entityId: kind, action: 'delete', before });
      });
      return reply.status(204).send();
    });
  }

  /** A one-off delivery to an address staff typed, in the business's language. */
  const testSend = async (tenantId: string, kind: IdentityKind, to: string, send: (d: ChannelDelivery, business: string) => Promise<ChannelSendResult>) => {
    const business = await profiles.get(tenantId);
    const key = kind === 'email' ? 'email' : 'sms';
    const result = await send({
      messageId: crypto.randomUUID(), tenantId, contactId: null, purpose: 'transactional', locale: business.locale,
      identity: { kind, value: to, botId: null, verified: false, unreachable: false },
      subject: deps.t(business.locale, 'channels.email.testSubject', { business: business.name }),
      text: deps.t(business.locale, `channels.${key}.testBody`, { business: business.name }),
    }, business.name);
    if (result.status !== 'sent') throw createError('BF_ERR_CHANNEL_TEST_FAILED', { channel: key, status: result.status, reason: result.reason });
    return { status: result.status, providerId: result.providerId ?? null };
  };

  api.post<{ Body: Static<typeof TestEmail> }>('/channels/email/test', {
    schema: { tags: ['channels'], summary: 'Sends a test email with the saved settings', body: TestEmail }, config: { roles: [...ADMINS], rateLimit: TEST_LIMIT },
  }, async (request) => {
    if (!(await deps.email.available(request.tenantId))) throw createError('BF_ERR_CHANNEL_NOT_CONFIGURED', { channel: 'email' });
    return testSend(request.tenantId, 'email', request.body.to.toLowerCase(), (d, business) => deps.email.deliver(d, business));
  });

  api.post<{ Body: Static<typeof TestSms> }>('/channels/sms/test', {
    schema: { tags: ['channels'], summary: 'Sends a test SMS with the saved settings', body: TestSms }, config: { roles: [...ADMINS], rateLimit: TEST_LIMIT },
  }, async (request) => {
    if (!(await deps.sms.available(request.tenantId))) throw createError('BF_ERR_CHANNEL_NOT_CONFIGURED', { channel: 'sms' });
    return testSend(request.tenantId, 'phone', request.body.to, (d) => deps.sms.send(d));
  });

  api.get('/channels/sms/balance', { schema: { tags: ['channels'], summary: 'The balance of the SMS provider account' }, config: { roles: [...ADMINS] } }, async (request) => {
    const sms = await settings.get(request.tenantId, 'sms');
    if (!sms) throw createError('BF_ERR_CHANNEL_NOT_CONFIGURED', { channel: 'sms' });
    const provider = deps.sms.provider(sms);
    if (!provider.balance) throw createError('BF_ERR_CHANNEL_PROVIDER_FAILED', { channel: 'sms', reason: `${provider.id} does not tell its balance` });
    try {
      return { provider: provider.id, ...(await provider.balance()) };
    } catch (e) {
      throw createError('BF_ERR_CHANNEL_PROVIDER_FAILED', { channel: 'sms', reason: (e as Error).message }, e);
    }
  });
}
