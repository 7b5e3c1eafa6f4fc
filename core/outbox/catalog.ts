/**
 * The one event catalog: every domain event type with the JSON Schema of its payload.
 * Core declares its events here (CORE_EVENTS), plugins in their manifest's `events`;
 * `emitEvent` refuses a type nobody declared and a payload its schema rejects, and
 * docs/events.md repeats the catalog (a test keeps the two in sync).
 */
import type { ValidateFunction } from 'ajv';
import type { EventDefinition, JsonSchema } from '../../plugin-sdk.js';
import { createError } from '../errors.js';
import { createAjv, fieldErrors } from '../validation.js';

const uuid = { type: 'string', format: 'uuid' } as const;
const text = { type: 'string' } as const;
const object = (properties: Record<string, JsonSchema>, optional: string[] = []): JsonSchema => ({
  type: 'object',
  required: Object.keys(properties).filter((k) => !optional.includes(k)),
  additionalProperties: false,
  properties,
});
/** A session's client as the channel saw it; channels may add fields, so others pass through. */
const chatClient = { type: 'object', required: ['id'], properties: { id: text, name: text, phone: text } };

export const CORE_EVENTS: Record<string, EventDefinition> = {
  'flow.published': {
    description: 'A flow version became the live one: a new version was published, or an earlier one brought back (`rollback`).',
    payload: object({ flowId: uuid, key: text, version: { type: 'integer', minimum: 1 }, rollback: { const: true } }, ['rollback']),
  },
  'flow.handoff': {
    description: 'A dialog handed the client over to a human (the handoff node); until a trigger starts a flow again, what the client writes goes to staff.',
    payload: object({
      sessionId: uuid, channel: { enum: ['telegram', 'webchat'] }, chatId: text, botId: { type: ['string', 'null'], format: 'uuid' },
      client: chatClient, flowId: { type: ['string', 'null'], format: 'uuid' }, nodeId: text, note: text,
    }),
  },
  'flow.handoff-message': {
    description: 'A client in a handed-over dialog wrote again; `text` is empty for a shared contact without text.',
    payload: object({ sessionId: uuid, channel: { enum: ['telegram', 'webchat'] }, client: chatClient, text }),
  },
  'flow.test-chat-closed': {
    description: 'An editor closed a studio test chat (`test` sessions): what it made for the test (test bookings) is undone. `chatId` is the chat id its nodes saw (`client.chatId`).',
    payload: object({ sessionId: uuid, chatId: text }),
  },
  'contact.unsubscribed': {
    label: { en: 'Client unsubscribed', ru: 'Клиент отписался от рассылок', uk: 'Клієнт відписався від розсилок' },
    description: 'A client pressed the unsubscribe button of a marketing message (`messageId`): no more marketing messages reach them.',
    payload: object({ contactId: uuid, messageId: uuid }),
  },
  'task.created': {
    description: 'A plugin (or staff) added a task to the business\'s to-do list: call the client, prepare a contract.',
    payload: object({ taskId: uuid, plugin: text, kind: text, contactId: { type: ['string', 'null'], format: 'uuid' }, bookingId: { type: ['string', 'null'], format: 'uuid' } }),
  },
  'task.closed': {
    description: 'A task was done (with what came of it) or cancelled because its reason went away.',
    payload: object({ taskId: uuid, plugin: text, kind: text, status: { enum: ['done', 'cancelled'] }, result: { type: ['string', 'null'] } }),
  },
  'task.snoozed': {
    description: 'Staff put a task off until `until`.',
    payload: object({ taskId: uuid, plugin: text, kind: text, until: { type: 'string', format: 'date-time' } }),
  },
};

interface Declared {
  owner: string;
  definition: EventDefinition;
  validate: ValidateFunction;
}

const ajv = createAjv({ useDefaults: false });
const catalog = new Map<string, Declared>();

/** Compiles a payload schema; throws ajv's message when it is not a usable JSON Schema. */
export function compilePayloadSchema(schema: JsonSchema): ValidateFunction {
  return ajv.compile(schema);
}

/** Declares `owner`'s events (core or a plugin id); a type another owner declared is refused. */
export function registerEvents(owner: string, defs: Record<string, EventDefinition>): void {
  for (const [type, definition] of Object.entries(defs)) {
    const existing = catalog.get(type);
    if (existing && existing.owner !== owner) throw createError('BF_ERR_EVENT_DUPLICATE', { type, owner, declaredBy: existing.owner });
    catalog.set(type, { owner, definition, validate: compilePayloadSchema(definition.payload) });
  }
}

export function isDeclared(type: string): boolean {
  return catalog.has(type);
}

/**
 * The payload as handlers will read it (after the JSON round trip through the outbox), checked against
 * its type's schema. A bug in the emitting code surfaces here, inside its transaction, instead of in a handler.
 */
export function checkedPayload(type: string, payload: Record<string, unknown>): string {
  const declared = catalog.get(type);
  if (!declared) throw createError('BF_ERR_EVENT_UNKNOWN', { type });
  const json = JSON.stringify(payload);
  if (!declared.validate(JSON.parse(json))) throw createError('BF_ERR_EVENT_PAYLOAD_INVALID', { type, errors: fieldErrors(declared.validate.errors) });
  return json;
}

registerEvents('core', CORE_EVENTS);
