import { randomUUID } from 'node:crypto';
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import type { Db, Role } from '../../plugin-sdk.js';
import type { Clock } from '../clock.js';
import { writeAudit } from '../audit.js';
import { createError } from '../errors.js';
import { emitEvent } from '../outbox/emit.js';
import { taskView, type TaskRow, type TaskService } from './service.js';

const tags = ['tasks'];
const EVERYONE = ['owner', 'admin', 'manager', 'specialist'] as const;
const IdParam = Type.Object({ id: Type.String({ format: 'uuid' }) }, { additionalProperties: false });
const ListQuery = Type.Object({
  status: Type.Union([Type.Literal('open'), Type.Literal('closed')], { default: 'open', description: 'open: to do now (snoozed ones come back when their time is up); closed: done or cancelled' }),
  contactId: Type.Optional(Type.String({ format: 'uuid' })),
  bookingId: Type.Optional(Type.String({ format: 'uuid' })),
  /** only tasks due before this time (e.g. the end of today in the business's zone) */
  dueBefore: Type.Optional(Type.String({ format: 'date-time' })),
  limit: Type.Integer({ minimum: 1, maximum: 200, default: 100 }),
}, { additionalProperties: false });
const DoneBody = Type.Object({ result: Type.Optional(Type.String({ maxLength: 2000 })) }, { additionalProperties: false });
const SnoozeBody = Type.Object({ until: Type.String({ format: 'date-time' }) }, { additionalProperties: false });
const NewBody = Type.Object({
  title: Type.String({ minLength: 1, maxLength: 500, pattern: '\\S' }),
  body: Type.Optional(Type.String({ maxLength: 4000 })),
  contactId: Type.Optional(Type.String({ format: 'uuid' })),
  bookingId: Type.Optional(Type.String({ format: 'uuid' })),
  dueAt: Type.Optional(Type.String({ format: 'date-time' })),
  assigneeId: Type.Optional(Type.String({ format: 'uuid' })),
}, { additionalProperties: false });

/**
 * /api/v1/tasks: the business's to-do list. A member sees the tasks for their role or assigned to them (the
 * owner sees all), and closes or snoozes them; the creating plugin closes its own when the reason went away.
 */
export function taskRoutes(app: FastifyInstance, db: Db, tasks: TaskService, clock: Clock): void {
  const config = { roles: [...EVERYONE] };
  const visible = (role: Role, userId: string) => (role === 'owner' ? sql<boolean>`true` : sql<boolean>`(${role} = ANY(roles) OR assignee_id = ${userId})`);
  const load = async (tenantId: string, id: string, role: Role, userId: string): Promise<TaskRow> => {
    const row = await db.selectFrom('tasks').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).where(visible(role, userId)).executeTakeFirst();
    if (!row) throw createError('BF_ERR_TASK_NOT_FOUND', { id });
    return row as TaskRow;
  };

  app.get<{ Querystring: Static<typeof ListQuery> }>('/tasks', { schema: { tags, summary: 'Tasks for the caller, soonest due first', querystring: ListQuery }, config }, async (request) => {
    const { role, userId } = request.auth! as { role: Role; userId: string };
    const q = request.query;
    const now = clock.now();
    let query = db.selectFrom('tasks').selectAll().where('tenant_id', '=', request.tenantId).where(visible(role, userId));
    query = q.status === 'open'
      ? query.where((eb) => eb.or([eb('status', '=', 'open'), eb.and([eb('status', '=', 'snoozed'), eb('snoozed_until', '<=', now)])]))
      : query.where('status', 'in', ['done', 'cancelled']);
    if (q.contactId) query = query.where('contact_id', '=', q.contactId);
    if (q.bookingId) query = query.where('booking_id', '=', q.bookingId);
    if (q.dueBefore) query = query.where('due_at', '<', new Date(q.dueBefore));
    const rows = await query.orderBy(q.status === 'open' ? 'due_at' : 'done_at', q.status === 'open' ? 'asc' : 'desc').limit(q.limit).execute();
    return { items: rows.map((r) => taskView(r as TaskRow)) };
  });

  app.post<{ Body: Static<typeof NewBody> }>('/tasks', { schema: { tags, summary: 'A task staff add by hand (call back, order supplies)', body: NewBody }, config: { roles: ['owner', 'admin', 'manager'] } }, async (request, reply) => {
    const b = request.body;
    const task = await db.transaction().execute(async (trx) => {
      const created = await tasks.create(trx, request.tenantId, 'core', {
        kind: 'manual', key: randomUUID(), title: { en: b.title }, body: b.body ? { en: b.body } : undefined,
        contactId: b.contactId, bookingId: b.bookingId, dueAt: b.dueAt ? new Date(b.dueAt) : undefined, assigneeId: b.assigneeId,
      });
      await writeAudit(trx, { tenantId: request.tenantId, actorId: request.auth!.userId, entity: 'task', entityId: created.id, action: 'create', after: { title: b.title } });
      return created;
    });
    return reply.status(201).send(task);
  });

  app.post<{ Params: Static<typeof IdParam>; Body: Static<typeof DoneBody> }>('/tasks/:id/done', { schema: { tags, summary: 'Mark the task done, with what came of it', params: IdParam, body: DoneBody }, config }, async (request) => {
    const { role, userId } = request.auth! as { role: Role; userId: string };
    const row = await load(request.tenantId, request.params.id, role, userId);
    if (row.status === 'done' || row.status === 'cancelled') return taskView(row);
    return db.transaction().execute(async (trx) => {
      const done = await tasks.close(trx, request.tenantId, row.plugin_id, row.key, { status: 'done', result: request.body.result, actorId: userId });
      await writeAudit(trx, { tenantId: request.tenantId, actorId: userId, entity: 'task', entityId: row.id, action: 'done', after: { result: request.body.result ?? null } });
      return done ?? taskView(row);
    });
  });

  app.post<{ Params: Static<typeof IdParam>; Body: Static<typeof SnoozeBody> }>('/tasks/:id/snooze', { schema: { tags, summary: 'Put the task off until a time', params: IdParam, body: SnoozeBody }, config }, async (request) => {
    const { role, userId } = request.auth! as { role: Role; userId: string };
    const row = await load(request.tenantId, request.params.id, role, userId);
    if (row.status === 'done' || row.status === 'cancelled') throw createError('BF_ERR_TASK_CLOSED', { id: row.id, status: row.status });
    const until = new Date(request.body.until);
    if (until <= clock.now()) throw createError('BF_ERR_TASK_SNOOZE_PAST', { field: '/body/until', until: request.body.until });
    return db.transaction().execute(async (trx) => {
      const updated = await trx.updateTable('tasks').set({ status: 'snoozed', snoozed_until: until }).where('tenant_id', '=', request.tenantId).where('id', '=', row.id).returningAll().executeTakeFirstOrThrow();
      await emitEvent(trx, request.tenantId, 'task.snoozed', { taskId: row.id, plugin: row.plugin_id, kind: row.kind, until: until.toISOString() });
      await writeAudit(trx, { tenantId: request.tenantId, actorId: userId, entity: 'task', entityId: row.id, action: 'snooze', after: { until: until.toISOString() } });
      return taskView(updated as TaskRow);
    });
  });
}
