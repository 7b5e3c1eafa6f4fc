import type { FastifyInstance } from 'fastify';
import type { PluginHost } from '../../plugins/host.js';
import type { TriggerableEvent } from './event-trigger-type.js';

/** The events the studio's event trigger offers: those of the business's enabled plugins, with their payload fields. */
export function flowEventRoutes(app: FastifyInstance, host: PluginHost, events: TriggerableEvent[]): void {
  app.get('/flow-events', {
    schema: { tags: ['flows'], summary: 'Events a flow can be started by (trigger.event), with their payload fields: time fields for offsets, contact fields' },
    config: { roles: ['owner', 'admin', 'manager'] },
  }, async (request) => {
    const items = [];
    for (const e of events) {
      if (!(await host.isEnabled(request.tenantId, e.plugin))) continue;
      items.push({ type: e.type, plugin: e.plugin, label: e.label, description: e.description, fields: e.fields.map(({ value: _value, ...f }) => f) });
    }
    return { items };
  });
}
