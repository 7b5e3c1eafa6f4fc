import { sql } from 'kysely';
import type { Db, LocalizedText, NewTask, Role, Task, TaskStatus, Tx } from '../../plugin-sdk.js';
import type { Clock } from '../clock.js';
import { emitEvent } from '../outbox/emit.js';

/** Who sees a task when its plugin names nobody: the people who run the desk. */
const DEFAULT_ROLES: Role[] = ['admin', 'manager'];

export interface TaskRow {
  id: string; plugin_id: string; kind: string; key: string; title: LocalizedText; body: LocalizedText | null;
  contact_id: string | null; booking_id: string | null; due_at: Date; roles: Role[]; assignee_id: string | null;
  data: Record<string, unknown>; status: TaskStatus; snoozed_until: Date | null; result: string | null;
  done_by: string | null; done_at: Date | null; created_at: Date;
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function taskView(r: TaskRow): Task {
  return {
    id: r.id, pluginId: r.plugin_id, kind: r.kind, key: r.key, title: r.title, body: r.body, contactId: r.contact_id,
    bookingId: r.booking_id, dueAt: r.due_at.toISOString(), roles: r.roles, assigneeId: r.assignee_id, data: r.data,
    status: r.status, snoozedUntil: iso(r.snoozed_until), result: r.result, doneBy: r.done_by, doneAt: iso(r.done_at),
    createdAt: r.created_at.toISOString(),
  };
}

/** The business's to-do list: plugins add by key (`ctx.tasks`), staff close and snooze them (core/tasks/routes.ts). */
export class TaskService {
  constructor(private readonly clock: Clock) {}

  async create(trx: Tx, tenantId: string, pluginId: string, task: NewTask): Promise<Task> {
    const now = this.clock.now();
    const inserted = await trx.insertInto('tasks').values({
      tenant_id: tenantId, plugin_id: pluginId, kind: task.kind, key: task.key, title: JSON.stringify(task.title),
      body: task.body ? JSON.stringify(task.body) : null, contact_id: task.contactId ?? null, booking_id: task.bookingId ?? null,
      due_at: task.dueAt ?? now, roles: sql`${task.roles ?? DEFAULT_ROLES}::text[]`, assignee_id: task.assigneeId ?? null,
      data: JSON.stringify(task.data ?? {}), created_at: now,
    }).onConflict((oc) => oc.columns(['tenant_id', 'plugin_id', 'key']).doNothing()).returningAll().executeTakeFirst();
    if (inserted) {
      await emitEvent(trx, tenantId, 'task.created', { taskId: inserted.id, plugin: pluginId, kind: task.kind, contactId: task.contactId ?? null, bookingId: task.bookingId ?? null });
      return taskView(inserted as TaskRow);
    }
    const [existing] = await this.find(trx, tenantId, pluginId, { key: task.key });
    return existing!;
  }

  async close(trx: Tx, tenantId: string, pluginId: string, key: string, close: { status: 'done' | 'cancelled'; result?: string; actorId?: string | null }): Promise<Task | null> {
    const row = await trx.updateTable('tasks')
      .set({ status: close.status, result: close.result ?? null, done_by: close.actorId ?? null, done_at: this.clock.now(), snoozed_until: null })
      .where('tenant_id', '=', tenantId).where('plugin_id', '=', pluginId).where('key', '=', key).where('status', 'in', ['open', 'snoozed'])
      .returningAll().executeTakeFirst();
    if (!row) return null;
    await emitEvent(trx, tenantId, 'task.closed', { taskId: row.id, plugin: pluginId, kind: row.kind, status: close.status, result: close.result ?? null });
    return taskView(row as TaskRow);
  }

  async find(q: Db | Tx, tenantId: string, pluginId: string, filter: { key?: string; contactId?: string; bookingId?: string; status?: TaskStatus[] }): Promise<Task[]> {
    let query = q.selectFrom('tasks').selectAll().where('tenant_id', '=', tenantId).where('plugin_id', '=', pluginId);
    if (filter.key !== undefined) query = query.where('key', '=', filter.key);
    if (filter.contactId !== undefined) query = query.where('contact_id', '=', filter.contactId);
    if (filter.bookingId !== undefined) query = query.where('booking_id', '=', filter.bookingId);
    if (filter.status?.length) query = query.where('status', 'in', filter.status);
    const rows = await query.orderBy('due_at').limit(500).execute();
    return rows.map((r) => taskView(r as TaskRow));
  }
}
