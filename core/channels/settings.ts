import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { sql } from 'kysely';
import type { Db, Secrets, Tx } from '../../plugin-sdk.js';
import { ConfigSecrets, type SecretMask } from '../plugins/config-secrets.js';

/** A write-only field: a new value, its `{set}` mask sent back (keeps it) or null (clears it). */
const Secret = (description: string) => Type.Union([Type.String({ minLength: 1, maxLength: 500 }), Type.Object({ set: Type.Boolean() }, { additionalProperties: false }), Type.Null()], { 'x-secret': true, description });

const Host = Type.String({ minLength: 1, maxLength: 253, pattern: '^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$|^\\[[0-9A-Fa-f:.]+\\]$', description: 'SMTP server name or address' });

export const EmailSettingsBody = Type.Object({
  host: Host,
  port: Type.Integer({ minimum: 1, maximum: 65535 }),
  /** tls: TLS from the first byte (port 465); starttls: plain, then STARTTLS, required (587); none: no TLS (a local relay) */
  security: Type.Union([Type.Literal('tls'), Type.Literal('starttls'), Type.Literal('none')]),
  user: Type.Optional(Type.Union([Type.String({ minLength: 1, maxLength: 320 }), Type.Null()])),
  password: Type.Optional(Secret('write-only; answered as {set: true|false}')),
  fromAddress: Type.String({ format: 'email', maxLength: 320 }),
  fromName: Type.Optional(Type.Union([Type.String({ minLength: 1, maxLength: 100, pattern: '^[^\\r\\n]*$' }), Type.Null()])),
}, { additionalProperties: false });

export const SmsSettingsBody = Type.Object({
  provider: Type.Literal('smsru'),
  apiId: Type.Optional(Secret('SMS.ru API key; write-only')),
  login: Type.Optional(Type.Union([Type.String({ minLength: 1, maxLength: 100 }), Type.Null()])),
  password: Type.Optional(Secret('SMS.ru account password, with login; write-only')),
  /** a sender name approved by the provider; its default sender when left out */
  sender: Type.Optional(Type.Union([Type.String({ minLength: 1, maxLength: 11, pattern: '^[A-Za-z0-9 ._-]+$' }), Type.Null()])),
  /** a longer text is cut to fit this many SMS parts */
  maxSegments: Type.Optional(Type.Integer({ minimum: 1, maximum: 8, default: 3 })),
  /** the provider's test mode: accepted and answered as sent, never delivered nor charged */
  test: Type.Optional(Type.Boolean({ default: false })),
}, { additionalProperties: false });

type Plain<T> = { [K in keyof T]: Exclude<T[K], SecretMask | null> };
export type EmailSettings = Plain<Static<typeof EmailSettingsBody>>;
export type SmsSettings = Plain<Static<typeof SmsSettingsBody>> & { maxSegments: number; test: boolean };
export interface ChannelSettingsByKind { email: EmailSettings; sms: SmsSettings }
export type SettingsKind = keyof ChannelSettingsByKind;

export const SETTINGS_SCHEMAS: Record<SettingsKind, TSchema> = { email: EmailSettingsBody, sms: SmsSettingsBody };
const DEFAULTS: { [K in SettingsKind]: Partial<ChannelSettingsByKind[K]> } = { email: {}, sms: { maxSegments: 3, test: false } };

const withoutNulls = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== null && v !== undefined));

/**
 * The email and SMS settings of each business (`channel_settings`): secrets sealed at rest with the same
 * machinery as `x-secret` plugin config fields, plaintext only to the channel adapters, `{set}` to clients.
 */
export class ChannelSettings {
  private readonly secrets: ConfigSecrets;

  constructor(private readonly db: Db, secrets: Secrets) {
    this.secrets = new ConfigSecrets(secrets);
    for (const [kind, schema] of Object.entries(SETTINGS_SCHEMAS)) this.secrets.register(kind, schema);
  }

  private async stored(q: Db | Tx, tenantId: string, kind: SettingsKind, lock = false): Promise<Record<string, unknown> | undefined> {
    let query = q.selectFrom('channel_settings').select('settings').where('tenant_id', '=', tenantId).where('kind', '=', kind);
    if (lock) query = query.forUpdate();
    return (await query.executeTakeFirst())?.settings as Record<string, unknown> | undefined;
  }

  /** Plaintext, for the adapters; undefined when the channel is not set up. */
  async get<K extends SettingsKind>(tenantId: string, kind: K, q: Db | Tx = this.db): Promise<ChannelSettingsByKind[K] | undefined> {
    const stored = await this.stored(q, tenantId, kind);
    return stored && ({ ...DEFAULTS[kind], ...this.secrets.open(kind, stored) } as ChannelSettingsByKind[K]);
  }

  /** What clients see: secrets as `{set}`; null when not set up. */
  async view(tenantId: string, kind: SettingsKind, q: Db | Tx = this.db): Promise<Record<string, unknown> | null> {
    const stored = await this.stored(q, tenantId, kind);
    return stored ? this.mask(kind, { ...DEFAULTS[kind], ...stored }) : null;
  }

  mask(kind: SettingsKind, settings: Record<string, unknown>): Record<string, unknown> {
    return this.secrets.mask(kind, settings);
  }

  /**
   * Replaces the settings: a secret left out or sent back as its mask keeps the stored one, null clears it.
   * `check` sees the resulting plaintext before it is stored (and may throw). Returns before and after, masked.
   */
  async put<K extends SettingsKind>(trx: Tx, tenantId: string, kind: K, incoming: Record<string, unknown>, check: (plain: ChannelSettingsByKind[K]) => void) {
    const stored = await this.stored(trx, tenantId, kind, true);
    const plain = withoutNulls(this.secrets.merge(kind, incoming, stored ?? {}));
    check({ ...DEFAULTS[kind], ...plain } as ChannelSettingsByKind[K]);
    const sealed = this.secrets.seal(kind, plain);
    await trx.insertInto('channel_settings').values({ tenant_id: tenantId, kind, settings: JSON.stringify(sealed) })
      .onConflict((oc) => oc.columns(['tenant_id', 'kind']).doUpdateSet({ settings: JSON.stringify(sealed), updated_at: sql`now()` }))
      .execute();
    return { before: stored ? this.mask(kind, stored) : null, after: this.mask(kind, { ...DEFAULTS[kind], ...sealed }) };
  }

  /** Turns the channel off; returns the masked settings it had (null: there were none). */
  async remove(trx: Tx, tenantId: string, kind: SettingsKind): Promise<Record<string, unknown> | null> {
    const row = await trx.deleteFrom('channel_settings').where('tenant_id', '=', tenantId).where('kind', '=', kind).returning('settings').executeTakeFirst();
    return row ? this.mask(kind, row.settings as Record<string, unknown>) : null;
  }
}
