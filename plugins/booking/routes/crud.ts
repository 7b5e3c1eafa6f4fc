import type { TObject } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { PluginContext, Tx } from '../../../plugin-sdk.js';
import { camelRow, snakeKeys } from '../lib/case.js';
import { ADMINS, EVERYONE, IdParam, STAFF } from './schemas.js';

export interface CrudDefinition {
  /** URL below /api/v1, e.g. /booking/departments */
  path: string;
  table: string;
  entity: string;
  notFound: string;
  create: TObject;
  update: TObject;
  /** money columns returned as numbers */
  numeric?: string[];
  /** fields of the body that are not columns (written by afterWrite) */
  extraFields?: string[];
  /** checks the body before the row is written, on the same transaction */
  validate?(trx: Tx, tenantId: string, body: Record<string, unknown>): Promise<void>;
  /** writes beyond the row, on the same transaction */
  afterWrite?(trx: Tx, tenantId: string, id: string, body: Record<string, unknown>): Promise<void>;
  /** adds related data to one shown row */
  decorate?(tenantId: string, rows: Record<string, unknown>[]): Promise<Record<string, unknown>[]>;
  orderBy?: string[];
}

/**
 * List, read, create, update and soft-delete of one catalog table, each write audited.
 * The catalog is small per business, so lists are not paged.
 */
export function crudRoutes(app: FastifyInstance, ctx: PluginContext, def: CrudDefinition): void {
  const tags = ['booking'];
  const show = async (tenantId: string, rows: Record<string, unknown>[]) => {
    const shown = rows.map((r) => camelRow(r, def.numeric));
    return def.decorate ? def.decorate(tenantId, shown) : shown;
  };
  const columns = (body: Record<string, unknown>) => snakeKeys(Object.fromEntries(Object.entries(body).filter(([k]) => !def.extraFields?.includes(k))));
  const notFound = (id: string) => ctx.error(def.notFound, { id });

  app.get(def.path, { schema: { tags, summary: `List ${def.entity}s` }, config: { roles: EVERYONE } }, async (request) => {
    let q = ctx.db.selectFrom(def.table).selectAll().where('tenant_id', '=', request.tenantId).where('deleted_at', 'is', null);
    for (const col of def.orderBy ?? ['created_at']) q = q.orderBy(col as any);
    return { items: await show(request.tenantId, await q.orderBy('id').execute()) };
  });

  app.get<{ Params: { id: string } }>(`${def.path}/:id`, { schema: { tags, params: IdParam }, config: { roles: EVERYONE } }, async (request) => {
    const row = await ctx.db.selectFrom(def.table).selectAll().where('tenant_id', '=', request.tenantId).where('id', '=', request.params.id).where('deleted_at', 'is', null).executeTakeFirst();
    if (!row) throw notFound(request.params.id);
    return (await show(request.tenantId, [row]))[0];
  });

  app.post<{ Body: Record<string, unknown> }>(def.path, { schema: { tags, body: def.create }, config: { roles: STAFF } }, async (request, reply) => {
    const row = await ctx.transaction(async (trx) => {
      await def.validate?.(trx, request.tenantId, request.body);
      const created = await trx.insertInto(def.table).values({ ...columns(request.body), tenant_id: request.tenantId }).returningAll().executeTakeFirstOrThrow();
      await def.afterWrite?.(trx, request.tenantId, created.id, request.body);
      await ctx.audit(trx, { tenantId: request.tenantId, actorId: request.auth!.userId, entity: def.entity, entityId: created.id, action: 'create', after: { ...created, ...request.body } });
      return created;
    });
    return reply.status(201).send((await show(request.tenantId, [row]))[0]);
  });

  app.patch<{ Params: { id: string }; Body: Record<string, unknown> }>(`${def.path}/:id`, { schema: { tags, params: IdParam, body: def.update }, config: { roles: STAFF } }, async (request) => {
    const { id } = request.params;
    const row = await ctx.transaction(async (trx) => {
      const before = await trx.selectFrom(def.table).selectAll().where('tenant_id', '=', request.tenantId).where('id', '=', id).where('deleted_at', 'is', null).forUpdate().executeTakeFirst();
      if (!before) throw notFound(id);
      await def.validate?.(trx, request.tenantId, request.body);
      const set = columns(request.body);
      const after = Object.keys(set).length
        ? await trx.updateTable(def.table).set(set).where('tenant_id', '=', request.tenantId).where('id', '=', id).returningAll().executeTakeFirstOrThrow()
        : before;
      await def.afterWrite?.(trx, request.tenantId, id, request.body);
      await ctx.audit(trx, { tenantId: request.tenantId, actorId: request.auth!.userId, entity: def.entity, entityId: id, action: 'update', before, after: { ...after, ...request.body } });
      return after;
    });
    return (await show(request.tenantId, [row]))[0];
  });

  app.delete<{ Params: { id: string } }>(`${def.path}/:id`, { schema: { tags, params: IdParam }, config: { roles: ADMINS } }, async (request, reply) => {
    await ctx.transaction(async (trx) => {
      const before = await trx.updateTable(def.table).set({ deleted_at: ctx.now() }).where('tenant_id', '=', request.tenantId).where('id', '=', request.params.id).where('deleted_at', 'is', null).returningAll().executeTakeFirst();
      if (!before) throw notFound(request.params.id);
      await ctx.audit(trx, { tenantId: request.tenantId, actorId: request.auth!.userId, entity: def.entity, entityId: request.params.id, action: 'delete', before });
    });
    return reply.status(204).send();
  });
}
