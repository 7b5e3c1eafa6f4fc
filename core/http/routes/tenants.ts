import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import type { Db, Tx } from '../../../plugin-sdk.js';
import { createError } from '../../errors.js';
import { writeAudit } from '../../audit.js';
import { hashPassword } from '../../auth/passwords.js';

const Slug = Type.String({ pattern: '^[a-z0-9][a-z0-9-]{1,62}$' });
const Settings = {
  name: Type.String({ minLength: 1, maxLength: 200 }),
  timezone: Type.String({ minLength: 1, maxLength: 64 }),
  locale: Type.Union([Type.Literal('ru'), Type.Literal('en'), Type.Literal('uk')]),
  currency: Type.String({ pattern: '^[A-Z]{3}$' }),
};
// Optional: plugins show it (confirmations, receipts) when the business has one.
const Address = Type.Union([Type.String({ maxLength: 500 }), Type.Null()]);
const NewTenant = Type.Object({ slug: Slug, ...Settings, address: Type.Optional(Address) }, { additionalProperties: false });
const TenantPatch = Type.Partial(Type.Object({ ...Settings, address: Address }, { additionalProperties: false }), { additionalProperties: false, minProperties: 1 });
const RoleSchema = Type.Union(['owner', 'admin', 'manager', 'specialist'].map((r) => Type.Literal(r)));
const NewMember = Type.Object({ email: Type.String({ format: 'email' }), name: Type.Optional(Type.String({ maxLength: 200 })), role: RoleSchema, password: Type.String({ minLength: 8, maxLength: 200 }) }, { additionalProperties: false });
const UserParam = Type.Object({ userId: Type.String({ format: 'uuid' }) });

const isValidZone = (tz: string) => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
};
const checkZone = (tz: string | undefined) => {
  if (tz !== undefined && !isValidZone(tz)) throw createError('BF_ERR_VALIDATION_FAILED', { errors: [{ path: '/body/timezone', message: `unknown time zone "${tz}"` }] });
};
const tenantColumns = ['id', 'slug', 'name', 'timezone', 'locale', 'currency', 'address', 'created_at'] as const;

export function tenantRoutes(app: FastifyInstance, db: Db, onCreated: (tenantId: string) => Promise<void>): void {
  app.post<{ Body: Static<typeof NewTenant> }>('/tenants', { schema: { tags: ['businesses'], summary: 'Create a business; you become its owner', body: NewTenant }, config: { roles: 'signed-in' } }, async (request, reply) => {
    checkZone(request.body.timezone);
    const tenant = await db.transaction().execute(async (trx) => {
      const taken = await trx.selectFrom('tenants').select('id').where('slug', '=', request.body.slug).executeTakeFirst();
      if (taken) throw createError('BF_ERR_TENANT_SLUG_TAKEN', { slug: request.body.slug });
      const row = await trx.insertInto('tenants').values(request.body).returning(tenantColumns).executeTakeFirstOrThrow();
      await trx.insertInto('memberships').values({ tenant_id: row.id, user_id: request.auth!.userId, role: 'owner' }).execute();
      await writeAudit(trx, { tenantId: row.id, actorId: request.auth!.userId, entity: 'tenant', entityId: row.id, action: 'create', after: row });
      return row;
    });
    await onCreated(tenant.id);
    return reply.status(201).send(tenant);
  });

  app.get('/tenant', { schema: { tags: ['businesses'], summary: 'The current business (X-Tenant header, else your first)' }, config: { roles: ['owner', 'admin', 'manager', 'specialist'] } }, async (request) =>
    db.selectFrom('tenants').select(tenantColumns).where('id', '=', request.tenantId).executeTakeFirstOrThrow(),
  );

  app.patch<{ Body: Static<typeof TenantPatch> }>('/tenant', { schema: { tags: ['businesses'], body: TenantPatch }, config: { roles: ['owner', 'admin'] } }, async (request) => {
    checkZone(request.body.timezone);
    return db.transaction().execute(async (trx) => {
      const before = await trx.selectFrom('tenants').select(tenantColumns).where('id', '=', request.tenantId).forUpdate().executeTakeFirstOrThrow();
      const after = await trx.updateTable('tenants').set(request.body).where('id', '=', request.tenantId).returning(tenantColumns).executeTakeFirstOrThrow();
      await writeAudit(trx, { tenantId: request.tenantId, actorId: request.auth!.userId, entity: 'tenant', entityId: request.tenantId, action: 'update', before, after });
      return after;
    });
  });

  // In a transaction, pass it: waiting for a second pool connection while holding one can exhaust the pool.
  const memberQuery = (tenantId: string, q: Db | Tx = db) =>
    q.selectFrom('memberships').innerJoin('users', 'users.id', 'memberships.user_id')
      .select(['users.id', 'users.email', 'users.name', 'memberships.role', 'memberships.created_at'])
      .where('memberships.tenant_id', '=', tenantId).where('memberships.deleted_at', 'is', null);

  app.get('/members', { schema: { tags: ['businesses'] }, config: { roles: ['owner', 'admin'] } }, async (request) => ({ items: await memberQuery(request.tenantId).orderBy('users.email').execute() }));

  app.post<{ Body: Static<typeof NewMember> }>('/members', { schema: { tags: ['businesses'], summary: 'Add a team member (creates the user when new)', body: NewMember }, config: { roles: ['owner', 'admin'] } }, async (request, reply) => {
    const { email, name, role, password } = request.body;
    if (role === 'owner' && request.auth!.role !== 'owner') throw createError('BF_ERR_AUTH_FORBIDDEN', { role: request.auth!.role, allowed: 'owner' });
    const member = await db.transaction().execute(async (trx) => {
      let user = await trx.selectFrom('users').select(['id']).where(sql`lower(email)`, '=', email.toLowerCase()).executeTakeFirst();
      if (!user) user = await trx.insertInto('users').values({ email, name: name ?? '', password_hash: await hashPassword(password) }).returning('id').executeTakeFirstOrThrow();
      const existing = await trx.selectFrom('memberships').select('deleted_at').where('tenant_id', '=', request.tenantId).where('user_id', '=', user.id).executeTakeFirst();
      if (existing && !existing.deleted_at) throw createError('BF_ERR_USER_EMAIL_TAKEN', { email });
      await trx.insertInto('memberships').values({ tenant_id: request.tenantId, user_id: user.id, role })
        .onConflict((oc) => oc.columns(['tenant_id', 'user_id']).doUpdateSet({ role, deleted_at: null })).execute();
      await writeAudit(trx, { tenantId: request.tenantId, actorId: request.auth!.userId, entity: 'member', entityId: user.id, action: 'create', after: { email, role } });
      return { id: user.id, email, name: name ?? '', role };
    });
    return reply.status(201).send(member);
  });

  app.delete<{ Params: Static<typeof UserParam> }>('/members/:userId', { schema: { tags: ['businesses'], params: UserParam }, config: { roles: ['owner'] } }, async (request, reply) => {
    await db.transaction().execute(async (trx) => {
      const before = await memberQuery(request.tenantId, trx).where('users.id', '=', request.params.userId).executeTakeFirst();
      if (!before) throw createError('BF_ERR_USER_NOT_FOUND', { id: request.params.userId });
      await trx.updateTable('memberships').set({ deleted_at: sql`now()` }).where('tenant_id', '=', request.tenantId).where('user_id', '=', request.params.userId).execute();
      await writeAudit(trx, { tenantId: request.tenantId, actorId: request.auth!.userId, entity: 'member', entityId: request.params.userId, action: 'delete', before });
    });
    return reply.status(204).send();
  });
}
