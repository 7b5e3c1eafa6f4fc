import path from 'node:path';
import { createError } from './errors.js';

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
}

function intVar(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) throw createError('BF_ERR_CONFIG_INVALID', { name, reason: `expected a whole number, got "${raw}"` });
  return value;
}

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
  };
}
