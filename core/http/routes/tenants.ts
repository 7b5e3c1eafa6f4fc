import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import type { Db, Tx } from '../../../plugin-sdk.js';
import { createError } from '../../errors.js';
import { writeAudit } from '../../audit.js';
import { assertMayCreateBusiness, type SignupPolicy } from '../../tenants/signup.js';

const Slug = Type.String({ pattern: '^[a-z0-9][a-z0-9-]{1,62}$' });
const Settings = {
  name: Type.String({ minLength: 1, maxLength: 200 }),
  timezone: Type.String({ minLength: 1, maxLength: 64 }),
  locale: Type.Union([Type.Literal('ru'), Type.Literal('en'), Type.Literal('uk')]),
  currency: Type.String({ pattern: '^[A-Z]{3}$' }),
  // ISO 3166 alpha-2: how the business's clients dial phones without a country code ("8 916…" in RU)
  country: Type.String({ pattern: '^[A-Z]{2}$' }),
};
// Optional: plugins show it (confirmations, receipts) when the business has one.
const Address = Type.Union([Type.String({ maxLength: 500 }), Type.Null()]);
const NewTenant = Type.Object({ slug: Slug, ...Settings, country: Type.Optional(Settings.country), address: Type.Optional(Address) }, { additionalProperties: false });
const HHMM = Type.String({ pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$' });
// Marketing messages wait for their end, in the business's zone; `from` after `to` spans midnight; null: none.
const QuietHours = Type.Union([Type.Object({ from: HHMM, to: HHMM }, { additionalProperties: false }), Type.Null()]);
const TenantPatch = Type.Partial(Type.Object({ ...Settings, address: Address, quietHours: QuietHours }, { additionalProperties: false }), { additionalProperties: false, minProperties: 1 });
// Whatever the old shape was: the route only points callers to invitations now.
const RemovedMemberBody = Type.Object({}, { additionalProperties: true });
const UserParam = Type.Object({ userId: Type.String({ format: 'uuid' }) });
const RolePatch = Type.Object({ role: Type.Union((['owner', 'admin', 'manager', 'specialist'] as const).map((r) => Type.Literal(r))) }, { additionalProperties: false });

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
const tenantColumns = ['id', 'slug', 'name', 'timezone', 'locale', 'currency', 'country', 'address', 'quiet_hours as quietHours', 'created_at'] as const;

export function tenantRoutes(app: FastifyInstance, db: Db, onCreated: (tenantId: string) => Promise<void>, signup: SignupPolicy): void {
  app.post<{ Body: Static<typeof NewTenant> }>('/tenants', { schema: { tags: ['businesses'], summary: 'Create a business; you become its owner', body: NewTenant }, config: { roles: 'signed-in' } }, async (request, reply) => {
    await assertMayCreateBusiness(db, signup, request.auth!);
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
      const { quietHours, ...settings } = request.body;
      const after = await trx.updateTable('tenants').set({ ...settings, ...(quietHours !== undefined ? { quiet_hours: quietHours && JSON.stringify(quietHours) } : {}) })
        .where('id', '=', request.tenantId).returning(tenantColumns).executeTakeFirstOrThrow();
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

  // Adding a member used to create their account with a password the adder chose; only the invitee accepts now.
  app.post('/members', { schema: { tags: ['businesses'], summary: 'Removed: invite with POST /members/invitations', deprecated: true, body: RemovedMemberBody }, config: { roles: ['owner', 'admin'] } }, async () => {
    throw createError('BF_ERR_MEMBER_INVITATION_REQUIRED', { use: 'POST /api/v1/members/invitations' });
  });

  /** Owners are made and unmade by owners only, and the last one stays (someone must be able to hand the business on). */
  const assertOwnersKept = async (trx: Tx, tenantId: string, actorRole: string | null | undefined, before: { id: string; role: string }, role: string | null) => {
    if ((before.role === 'owner' || role === 'owner') && actorRole !== 'owner') throw createError('BF_ERR_AUTH_FORBIDDEN', { role: actorRole, allowed: 'owner' });
    if (before.role !== 'owner' || role === 'owner') return;
    const owners = await trx.selectFrom('memberships').select('user_id').where('tenant_id', '=', tenantId).where('role', '=', 'owner').where('deleted_at', 'is', null).forUpdate().execute();
    if (owners.length <= 1) throw createError('BF_ERR_MEMBER_LAST_OWNER', { id: before.id });
  };

  app.patch<{ Params: Static<typeof UserParam>; Body: Static<typeof RolePatch> }>('/members/:userId', {
    schema: { tags: ['businesses'], summary: 'Change a member\'s role (owners only by owners; the last owner stays)', params: UserParam, body: RolePatch }, config: { roles: ['owner', 'admin'] },
  }, async (request) => db.transaction().execute(async (trx) => {
    const before = await memberQuery(request.tenantId, trx).where('users.id', '=', request.params.userId).executeTakeFirst();
    if (!before) throw createError('BF_ERR_USER_NOT_FOUND', { id: request.params.userId });
    if (before.role === request.body.role) return before;
    await assertOwnersKept(trx, request.tenantId, request.auth!.role, before, request.body.role);
    await trx.updateTable('memberships').set({ role: request.body.role }).where('tenant_id', '=', request.tenantId).where('user_id', '=', before.id).where('deleted_at', 'is', null).execute();
    const after = { ...before, role: request.body.role };
    await writeAudit(trx, { tenantId: request.tenantId, actorId: request.auth!.userId, entity: 'member', entityId: before.id, action: 'role', before, after });
    return after;
  }));

  app.delete<{ Params: Static<typeof UserParam> }>('/members/:userId', { schema: { tags: ['businesses'], params: UserParam }, config: { roles: ['owner'] } }, async (request, reply) => {
    await db.transaction().execute(async (trx) => {
      const before = await memberQuery(request.tenantId, trx).where('users.id', '=', request.params.userId).executeTakeFirst();
      if (!before) throw createError('BF_ERR_USER_NOT_FOUND', { id: request.params.userId });
      await assertOwnersKept(trx, request.tenantId, request.auth!.role, before, null);
      await trx.updateTable('memberships').set({ deleted_at: sql`now()` }).where('tenant_id', '=', request.tenantId).where('user_id', '=', request.params.userId).execute();
      await writeAudit(trx, { tenantId: request.tenantId, actorId: request.auth!.userId, entity: 'member', entityId: request.params.userId, action: 'delete', before });
    });
    return reply.status(204).send();
  });
}
