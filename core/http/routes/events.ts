import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import type { Db } from '../../../plugin-sdk.js';
import { createError } from '../../errors.js';
import { writeAudit } from '../../audit.js';
import { OUTBOX_CHANNEL } from '../../outbox/emit.js';

const tags = ['events'];
const ADMINS = ['owner', 'admin'] as const;
// The walker of the tenant-isolation test finds a delivery by the param's name (deliveryId → event_deliveries).
const DeliveryParams = Type.Object({ deliveryId: Type.String({ format: 'uuid' }) });

const columns = ['d.id', 'd.event_id as eventId', 'o.type', 'd.handler', 'd.attempts', 'd.last_error as lastError', 'o.created_at as createdAt', 'd.finished_at as failedAt'] as const;

/** Dead-letter deliveries of the business's events: what failed every attempt, and a retry. */
export function eventRoutes(app: FastifyInstance, db: Db): void {
  const dead = (q: Db, tenantId: string) => q.selectFrom('event_deliveries as d').innerJoin('outbox as o', 'o.id', 'd.event_id')
    .where('d.tenant_id', '=', tenantId).where('d.status', '=', 'dead');

  app.get('/events/dead', {
    schema: { tags, summary: 'Event deliveries that failed every attempt (handler, attempts, last error), newest first' },
    config: { roles: ADMINS },
  }, async (request) => ({
    items: (await dead(db, request.tenantId).select(columns).orderBy('d.finished_at', 'desc').orderBy('d.id').limit(200).execute())
      .map((r) => ({ ...r, eventId: String(r.eventId) })),
  }));

  app.post<{ Params: Static<typeof DeliveryParams> }>('/events/dead/:deliveryId/retry', {
    schema: { tags, summary: 'Deliver a dead-lettered event to its handler again, with a fresh set of attempts', params: DeliveryParams },
    config: { roles: ADMINS },
  }, async (request) => db.transaction().execute(async (trx) => {
    const { deliveryId } = request.params;
    const before = await dead(trx, request.tenantId).select(columns).where('d.id', '=', deliveryId).forUpdate('d').executeTakeFirst();
    if (!before) throw createError('BF_ERR_EVENT_DELIVERY_NOT_FOUND', { id: deliveryId });
    await trx.updateTable('event_deliveries').set({ status: 'pending', attempts: 0, next_attempt_at: sql`now()`, finished_at: null })
      .where('tenant_id', '=', request.tenantId).where('id', '=', deliveryId).execute();
    // It has a pending handler again; the dispatcher marks it dispatched when that one finishes.
    await trx.updateTable('outbox').set({ dispatched_at: null }).where('tenant_id', '=', request.tenantId).where('id', '=', before.eventId).execute();
    await writeAudit(trx, { tenantId: request.tenantId, actorId: request.auth!.userId, entity: 'event_delivery', entityId: deliveryId, action: 'retry', before: { ...before, status: 'dead' }, after: { ...before, attempts: 0, status: 'pending' } });
    await sql`SELECT pg_notify(${OUTBOX_CHANNEL}, ${String(before.eventId)})`.execute(trx);
    return { id: deliveryId, status: 'pending' };
  }));
}
