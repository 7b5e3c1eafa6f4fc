import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import type { Db, SoftDeletable, Tx } from '../../../plugin-sdk.js';
import { createError } from '../../errors.js';
import { writeAudit } from '../../audit.js';

const AuditQuery = Type.Object({
  entity: Type.Optional(Type.String({ maxLength: 64 })),
  entityId: Type.Optional(Type.String({ maxLength: 128 })),
  limit: Type.Integer({ minimum: 1, maximum: 500, default: 100 }),
}, { additionalProperties: false });
const RestoreParams = Type.Object({ entity: Type.String({ maxLength: 64 }), id: Type.String({ maxLength: 128 }) });

/** How an entity comes back when clearing deleted_at is not all (the restored row, or undefined when nothing was deleted). */
export type Restorer = (trx: Tx, tenantId: string, id: string) => Promise<Record<string, unknown> | undefined>;

/** The audit trail, and the trash: soft-deleted rows of registered entities, restorable by an admin. */
export function auditRoutes(app: FastifyInstance, db: Db, deletables: () => SoftDeletable[], restorers: Record<string, Restorer> = {}): void {
  app.get<{ Querystring: Static<typeof AuditQuery> }>('/audit', { schema: { tags: ['audit'], querystring: AuditQuery }, config: { roles: ['owner', 'admin'] } }, async (request) => {
    let q = db.selectFrom('audit_log').selectAll().where('tenant_id', '=', request.tenantId);
    if (request.query.entity) q = q.where('entity', '=', request.query.entity);
    if (request.query.entityId) q = q.where('entity_id', '=', request.query.entityId);
    return { items: await q.orderBy('id', 'desc').limit(request.query.limit).execute() };
  });

  app.get('/trash', { schema: { tags: ['audit'], summary: 'Deleted items that can be restored' }, config: { roles: ['owner', 'admin'] } }, async (request) => {
    const items = [];
    for (const d of deletables()) {
      const rows = await db.selectFrom(d.table).select([sql<string>`${sql.ref(d.idColumn ?? 'id')}::text`.as('id'), sql<string>`${sql.ref(d.label)}::text`.as('label'), 'deleted_at'])
        .where('tenant_id', '=', request.tenantId).where('deleted_at', 'is not', null).orderBy('deleted_at', 'desc').limit(200).execute();
      items.push(...rows.map((r) => ({ entity: d.entity, ...r })));
    }
    return { entities: deletables().map((d) => d.entity), items };
  });

  app.post<{ Params: Static<typeof RestoreParams> }>('/trash/:entity/:id/restore', { schema: { tags: ['audit'], params: RestoreParams }, config: { roles: ['owner', 'admin'] } }, async (request) => {
    const d = deletables().find((x) => x.entity === request.params.entity);
    if (!d) throw createError('BF_ERR_TRASH_UNKNOWN_ENTITY', { entity: request.params.entity });
    const idColumn = d.idColumn ?? 'id';
    return db.transaction().execute(async (trx) => {
      // Admins cannot grant the owner role, so they cannot bring back an owner either.
      if (d.table === 'memberships' && request.auth!.role !== 'owner') {
        const member = await trx.selectFrom('memberships').select('role')
          .where('tenant_id', '=', request.tenantId).where(sql`user_id::text`, '=', request.params.id).where('deleted_at', 'is not', null).executeTakeFirst();
        if (member?.role === 'owner') throw createError('BF_ERR_AUTH_FORBIDDEN', { role: request.auth!.role, allowed: 'owner' });
      }
      const restorer = restorers[d.entity];
      const restored = restorer ? await restorer(trx, request.tenantId, request.params.id) : await trx.updateTable(d.table).set({ deleted_at: null })
        .where('tenant_id', '=', request.tenantId).where(sql`${sql.ref(idColumn)}::text`, '=', request.params.id).where('deleted_at', 'is not', null)
        .returningAll().executeTakeFirst()
        .catch((e: { code?: string; constraint?: string }) => {
          // A unique index the row would break again, e.g. its key or phone is in use by a newer row.
          if (e.code === '23505') throw createError('BF_ERR_TRASH_CONFLICT', { entity: d.entity, id: request.params.id, constraint: e.constraint });
          throw e;
        });
      if (!restored) throw createError('BF_ERR_TRASH_NOT_FOUND', { entity: d.entity, id: request.params.id });
      await writeAudit(trx, { tenantId: request.tenantId, actorId: request.auth!.userId, entity: d.entity, entityId: request.params.id, action: 'restore', after: restored });
      return { entity: d.entity, id: request.params.id, restored: true };
    });
  });
}
