import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { PluginContext } from '../../../plugin-sdk.js';
import { assertCanSee } from '../lib/cards.js';
import { allBookings } from '../lib/status.js';
import { ContactParam, STAFF, Uuid } from './schemas.js';

const CourseBody = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 200, pattern: '\\S' }),
  serviceId: Uuid,
  count: Type.Integer({ minimum: 1, maximum: 100 }),
  intervalDays: Type.Integer({ minimum: 1, maximum: 365 }),
  promotion: Type.Optional(Type.String({ maxLength: 500, description: 'a promotion on this course: staff offer it to clients it was prescribed to' })),
}, { additionalProperties: false });
const IdParam = Type.Object({ id: Uuid }, { additionalProperties: false });
const ResourceParam = Type.Object({ resourceId: Uuid }, { additionalProperties: false });
const PrescribeBody = Type.Object({
  courseId: Uuid,
  doctorResourceId: Uuid,
  count: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
  intervalDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 365 })),
}, { additionalProperties: false });
const COURSE = ['id', 'name', 'service_id as serviceId', 'count', 'interval_days as intervalDays', 'promotion'] as const;

/** The catalog of prescribable courses («бархатный сезон — услуги»), doctors among the staff, and prescriptions on guest cards. */
export function courseRoutes(app: FastifyInstance, ctx: PluginContext): void {
  const staffOf = async (tenantId: string, id: string, field: string) => {
    const r = (await ctx.service('booking').resources(tenantId)).find((x) => x.id === id && x.kind === 'staff');
    if (!r) throw ctx.error('BF_ERR_CRM_RESOURCE_NOT_FOUND', { id, field });
    return r;
  };

  app.get('/crm/courses', { schema: { tags: ['crm'], summary: 'Prescribable courses' }, config: { roles: [...STAFF, 'specialist'] } }, async (request) => ({
    items: await ctx.db.selectFrom('crm_courses').select(COURSE).where('tenant_id', '=', request.tenantId).where('deleted_at', 'is', null).orderBy('name').execute(),
  }));

  app.post<{ Body: Static<typeof CourseBody> }>('/crm/courses', { schema: { tags: ['crm'], body: CourseBody }, config: { roles: [...STAFF] } }, async (request, reply) => {
    const { tenantId, body } = request;
    if (!(await ctx.service('booking').services(tenantId)).some((s) => s.id === body.serviceId)) throw ctx.error('BF_ERR_CRM_SERVICE_NOT_FOUND', { id: body.serviceId, field: 'serviceId' });
    const course = await ctx.transaction(async (trx) => {
      const row = await trx.insertInto('crm_courses').values({ tenant_id: tenantId, name: body.name, service_id: body.serviceId, count: body.count, interval_days: body.intervalDays, promotion: body.promotion ?? '' })
        .returning(COURSE).executeTakeFirstOrThrow();
      await ctx.audit(trx, { tenantId, actorId: request.auth!.userId, entity: 'crm_course', entityId: row.id, action: 'create', after: row });
      return row;
    });
    return reply.status(201).send(course);
  });

  app.delete<{ Params: Static<typeof IdParam> }>('/crm/courses/:id', { schema: { tags: ['crm'], params: IdParam }, config: { roles: [...STAFF] } }, async (request, reply) => {
    await ctx.transaction(async (trx) => {
      const before = await trx.updateTable('crm_courses').set({ deleted_at: ctx.now() }).where('tenant_id', '=', request.tenantId).where('id', '=', request.params.id).where('deleted_at', 'is', null).returningAll().executeTakeFirst();
      if (!before) throw ctx.error('BF_ERR_CRM_COURSE_NOT_FOUND', { id: request.params.id });
      await ctx.audit(trx, { tenantId: request.tenantId, actorId: request.auth!.userId, entity: 'crm_course', entityId: request.params.id, action: 'delete', before });
    });
    return reply.status(204).send();
  });

  app.get('/crm/doctors', { schema: { tags: ['crm'], summary: 'Staff marked as doctors (they prescribe courses)' }, config: { roles: [...STAFF, 'specialist'] } }, async (request) => ({
    items: (await ctx.db.selectFrom('crm_doctors').select('resource_id').where('tenant_id', '=', request.tenantId).execute()).map((r) => r.resource_id),
  }));

  app.put<{ Params: Static<typeof ResourceParam> }>('/crm/doctors/:resourceId', { schema: { tags: ['crm'], summary: 'Mark a specialist as a doctor', params: ResourceParam }, config: { roles: [...STAFF] } }, async (request, reply) => {
    await staffOf(request.tenantId, request.params.resourceId, 'resourceId');
    await ctx.transaction(async (trx) => {
      await trx.insertInto('crm_doctors').values({ tenant_id: request.tenantId, resource_id: request.params.resourceId }).onConflict((oc) => oc.doNothing()).execute();
      await ctx.audit(trx, { tenantId: request.tenantId, actorId: request.auth!.userId, entity: 'crm_doctor', entityId: request.params.resourceId, action: 'mark' });
    });
    return reply.status(204).send();
  });

  app.delete<{ Params: Static<typeof ResourceParam> }>('/crm/doctors/:resourceId', { schema: { tags: ['crm'], params: ResourceParam }, config: { roles: [...STAFF] } }, async (request, reply) => {
    // Another business's resource answers like a missing one.
    await staffOf(request.tenantId, request.params.resourceId, 'resourceId');
    await ctx.transaction(async (trx) => {
      await trx.deleteFrom('crm_doctors').where('tenant_id', '=', request.tenantId).where('resource_id', '=', request.params.resourceId).execute();
      await ctx.audit(trx, { tenantId: request.tenantId, actorId: request.auth!.userId, entity: 'crm_doctor', entityId: request.params.resourceId, action: 'unmark' });
    });
    return reply.status(204).send();
  });

  app.post<{ Params: Static<typeof ContactParam>; Body: Static<typeof PrescribeBody> }>('/crm/cards/:contactId/prescriptions', {
    schema: { tags: ['crm'], summary: 'A doctor prescribes a course (its count and interval unless given)', params: ContactParam, body: PrescribeBody }, config: { roles: [...STAFF, 'specialist'] },
  }, async (request, reply) => {
    const { tenantId, auth, body } = request;
    const doctor = await staffOf(tenantId, body.doctorResourceId, 'doctorResourceId');
    // A specialist prescribes only as themselves.
    if (auth?.role === 'specialist' && doctor.userId !== auth.userId) throw ctx.error('BF_ERR_CRM_NOT_DOCTOR', { name: doctor.name, field: 'doctorResourceId' });
    await assertCanSee(ctx, tenantId, request.params.contactId, auth, () => allBookings(ctx, tenantId, request.params.contactId));
    const row = await ctx.transaction(async (trx) => {
      if (!(await ctx.contacts.get(trx, tenantId, request.params.contactId))) throw ctx.error('BF_ERR_CRM_CONTACT_NOT_FOUND', { id: request.params.contactId });
      const isDoctor = await trx.selectFrom('crm_doctors').select('resource_id').where('tenant_id', '=', tenantId).where('resource_id', '=', doctor.id).executeTakeFirst();
      if (!isDoctor) throw ctx.error('BF_ERR_CRM_NOT_DOCTOR', { name: doctor.name, field: 'doctorResourceId' });
      const course = await trx.selectFrom('crm_courses').selectAll().where('tenant_id', '=', tenantId).where('id', '=', body.courseId).where('deleted_at', 'is', null).executeTakeFirst();
      if (!course) throw ctx.error('BF_ERR_CRM_COURSE_NOT_FOUND', { id: body.courseId, field: 'courseId' });
      const created = await trx.insertInto('crm_prescriptions').values({
        tenant_id: tenantId, contact_id: request.params.contactId, course_id: course.id, doctor_resource_id: doctor.id,
        count: body.count ?? course.count, interval_days: body.intervalDays ?? course.interval_days, prescribed_at: ctx.now(),
      }).returning(['id', 'course_id as courseId', 'count', 'interval_days as intervalDays', 'prescribed_at as prescribedAt']).executeTakeFirstOrThrow();
      await ctx.audit(trx, { tenantId, actorId: auth!.userId, entity: 'crm_prescription', entityId: created.id, action: 'create', after: created });
      return created;
    });
    return reply.status(201).send(row);
  });
}
