import type { Logger } from 'pino';
import type { DomainEvent, Tx } from '../../../plugin-sdk.js';
import type { Subscriber } from '../../outbox/dispatcher.js';
import type { Clock } from '../../clock.js';
import type { EventTriggerSettings, TriggerableEvent } from './event-trigger-type.js';
import type { FlowStarter } from './flow-starter.js';
import { planTrigger, type TriggerPlan } from './plan.js';

/** The handler key of an event type's triggers in event_deliveries (one delivery per event). */
export const triggerHandlerKey = (type: string) => `flow-triggers:${type}`;

/**
 * One core event handler per triggerable event type. Delivered like plugins' handlers (its own delivery
 * per event, retried alone), it only matches the business's subscribed triggers and writes one keyed start
 * job per match (`trigger:<flowId>:<nodeId>:<eventId>`, at most once): a start that fails later fails in
 * its own job, never holding up another trigger or handler.
 */
export function eventTriggerSubscribers(events: TriggerableEvent[], starter: FlowStarter, clock: Clock, log: Logger): Subscriber[] {
  return events.map((e) => {
    const timeFields = new Set(e.fields.filter((f) => f.time).map((f) => f.path));
    return {
      key: triggerHandlerKey(e.type),
      type: e.type,
      // Most businesses have no trigger on most events: those deliveries are written skipped at fan-out.
      live: async (tenantId: string, trx: Tx) => Boolean(await trx.selectFrom('flow_triggers').select('flow_id')
        .where('tenant_id', '=', tenantId).where('event_type', '=', e.type).limit(1).executeTakeFirst()),
      async handle(event: DomainEvent, trx: Tx) {
        const triggers = await trx.selectFrom('flow_triggers').select(['flow_id', 'node_id', 'settings'])
          .where('tenant_id', '=', event.tenantId).where('event_type', '=', event.type).execute();
        if (!triggers.length) return 'skipped';
        const { timezone } = await trx.selectFrom('tenants').select('timezone').where('id', '=', event.tenantId).executeTakeFirstOrThrow();
        const now = clock.now();
        // The event's own moment on the clock: how long ago it was written (the outbox stamps the real time).
        // real time: the age of the database's stamp
        const eventAt = new Date(now.getTime() - Math.max(0, Date.now() - event.createdAt.getTime()));
        for (const t of triggers) {
          let plan: TriggerPlan;
          try {
            plan = planTrigger({ settings: t.settings as EventTriggerSettings, payload: event.payload, timeFields, eventAt, now, timezone });
          } catch (err) {
            // Settings no publish would write: this trigger is left out, its neighbours on the event go on.
            log.error({ err, eventId: event.id, type: event.type, flowId: t.flow_id, nodeId: t.node_id }, 'event trigger failed');
            continue;
          }
          if ('skip' in plan) {
            log.debug({ eventId: event.id, type: event.type, flowId: t.flow_id, nodeId: t.node_id, reason: plan.skip }, 'event trigger not started');
            continue;
          }
          await starter.enqueue(trx, event.tenantId, `trigger:${t.flow_id}:${t.node_id}:${event.id}`, {
            contactId: plan.contactId, flowId: t.flow_id, nodeId: t.node_id, vars: { event: event.payload }, trigger: true,
          }, plan.runAt);
        }
        return 'done';
      },
    };
  });
}
