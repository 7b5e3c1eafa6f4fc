/**
 * External APIs' base URLs that tests point at stand-ins through the environment (SMSRU_API_ROOT, a plugin's
 * YOOKASSA_API_ROOT, MANGO_API_ROOT…). Outside production the variable is taken as given. In production
 * (NODE_ENV) only the API's own address is: anything else — a stand-in left in the environment would take real
 * clients' payments, texts or calls nowhere — is refused, the real address used and the value named for a warning.
 * TELEGRAM_API_ROOT is not one of these: a self-hosted Bot API server is a product setting (see README).
 */
import type { Logger } from 'pino';

export interface ApiRoot {
  root: string;
  /** the variable's value production refused */
  refused?: string;
}

const trimmed = (url: string) => url.trim().replace(/\/+$/, '');

export function apiRoot(variable: string, real: string, env: NodeJS.ProcessEnv = process.env): ApiRoot {
  const own = trimmed(real);
  const value = env[variable] === undefined ? '' : trimmed(env[variable]!);
  if (!value) return { root: own };
  if (env.NODE_ENV !== 'production') return { root: value };
  if (!URL.canParse(value)) return { root: own, refused: value };
  const u = new URL(value);
  return !u.search && !u.hash && !u.username && !u.password && trimmed(`${u.origin}${u.pathname}`) === own ? { root: own } : { root: own, refused: value };
}

const warned = new Set<string>();

/** The root, telling the operator (once per variable and value in this process) when production refused the variable. */
export function guardedApiRoot(log: Pick<Logger, 'warn'>, variable: string, real: string, env: NodeJS.ProcessEnv = process.env): string {
  const { root, refused } = apiRoot(variable, real, env);
  if (refused !== undefined && !warned.has(`${variable}=${refused}`)) {
    warned.add(`${variable}=${refused}`);
    log.warn({ variable, value: refused, using: root }, 'an external API address other than the real one is refused in production');
  }
  return root;
}
