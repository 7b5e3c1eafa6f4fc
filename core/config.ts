import path from 'node:path';
import { createError } from './errors.js';
import { apiRoot } from './api-roots.js';

export interface AppConfig {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | undefined;
  adminEmail: string | undefined;
  adminPassword: string | undefined;
  telegramBotToken: string | undefined;
  telegramApiRoot: string;
  /** public base URL for Telegram webhooks; long polling when unset */
  publicUrl: string | undefined;
  logLevel: string;
  /** hex 32-byte key for secrets; generated into DATA_DIR/secret.key when unset */
  secretKey: string | undefined;
  sessionTtlHours: number;
  /** folder of plugin folders; default <root>/plugins */
  pluginsDir: string | undefined;
  /** PostgreSQL pool size, and how long a query waits for a pool connection before BF_ERR_DB_UNAVAILABLE */
  dbPoolMax: number;
  dbConnectTimeoutMs: number;
  /** which X-Forwarded-For hops request.ip may come from (fastify's trustProxy); false: the socket address */
  trustProxy: boolean | number | string[];
  /** web chat event streams: open ones per client address and in all, and how long a chat without turns keeps one */
  webchatStreamsPerAddress: number;
  webchatStreamsTotal: number;
  webchatStreamIdleSeconds: number;
  /** who may create a business: `owners` of one (and the bootstrap owner), `all` signed-in users, or `none` but the bootstrap owner */
  allowSignup: SignupMode;
  /** attempts of one event handler on one event before the delivery is dead-lettered */
  eventMaxAttempts: number;
  /** messages this instance sends at once; how long a claimed message is leased to its sender; failed attempts before a message fails */
  messageWorkers: number;
  messageLeaseSeconds: number;
  messageMaxAttempts: number;
  /** SMTP_ALLOW_PRIVATE=1: businesses' SMTP servers may be on loopback or private networks */
  smtpAllowPrivate: boolean;
  /** SMS.ru API base URL (a stand-in in tests) */
  smsRuApiRoot: string;
}

export type SignupMode = 'owners' | 'all' | 'none';

function intVar(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) throw createError('BF_ERR_CONFIG_INVALID', { name, reason: `expected a whole number, got "${raw}"` });
  return value;
}

/** TRUST_PROXY: unset/false, true, a hop count, or a comma-separated list of proxy addresses/CIDRs. */
function trustProxyVar(env: NodeJS.ProcessEnv): AppConfig['trustProxy'] {
  const raw = (env.TRUST_PROXY ?? '').trim();
  if (raw === '' || raw === 'false') return false;
  if (raw === 'true') return true;
  if (/^\d+$/.test(raw)) return Number(raw);
  const addresses = raw.split(',').map((a) => a.trim()).filter(Boolean);
  const bad = addresses.find((a) => !/^[0-9a-fA-F:.]+(\/\d{1,3})?$/.test(a) && !['loopback', 'linklocal', 'uniquelocal'].includes(a));
  if (bad !== undefined) throw createError('BF_ERR_CONFIG_INVALID', { name: 'TRUST_PROXY', reason: `expected true, false, a hop count or proxy addresses/CIDRs, got "${bad}"` });
  return addresses;
}

function signupVar(env: NodeJS.ProcessEnv): SignupMode {
  const raw = (env.ALLOW_SIGNUP ?? '').trim() || 'owners';
  if (raw === 'owners' || raw === 'all' || raw === 'none') return raw;
  throw createError('BF_ERR_CONFIG_INVALID', { name: 'ALLOW_SIGNUP', reason: `expected owners, all or none, got "${raw}"` });
}

/** SMS.ru's API: SMSRU_API_ROOT points it at a stand-in in tests; production takes only the real one (core/api-roots.ts). */
export const SMSRU_ROOT = { variable: 'SMSRU_API_ROOT', real: 'https://sms.ru' } as const;

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const blankToUndefined = (v: string | undefined) => (v === undefined || v === '' ? undefined : v);
  return {
    port: intVar(env, 'PORT', 3000),
    host: env.HOST || '0.0.0.0',
    dataDir: path.resolve(env.DATA_DIR || './data'),
    databaseUrl: blankToUndefined(env.DATABASE_URL),
    adminEmail: blankToUndefined(env.ADMIN_EMAIL),
    adminPassword: blankToUndefined(env.ADMIN_PASSWORD),
    telegramBotToken: blankToUndefined(env.TELEGRAM_BOT_TOKEN),
    telegramApiRoot: (env.TELEGRAM_API_ROOT || 'https://api.telegram.org').replace(/\/+$/, ''),
    publicUrl: blankToUndefined(env.PUBLIC_URL)?.replace(/\/+$/, ''),
    logLevel: env.LOG_LEVEL || 'info',
    secretKey: blankToUndefined(env.BOOKFLOW_SECRET_KEY),
    sessionTtlHours: intVar(env, 'SESSION_TTL_HOURS', 12),
    pluginsDir: blankToUndefined(env.BOOKFLOW_PLUGINS_DIR) && path.resolve(env.BOOKFLOW_PLUGINS_DIR!),
    trustProxy: trustProxyVar(env),
    allowSignup: signupVar(env),
    dbPoolMax: intVar(env, 'DB_POOL_MAX', 20),
    dbConnectTimeoutMs: intVar(env, 'DB_CONNECT_TIMEOUT_MS', 10_000),
    webchatStreamsPerAddress: intVar(env, 'WEBCHAT_MAX_STREAMS_PER_ADDRESS', 20),
    webchatStreamsTotal: intVar(env, 'WEBCHAT_MAX_STREAMS', 500),
    webchatStreamIdleSeconds: intVar(env, 'WEBCHAT_STREAM_IDLE_SECONDS', 1800),
    eventMaxAttempts: intVar(env, 'EVENT_MAX_ATTEMPTS', 8),
    messageWorkers: Math.max(1, intVar(env, 'MESSAGE_WORKERS', 16)),
    messageLeaseSeconds: Math.max(2, intVar(env, 'MESSAGE_LEASE_SECONDS', 60)),
    messageMaxAttempts: Math.max(1, intVar(env, 'MESSAGE_MAX_ATTEMPTS', 8)),
    smtpAllowPrivate: env.SMTP_ALLOW_PRIVATE === '1',
    smsRuApiRoot: apiRoot(SMSRU_ROOT.variable, SMSRU_ROOT.real, env).root,
  };
}
