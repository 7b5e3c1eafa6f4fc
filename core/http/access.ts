import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Db, Role, RouteAccess } from '../../plugin-sdk.js';
import { createError } from '../errors.js';
import { findSession } from '../auth/sessions.js';
import { checkCsrf, requestToken } from '../auth/cookies.js';
import { byId, resolveTenantId } from '../tenants/lookup.js';
import type { Clock } from '../clock.js';

/** Paths served by infrastructure plugins (docs UI, static studio) that cannot carry our route config. */
const EXEMPT = [/^\/docs(\/|$)/, /^\/studio(\/|$)/];

/**
 * Every route declares `config.roles`; the framework refuses to start otherwise,
 * and checks sign-in, business membership and role before any handler runs.
 */
export function installAccessControl(app: FastifyInstance, db: Db, clock: Clock): void {
  app.decorateRequest('auth', null);
  app.decorateRequest('tenantId', '');

  app.addHook('onRoute', (route) => {
    const url = route.url ?? route.path;
    if (EXEMPT.some((re) => re.test(url)) || route.method === 'HEAD') return;
    const roles = (route.config as { roles?: RouteAccess } | undefined)?.roles;
    if (roles !== 'public' && roles !== 'signed-in' && !(Array.isArray(roles) && roles.length > 0)) {
      throw new Error(`Route ${String(route.method)} ${url} must declare config.roles (a list of roles, 'signed-in' or 'public')`);
    }
  });

  app.addHook('onRequest', async (request) => {
    const roles = request.routeOptions.config?.roles;
    if (!roles) return;
    const params = (request.params ?? {}) as Record<string, string>;
    if (roles === 'public') {
      if (params.tenant) request.tenantId = await resolveTenantId(db, params.tenant);
      return;
    }
    await authenticate(request, db, roles, clock);
  });
}

async function authenticate(request: FastifyRequest, db: Db, roles: readonly Role[] | 'signed-in', clock: Clock): Promise<void> {
  const credentials = requestToken(request);
  if (!credentials) throw createError('BF_ERR_AUTH_REQUIRED');
  const wanted = request.headers['x-tenant'];
  const named = typeof wanted === 'string' && wanted !== '';
  // The business is matched in the session's statement; only a miss asks whether it exists at all (which error to give).
  const member = roles === 'signed-in' ? undefined : { tenant: named ? (byId(wanted) ? { id: wanted } : { slug: wanted }) : undefined };
  const session = await findSession(db, credentials.token, clock.now(), member);
  if (session.status === 'expired') throw createError('BF_ERR_AUTH_TOKEN_EXPIRED');
  if (session.status !== 'ok') throw createError('BF_ERR_AUTH_REQUIRED');
  if (credentials.cookie) checkCsrf(request, credentials.token);
  if (roles === 'signed-in') {
    request.auth = { userId: session.userId, email: session.email, role: null, tenantId: '' };
    return;
  }
  const { membership } = session;
  if (!membership && named) await resolveTenantId(db, wanted);
  if (!membership) throw createError('BF_ERR_TENANT_NOT_MEMBER', { tenant: named ? wanted : '(none)' });
  request.auth = { userId: session.userId, email: session.email, role: membership.role, tenantId: membership.tenantId };
  request.tenantId = membership.tenantId;
  if (!roles.includes(membership.role)) throw createError('BF_ERR_AUTH_FORBIDDEN', { role: membership.role, allowed: roles.join(', ') });
}
