import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Db, Tx } from '../../../plugin-sdk.js';
import { createError } from '../../errors.js';
import { writeAudit } from '../../audit.js';
import { hashPassword, verifyPassword } from '../../auth/passwords.js';
import { assertStrongPassword } from '../../auth/password-policy.js';
import { beginPasswordAttempt, loginSucceeded } from '../../auth/login-limits.js';
import { deleteUserSessions } from '../../auth/sessions.js';
import { clearSessionCookies, requestToken } from '../../auth/cookies.js';

const PasswordChange = Type.Object({
  currentPassword: Type.String({ minLength: 1, maxLength: 200 }),
  newPassword: Type.String({ minLength: 1, maxLength: 200 }),
}, { additionalProperties: false });

/** The token this request signed in with (the one session a password change keeps). */
const presentedToken = (request: FastifyRequest) => requestToken(request)?.token ?? '';

/** The audit log is per business: a change to the person is written to each business they belong to. */
async function auditPerson(trx: Tx, userId: string, action: string, after: Record<string, unknown>): Promise<void> {
  const memberships = await trx.selectFrom('memberships').select('tenant_id').where('user_id', '=', userId).where('deleted_at', 'is', null).execute();
  for (const m of memberships) await writeAudit(trx, { tenantId: m.tenant_id, actorId: userId, entity: 'user', entityId: userId, action, after });
}

/** The signed-in person's own account: their password and their sessions. */
export function accountRoutes(app: FastifyInstance, db: Db): void {
  app.post<{ Body: Static<typeof PasswordChange> }>('/auth/password', {
    schema: { tags: ['auth'], summary: 'Change your password; every other session of yours ends', body: PasswordChange },
    config: { roles: 'signed-in' },
  }, async (request, reply) => {
    const { userId, email } = request.auth!;
    assertStrongPassword(request.body.newPassword, '/body/newPassword');
    const user = await db.selectFrom('users').select('password_hash').where('id', '=', userId).executeTakeFirstOrThrow();
    // A stolen session must not become a way to guess the password faster than signing in would.
    await beginPasswordAttempt(db, request.ip, email, reply);
    if (!(await verifyPassword(request.body.currentPassword, user.password_hash))) throw createError('BF_ERR_AUTH_CURRENT_PASSWORD_WRONG');
    await loginSucceeded(db, request.ip, email);
    const hash = await hashPassword(request.body.newPassword);
    const revoked = await db.transaction().execute(async (trx) => {
      await trx.updateTable('users').set({ password_hash: hash }).where('id', '=', userId).execute();
      const n = await deleteUserSessions(trx, userId, presentedToken(request));
      await auditPerson(trx, userId, 'password-change', { otherSessionsEnded: n });
      return n;
    });
    return { otherSessionsEnded: revoked };
  });

  app.post('/auth/logout-all', { schema: { tags: ['auth'], summary: 'End every session of yours, this one included' }, config: { roles: 'signed-in' } }, async (request, reply) => {
    await db.transaction().execute(async (trx) => {
      const n = await deleteUserSessions(trx, request.auth!.userId);
      await auditPerson(trx, request.auth!.userId, 'logout-all', { sessionsEnded: n });
    });
    clearSessionCookies(reply);
    return reply.status(204).send();
  });
}
