import { Type, type TObject, type TProperties } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { PluginContext, Tx } from '../../../plugin-sdk.js';
import { crudRoutes } from './crud.js';
import { Color, EVERYONE, IdParam, ResourceKind, ServiceKind, STAFF, Uuid } from './schemas.js';

const Name = Type.String({ minLength: 1, maxLength: 200 });
const Text = Type.String({ maxLength: 4000 });
const Sort = Type.Integer({ minimum: -1000000, maximum: 1000000 });
const Money = Type.Number({ minimum: 0, maximum: 100000000 });
const Minutes = (max: number, min = 0) => Type.Integer({ minimum: min, maximum: max });

const body = (props: TProperties, required: string[]): [TObject, TObject] => [
  Type.Object(Object.fromEntries(Object.entries(props).map(([k, v]) => [k, required.includes(k) ? v : Type.Optional(v)])), { additionalProperties: false }),
  Type.Object(Object.fromEntries(Object.entries(props).map(([k, v]) => [k, Type.Optional(v)])), { additionalProperties: false, minProperties: 1 }),
];

const [DepartmentCreate, DepartmentUpdate] = body({ name: Name, description: Text, sort: Sort }, ['name']);
const [ResourceCreate, ResourceUpdate] = body({
  departmentId: Uuid, kind: ResourceKind, name: Name, title: Type.String({ maxLength: 200 }), userId: Type.Union([Uuid, Type.Null()]), color: Color, active: Type.Boolean(), sort: Sort,
}, ['departmentId', 'kind', 'name']);
const [ServiceCreate, ServiceUpdate] = body({
  departmentId: Uuid, name: Name, description: Text, kind: ServiceKind, durationMin: Minutes(1440, 5), price: Money,
  bufferBeforeMin: Minutes(240), bufferAfterMin: Minutes(240), capacity: Type.Integer({ minimum: 1, maximum: 1000 }), color: Color,
  needsStaff: Type.Boolean(), requiresContract: Type.Boolean(), active: Type.Boolean(), sort: Sort,
  resourceIds: Type.Array(Uuid, { maxItems: 100, uniqueItems: true, description: 'rooms and equipment the service needs: one of each kind listed' }),
}, ['departmentId', 'name', 'durationMin']);
const Competency = Type.Object({ resourceId: Uuid, price: Type.Optional(Type.Union([Money, Type.Null()])), durationMin: Type.Optional(Type.Union([Minutes(1440, 5), Type.Null()])) }, { additionalProperties: false });
const CompetencyList = Type.Object({ items: Type.Array(Competency, { maxItems: 500 }) }, { additionalProperties: false });

async function checkDepartment(ctx: PluginContext, trx: Tx, tenantId: string, departmentId: unknown) {
  if (departmentId === undefined) return;
  const found = await trx.selectFrom('booking_departments').select('id').where('tenant_id', '=', tenantId).where('id', '=', String(departmentId)).where('deleted_at', 'is', null).executeTakeFirst();
  if (!found) throw ctx.error('BF_ERR_BOOKING_DEPARTMENT_NOT_FOUND', { id: departmentId });
}

async function resourcesOf(ctx: PluginContext, trx: Tx, tenantId: string, ids: string[], kinds: string[]) {
  const rows = ids.length ? await trx.selectFrom('booking_resources').select(['id', 'kind']).where('tenant_id', '=', tenantId).where('id', 'in', ids).where('deleted_at', 'is', null).execute() : [];
  for (const id of ids) {
    const r = rows.find((x) => x.id === id);
    if (!r) throw ctx.error('BF_ERR_BOOKING_RESOURCE_NOT_FOUND', { id });
    if (!kinds.includes(r.kind)) throw ctx.error('BF_ERR_BOOKING_RESOURCE_MISMATCH', { resourceId: id });
  }
}

