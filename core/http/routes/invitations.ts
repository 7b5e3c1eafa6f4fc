import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import type { Db, Role } from '../../../plugin-sdk.js';
import { createError } from '../../errors.js';
import { writeAudit } from '../../audit.js';
import { hashPassword, verifyPassword } from '../../auth/passwords.js';
import { assertStrongPassword } from '../../auth/password-policy.js';
import { beginPasswordAttempt, loginSucceeded } from '../../auth/login-limits.js';
import { createSession, findSession } from '../../auth/sessions.js';
import { acceptInvitation, createInvitation, usableInvitation } from '../../auth/invitations.js';
import { checkCsrf, requestToken, setSessionCookies } from '../../auth/cookies.js';
import type { Clock } from '../../clock.js';

const RoleSchema = Type.Union((['owner', 'admin', 'manager', 'specialist'] as const).map((r) => Type.Literal(r)));
const NewInvitation = Type.Object({ email: Type.String({ format: 'email', maxLength: 254 }), role: RoleSchema }, { additionalProperties: false });
const IdParam = Type.Object({ id: Type.String({ format: 'uuid' }) });
const TokenParam = Type.Object({ token: Type.String({ minLength: 20, maxLength: 100, pattern: '^[A-Za-z0-9_-]+$' }) });
const Accept = Type.Object({
  password: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'a new account: the password it chooses; an existing one not signed in: its current password' })),
  name: Type.Optional(Type.String({ maxLength: 200, description: 'a new account: the name to show' })),
}, { additionalProperties: false });

export interface InvitationRouteOptions {
  sessionTtlHours: number;
  /** PUBLIC_URL: the links' base; else the address the inviter used */
  publicUrl: string | undefined;
  clock: Clock;
}


