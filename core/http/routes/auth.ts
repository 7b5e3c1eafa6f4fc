import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Db } from '../../../plugin-sdk.js';
import { createError } from '../../errors.js';
import { verifyPassword } from '../../auth/passwords.js';
import { createSession, deleteSession } from '../../auth/sessions.js';
import { clearSessionCookies, requestToken, setSessionCookies } from '../../auth/cookies.js';
import { beginPasswordAttempt, loginSucceeded } from '../../auth/login-limits.js';
import type { Clock } from '../../clock.js';

const Login = Type.Object({ email: Type.String({ format: 'email', maxLength: 254 }), password: Type.String({ minLength: 1, maxLength: 200 }) }, { additionalProperties: false });

// A fixed hash to compare against when the email is unknown, so response time does not reveal which emails exist.
const DUMMY_HASH = 'scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA$' + 'A'.repeat(86);

export function authRoutes(app: FastifyInstance, db: Db, sessionTtlHours: number, clock: Clock): void {
  app.post<{ Body: Static<typeof Login> }>('/auth/login', {
    schema: { tags: ['auth'], summary: 'Sign in; returns a bearer token and sets the studio’s session cookie', body: Login },
    config: {
      roles: 'public',
      // Per address and email: slows password guessing without locking a whole office out.
      rateLimit: { max: 10, timeWindow: '1 minute', keyGenerator: (req: any) => `${req.ip}|${String(req.body?.email ?? '').toLowerCase()}` },
    },
  }, async (request, reply) => {
    await beginPasswordAttempt(db, request.ip, request.body.email, reply);
    const user = await db.selectFrom('users').select(['id', 'password_hash']).where((eb) => eb.fn('lower', ['email']), '=', request.body.email.toLowerCase()).where('deleted_at', 'is', null).executeTakeFirst();
    const ok = await verifyPassword(request.body.password, user?.password_hash ?? DUMMY_HASH);
    if (!user || !ok) throw createError('BF_ERR_AUTH_INVALID_CREDENTIALS');
    await loginSucceeded(db, request.ip, request.body.email);
    const { token, expiresAt } = await createSession(db, user.id, sessionTtlHours, clock.now());
    setSessionCookies(request, reply, token, expiresAt);
    return { token, expiresAt: expiresAt.toISOString() };
  });

  app.post('/auth/logout', { schema: { tags: ['auth'] }, config: { roles: 'signed-in' } }, async (request, reply) => {
    await deleteSession(db, requestToken(request)!.token);
    clearSessionCookies(reply);
    return reply.status(204).send();
  });

  app.get('/auth/me', { schema: { tags: ['auth'], summary: 'The signed-in user and their businesses' }, config: { roles: 'signed-in' } }, async (request) => {
    const user = await db.selectFrom('users').select(['id', 'email', 'name', 'locale']).where('id', '=', request.auth!.userId).executeTakeFirstOrThrow();
    const businesses = await db
      .selectFrom('memberships').innerJoin('tenants', 'tenants.id', 'memberships.tenant_id')
      .select(['tenants.id', 'tenants.slug', 'tenants.name', 'memberships.role'])
      .where('memberships.user_id', '=', user.id).where('memberships.deleted_at', 'is', null).where('tenants.deleted_at', 'is', null)
      .orderBy('memberships.created_at').execute();
    return { user, businesses };
  });
}
