/**
 * `npm run docs:events`: regenerates docs/events.md from the one event catalog —
 * core's CORE_EVENTS and the `events` of every plugin manifest.
 */
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { EventDefinition, JsonSchema } from '../../plugin-sdk.js';
import { CORE_EVENTS } from '../outbox/catalog.js';
import { catalogEntries, cell, PLUGINS_DIR, ROOT } from './catalog-doc.js';

export const EVENTS_DOC = path.join(ROOT, 'docs', 'events.md');

export interface EventEntry extends EventDefinition {
  type: string;
  owner: string;
}

/** Every event type with its owner, in type order. */
export function collectEvents(pluginsDir = PLUGINS_DIR): EventEntry[] {
  return catalogEntries(CORE_EVENTS, (m) => m.events, pluginsDir).map(({ key, owner, def }) => ({ type: key, owner, ...def }));
}

function typeOf(s: JsonSchema): string {
  if (Array.isArray(s.enum)) return `one of ${s.enum.map((v) => `\`${String(v)}\``).join(', ')}`;
  if ('const' in s) return `always \`${JSON.stringify(s.const)}\``;
  const types = [s.type].flat().filter(Boolean).map((t) => (t === 'array' ? `array of ${typeOf((s.items ?? {}) as JsonSchema)}` : String(t)));
  return `${types.join(' or ') || 'any'}${s.format ? ` (${String(s.format)})` : ''}`;
}

/** The payload's fields, nested ones as `parent.child`; `?` marks an optional one. */
export function payloadFields(schema: JsonSchema, prefix = ''): string[] {
  const required = new Set((schema.required ?? []) as string[]);
  return Object.entries((schema.properties ?? {}) as Record<string, JsonSchema>).flatMap(([name, s]) => {
    const field = `\`${prefix}${name}${required.has(name) ? '' : '?'}\` ${typeOf(s)}`;
    return s.properties ? [field, ...payloadFields(s, `${prefix}${name}.`)] : [field];
  });
}

export function eventRow(e: EventEntry): string {
  return `| \`${e.type}\` | ${e.owner} | ${cell(e.description)} | ${cell(payloadFields(e.payload).join('; '))} |`;
}

export function renderEventsDoc(entries: EventEntry[]): string {
  return [
    '# Domain events',
    '',
    'Every domain event, who emits it and the fields of its payload. Events are written to the outbox in the',
    'transaction of the change (`ctx.events.emit(trx, tenantId, type, payload)`) and delivered after commit to each',
    'handler (`PluginServer.events`) at least once. `emit` refuses a type that is not declared here',
    '(`BF_ERR_EVENT_UNKNOWN`) and a payload its schema rejects (`BF_ERR_EVENT_PAYLOAD_INVALID`); a plugin handling a',
    'type nobody declares does not load (`BF_ERR_EVENT_UNDECLARED_HANDLER`). Payloads are JSON: times are ISO 8601',
    'strings. `?` marks an optional field.',
    '',
    'Each (event, handler) pair is delivered on its own, in its own transaction: a handler that throws is retried',
    'with a growing delay (2 s, 4 s, … at most 10 min) without holding back other handlers or later events; after',
    '`EVENT_MAX_ATTEMPTS` (default 8) the pair is dead-lettered. Owners and administrators see dead deliveries in the',
    'studio (Settings → Event deliveries, `GET /api/v1/events/dead`) and retry them (`POST /api/v1/events/dead/{deliveryId}/retry`).',
    '',
    'This file is generated from `CORE_EVENTS` in `core/outbox/catalog.ts` and the plugins\' `plugin.json` `events`:',
    'after adding or changing an event run `npm run docs:events`. A test keeps the two in sync.',
    '',
    '| event | emitted by | what happened | payload |',
    '| --- | --- | --- | --- |',
    ...entries.map(eventRow),
    '',
  ].join('\n');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const entries = collectEvents();
  fs.writeFileSync(EVENTS_DOC, renderEventsDoc(entries));
  console.log(`Wrote ${path.relative(process.cwd(), EVENTS_DOC)}: ${entries.length} events`);
}