/** Owners and admins invite; the invitee opens the link, sets their own password when new, and accepts. */
export function invitationRoutes(app: FastifyInstance, db: Db, opts: InvitationRouteOptions): void {
  const mayHandle = (actor: Role | null, role: Role) => {
    if (role === 'owner' && actor !== 'owner') throw createError('BF_ERR_AUTH_FORBIDDEN', { role: actor, allowed: 'owner' });
  };

  app.post<{ Body: Static<typeof NewInvitation> }>('/members/invitations', {
    schema: { tags: ['businesses'], summary: 'Invite a team member by email; the answer (with the link) is the same whether or not the email has an account', body: NewInvitation },
    config: { roles: ['owner', 'admin'] },
  }, async (request, reply) => {
    const { email, role } = request.body;
    mayHandle(request.auth!.role, role);
    const invitation = await db.transaction().execute((trx) => createInvitation(trx, { tenantId: request.tenantId, email, role, invitedBy: request.auth!.userId }, opts.clock.now()));
    const link = `${opts.publicUrl ?? `${request.protocol}://${request.host}`}/studio/invite/${invitation.token}`;
    // No mailer yet: the inviter passes the link on, and the log keeps it for the operator.
    request.log.info({ invitationId: invitation.id, tenantId: request.tenantId, link }, 'invitation link');
    return reply.status(201).send({ id: invitation.id, email, role, expiresAt: invitation.expiresAt.toISOString(), link });
  });

  app.get('/members/invitations', { schema: { tags: ['businesses'], summary: 'Invitations not yet accepted or withdrawn' }, config: { roles: ['owner', 'admin'] } }, async (request) => {
    const rows = await db.selectFrom('invitations').select(['id', 'email', 'role', 'invited_by', 'created_at', 'expires_at'])
      .where('tenant_id', '=', request.tenantId).where('accepted_at', 'is', null).where('revoked_at', 'is', null).orderBy('created_at', 'desc').execute();
    const now = opts.clock.now();
    return { items: rows.map((r) => ({ id: r.id, email: r.email, role: r.role, invitedBy: r.invited_by, createdAt: r.created_at, expiresAt: r.expires_at, expired: new Date(r.expires_at) <= now })) };
  });

  app.delete<{ Params: Static<typeof IdParam> }>('/members/invitations/:id', { schema: { tags: ['businesses'], summary: 'Withdraw an invitation', params: IdParam }, config: { roles: ['owner', 'admin'] } }, async (request, reply) => {
    await db.transaction().execute(async (trx) => {
      const before = await trx.selectFrom('invitations').select(['id', 'email', 'role', 'expires_at']).where('id', '=', request.params.id).where('tenant_id', '=', request.tenantId)
        .where('accepted_at', 'is', null).where('revoked_at', 'is', null).forUpdate().executeTakeFirst();
      if (!before) throw createError('BF_ERR_INVITATION_NOT_FOUND', { id: request.params.id });
      mayHandle(request.auth!.role, before.role);
      await trx.updateTable('invitations').set({ revoked_at: sql`now()` }).where('id', '=', before.id).execute();
      await writeAudit(trx, { tenantId: request.tenantId, actorId: request.auth!.userId, entity: 'invitation', entityId: before.id, action: 'revoke', before });
    });
    return reply.status(204).send();
  });

  // Per address and link: the token itself is unguessable; this only slows a password guesser down further.
  const perLink = { max: 20, timeWindow: '1 minute', keyGenerator: (req: any) => `${req.ip}|${String(req.params?.token ?? '')}` };

  app.get<{ Params: Static<typeof TokenParam> }>('/invitations/:token', {
    schema: { tags: ['auth'], summary: 'What an invitation link offers: the business, the role, and whether the email already has an account (told only to the link holder)', params: TokenParam },
    config: { roles: 'public', rateLimit: perLink },
  }, async (request) => {
    const inv = await usableInvitation(db, request.params.token, opts.clock.now());
    const account = await db.selectFrom('users').select('id').where(sql`lower(email)`, '=', inv.email.toLowerCase()).where('deleted_at', 'is', null).executeTakeFirst();
    return { business: { name: inv.tenant_name, slug: inv.tenant_slug }, email: inv.email, role: inv.role, expiresAt: new Date(inv.expires_at).toISOString(), accountExists: !!account };
  });

  app.post<{ Params: Static<typeof TokenParam>; Body: Static<typeof Accept> }>('/invitations/:token/accept', {
    schema: { tags: ['auth'], summary: 'Accept an invitation: a new account sets its password here; an existing one is signed in as that email or gives its current password. Returns a sign-in token', params: TokenParam, body: Accept },
    config: { roles: 'public', rateLimit: perLink },
  }, async (request, reply) => {
    const inv = await usableInvitation(db, request.params.token, opts.clock.now());
    const { password, name } = request.body;
    // A public route, but the sign-in it may use is a cookie's too: that one needs the CSRF header, as everywhere.
    const presented = requestToken(request);
    if (presented?.cookie) checkCsrf(request, presented.token);
    const session = presented ? await findSession(db, presented.token, opts.clock.now()) : undefined;
    const account = await db.selectFrom('users').select(['id', 'password_hash']).where(sql`lower(email)`, '=', inv.email.toLowerCase()).where('deleted_at', 'is', null).executeTakeFirst();

    let userId: string | undefined;
    let newHash: string | undefined;
    if (session?.status === 'ok') {
      if (session.email.toLowerCase() !== inv.email.toLowerCase()) throw createError('BF_ERR_INVITATION_WRONG_ACCOUNT');
      userId = session.userId;
    } else if (password === undefined) {
      throw createError('BF_ERR_INVITATION_PASSWORD_REQUIRED', { path: '/body/password' });
    } else if (account) {
      // Its holder's own password, checked under the same limits as a sign-in; never replaced.
      await beginPasswordAttempt(db, request.ip, inv.email, reply);
      if (!(await verifyPassword(password, account.password_hash))) throw createError('BF_ERR_AUTH_INVALID_CREDENTIALS');
      await loginSucceeded(db, request.ip, inv.email);
      userId = account.id;
    } else {
      assertStrongPassword(password, '/body/password');
      newHash = await hashPassword(password);
    }

    const accepted = await db.transaction().execute(async (trx) => {
      const locked = await usableInvitation(trx, request.params.token, opts.clock.now(), true);
      if (newHash) {
        const created = await trx.insertInto('users').values({ email: locked.email, name: name ?? '', password_hash: newHash })
          .onConflict((oc) => oc.expression(sql`lower(email)`).doNothing()).returning('id').executeTakeFirst();
        // Someone made the account meanwhile: it is theirs, and this password must not become its password.
        if (!created) throw createError('BF_ERR_USER_EMAIL_TAKEN', { email: locked.email });
        userId = created.id;
      }
      await acceptInvitation(trx, locked, userId!);
      return locked;
    });
    const { token, expiresAt } = await createSession(db, userId!, opts.sessionTtlHours, opts.clock.now());
    setSessionCookies(request, reply, token, expiresAt);
    return { token, expiresAt: expiresAt.toISOString(), userId, tenant: { id: accepted.tenant_id, slug: accepted.tenant_slug }, role: accepted.role };
  });
}
