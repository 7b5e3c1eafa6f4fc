import type { JsonSchema, LocalizedText, NodeTypeDefinition, PluginManifest } from '../../../plugin-sdk.js';
import { payloadFields, type PayloadField } from './payload-fields.js';

export const EVENT_TRIGGER = 'trigger.event';
export const FILTER_OPS = ['eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'contains', 'empty', 'notEmpty'] as const;
export const OFFSET_UNITS = ['minutes', 'hours', 'days'] as const;

/** An event a flow can be started by: declared by an installed plugin, with a payload field that holds a contact. */
export interface TriggerableEvent {
  type: string;
  plugin: string;
  label: LocalizedText;
  description: string;
  fields: PayloadField[];
}

export interface EventTriggerSettings {
  event: string;
  contactField: string;
  filter?: Array<{ field: string; op: (typeof FILTER_OPS)[number]; value?: unknown }>;
  offset?: { amount: number; unit: (typeof OFFSET_UNITS)[number]; direction: 'before' | 'after'; field?: string };
}

/** Every installed manifest's events that name a contact, in manifest order. */
export function triggerableEvents(manifests: PluginManifest[]): TriggerableEvent[] {
  return manifests.flatMap((m) => Object.entries(m.events ?? {}).map(([type, def]) => ({
    type, plugin: m.id, label: def.label ?? { en: type }, description: def.description, fields: payloadFields(def.payload),
  }))).filter((e) => e.fields.some((f) => f.contact));
}

const l = (en: string, ru: string, uk: string): LocalizedText => ({ en, ru, uk });
const oneOf = (values: string[]): JsonSchema => (values.length ? { enum: values } : { not: {} });

/** What the settings must satisfy once the event is chosen: its own fields, time fields and contact fields. */
function perEvent(e: TriggerableEvent): JsonSchema {
  return {
    if: { required: ['event'], properties: { event: { const: e.type } } },
    then: {
      properties: {
        contactField: oneOf(e.fields.filter((f) => f.contact).map((f) => f.path)),
        filter: {
          items: {
            properties: { field: oneOf(e.fields.map((f) => f.path)) },
            allOf: e.fields.map((f) => ({ if: { required: ['field', 'value'], properties: { field: { const: f.path } } }, then: { properties: { value: f.value } } })),
          },
        },
        offset: { properties: { field: oneOf(e.fields.filter((f) => f.time).map((f) => f.path)) } },
      },
    },
  };
}

/**
 * Core's `trigger.event` node type. Its schema is built once from the installed plugins' events (the set is
 * fixed while the app runs): the event is one of them, and the filter, offset and contact fields must be
 * fields of that event's payload, so a publish names the exact setting that does not fit.
 */
export function eventTriggerType(events: TriggerableEvent[]): NodeTypeDefinition {
  return {
    type: EVENT_TRIGGER,
    category: 'trigger',
    label: l('Event', 'Событие', 'Подія'),
    description: l(
      'Starts the flow for a client when something happens (a booking completed…), at once or a set time before or after a time of the event',
      'Запускает сценарий для клиента, когда что-то происходит (визит завершён…), сразу или за/через заданное время от времени события',
      'Запускає сценарій для клієнта, коли щось стається (візит завершено…), одразу або за/через заданий час від часу події',
    ),
    settingsSchema: {
      type: 'object',
      required: ['event', 'contactField'],
      additionalProperties: false,
      properties: {
        event: { enum: events.length ? events.map((e) => e.type) : [''], 'x-ui': { enumLabels: Object.fromEntries(events.map((e) => [e.type, e.label])) } },
        contactField: { type: 'string', minLength: 1, maxLength: 200 },
        filter: {
          type: 'array', maxItems: 20,
          items: {
            type: 'object', required: ['field', 'op'], additionalProperties: false,
            properties: { field: { type: 'string', minLength: 1, maxLength: 200 }, op: { enum: [...FILTER_OPS] }, value: {} },
          },
        },
        offset: {
          type: 'object', required: ['amount', 'unit', 'direction'], additionalProperties: false,
          properties: {
            amount: { type: 'integer', minimum: 1, maximum: 100000 },
            unit: { enum: [...OFFSET_UNITS] },
            direction: { enum: ['before', 'after'] },
            // absent: counted from the moment the event happened (which nothing can come before)
            field: { type: 'string', minLength: 1, maxLength: 200 },
          },
          if: { required: ['direction'], properties: { direction: { const: 'before' } } },
          then: { required: ['field'] },
        },
      },
      allOf: events.map(perEvent),
    },
    ports: [{ id: 'next', label: l('Next', 'Далее', 'Далі') }],
    writes: { event: 'json' },
  };
}