/** Departments, resources, services and competencies (which staff perform which service). */
export function catalogRoutes(app: FastifyInstance, ctx: PluginContext): void {
  crudRoutes(app, ctx, { path: '/booking/departments', table: 'booking_departments', entity: 'booking_department', notFound: 'BF_ERR_BOOKING_DEPARTMENT_NOT_FOUND', create: DepartmentCreate, update: DepartmentUpdate, orderBy: ['sort', 'name'] });

  crudRoutes(app, ctx, {
    path: '/booking/resources', table: 'booking_resources', entity: 'booking_resource', notFound: 'BF_ERR_BOOKING_RESOURCE_NOT_FOUND', create: ResourceCreate, update: ResourceUpdate, orderBy: ['kind', 'sort', 'name'],
    async validate(trx, tenantId, b) {
      await checkDepartment(ctx, trx, tenantId, b.departmentId);
      // A linked user sees the resource's bookings as their own: only a member of this business.
      if (typeof b.userId === 'string' && !(await ctx.members.isMember(trx, tenantId, b.userId))) throw ctx.error('BF_ERR_BOOKING_USER_NOT_MEMBER', { userId: b.userId });
    },
  });

  crudRoutes(app, ctx, {
    path: '/booking/services', table: 'booking_services', entity: 'booking_service', notFound: 'BF_ERR_BOOKING_SERVICE_NOT_FOUND', create: ServiceCreate, update: ServiceUpdate,
    numeric: ['price'], extraFields: ['resourceIds'], orderBy: ['sort', 'name'],
    async validate(trx, tenantId, b) {
      await checkDepartment(ctx, trx, tenantId, b.departmentId);
      if (Array.isArray(b.resourceIds)) await resourcesOf(ctx, trx, tenantId, b.resourceIds as string[], ['room', 'equipment']);
    },
    async afterWrite(trx, tenantId, id, b) {
      if (!Array.isArray(b.resourceIds)) return;
      const ids = b.resourceIds as string[];
      await trx.deleteFrom('booking_service_resources').where('tenant_id', '=', tenantId).where('service_id', '=', id).execute();
      if (ids.length) await trx.insertInto('booking_service_resources').values(ids.map((resource_id) => ({ tenant_id: tenantId, service_id: id, resource_id }))).execute();
    },
    async decorate(tenantId, rows) {
      const ids = rows.map((r) => String(r.id));
      const [links, staff] = await Promise.all([
        ctx.db.selectFrom('booking_service_resources').select(['service_id', 'resource_id']).where('tenant_id', '=', tenantId).where('service_id', 'in', ids).execute(),
        ctx.db.selectFrom('booking_competencies').select(['service_id', 'resource_id']).where('tenant_id', '=', tenantId).where('service_id', 'in', ids).execute(),
      ]);
      return rows.map((r) => ({ ...r, resourceIds: links.filter((l) => l.service_id === r.id).map((l) => l.resource_id), staffIds: staff.filter((l) => l.service_id === r.id).map((l) => l.resource_id) }));
    },
  });

  app.get<{ Params: { id: string } }>('/booking/services/:id/staff', { schema: { tags: ['booking'], summary: 'Staff who perform the service, with their own price and duration', params: IdParam }, config: { roles: EVERYONE } }, async (request) => {
    const service = await ctx.db.selectFrom('booking_services').select('id').where('tenant_id', '=', request.tenantId).where('id', '=', request.params.id).where('deleted_at', 'is', null).executeTakeFirst();
    if (!service) throw ctx.error('BF_ERR_BOOKING_SERVICE_NOT_FOUND', { id: request.params.id });
    const rows = await ctx.db.selectFrom('booking_competencies').select(['resource_id', 'price', 'duration_min']).where('tenant_id', '=', request.tenantId).where('service_id', '=', request.params.id).execute();
    return { items: rows.map((c) => ({ resourceId: c.resource_id, price: c.price === null ? null : Number(c.price), durationMin: c.duration_min })) };
  });

  app.put<{ Params: { id: string }; Body: { items: Array<{ resourceId: string; price?: number | null; durationMin?: number | null }> } }>('/booking/services/:id/staff', {
    schema: { tags: ['booking'], summary: 'Replace the staff who perform the service', params: IdParam, body: CompetencyList }, config: { roles: STAFF },
  }, async (request) => {
    const { tenantId } = request;
    const serviceId = request.params.id;
    await ctx.transaction(async (trx) => {
      const service = await trx.selectFrom('booking_services').select('id').where('tenant_id', '=', tenantId).where('id', '=', serviceId).where('deleted_at', 'is', null).forUpdate().executeTakeFirst();
      if (!service) throw ctx.error('BF_ERR_BOOKING_SERVICE_NOT_FOUND', { id: serviceId });
      await resourcesOf(ctx, trx, tenantId, request.body.items.map((i) => i.resourceId), ['staff']);
      const before = await trx.selectFrom('booking_competencies').selectAll().where('tenant_id', '=', tenantId).where('service_id', '=', serviceId).execute();
      await trx.deleteFrom('booking_competencies').where('tenant_id', '=', tenantId).where('service_id', '=', serviceId).execute();
      const rows = request.body.items.map((i) => ({ tenant_id: tenantId, service_id: serviceId, resource_id: i.resourceId, price: i.price ?? null, duration_min: i.durationMin ?? null }));
      if (rows.length) await trx.insertInto('booking_competencies').values(rows).execute();
      await ctx.audit(trx, { tenantId, actorId: request.auth!.userId, entity: 'booking_service', entityId: serviceId, action: 'set-staff', before, after: rows });
    });
    return { items: request.body.items };
  });
}
