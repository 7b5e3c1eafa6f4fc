import crypto from 'node:crypto';
import type { ChannelDelivery, Locale, MessageButton, MessageContent, Text } from '../../plugin-sdk.js';
import { createError } from '../errors.js';
import { createAjv, fieldErrors } from '../validation.js';

/** A button as stored with its message: what a channel needs to show it (an action's or a flow's payload stays in message_buttons). */
export interface StoredButton {
  label: Text;
  callback?: string;
  url?: string;
  webApp?: string;
}

/** A message's content as stored: texts still per language (picked when sent), buttons resolved. */
export interface StoredContent {
  text: Text;
  subject?: Text;
  photo?: string;
  buttons?: StoredButton[][];
  requestContact?: { label: Text };
  invoice?: Record<string, unknown>;
  /** Telegram: take away a share-contact keyboard this chat still shows */
  removeKeyboard?: boolean;
}

/** How long a proactive message's buttons can be pressed. */
export const BUTTON_TTL_MS = 30 * 86_400_000;

/** A text, or texts per language (`en` required), of at most `max` characters. */
const textOf = (max: number) => ({
  anyOf: [
    { type: 'string', minLength: 1, maxLength: max },
    {
      type: 'object', required: ['en'], additionalProperties: false,
      properties: { en: { type: 'string', minLength: 1, maxLength: max }, ru: { type: 'string', maxLength: max }, uk: { type: 'string', maxLength: max } },
    },
  ],
});
const text = textOf(4096);
// Telegram shows about 64 characters of a button
const label = textOf(64);
const httpUrl = { type: 'string', maxLength: 2048, pattern: '^https?://' };
const button = {
  type: 'object',
  required: ['label'],
  // exactly one of what a button does
  oneOf: ['action', 'flow', 'url', 'webApp', 'value'].map((k) => ({ required: [k] })),
  additionalProperties: false,
  properties: {
    label,
    action: { type: 'string', pattern: '^[a-z][a-z0-9-]*\\.[A-Za-z0-9_-]{1,64}$' },
    payload: { type: 'object' },
    flow: {
      type: 'object', required: ['flowKey'], additionalProperties: false,
      properties: { flowKey: { type: 'string', pattern: '^[a-z0-9][a-z0-9-]{0,62}$' }, nodeId: { type: 'string', maxLength: 100 }, vars: { type: 'object' } },
    },
    url: { ...httpUrl },
    webApp: { type: 'string', maxLength: 2048, pattern: '^https://' },
    value: { type: 'string', minLength: 1, maxLength: 64 },
  },
};
const content = {
  type: 'object',
  required: ['text'],
  additionalProperties: false,
  properties: {
    text,
    subject: textOf(200),
    photo: httpUrl,
    buttons: { type: 'array', maxItems: 10, items: { type: 'array', minItems: 1, maxItems: 8, items: button } },
    requestContact: { type: 'object', required: ['label'], additionalProperties: false, properties: { label } },
    invoice: { type: 'object' },
  },
};
const kinds = ['telegram', 'webchat', 'phone', 'email', 'max', 'whatsapp'];
const sendInput = {
  type: 'object',
  required: ['tenantId', 'to', 'message', 'purpose', 'idempotencyKey'],
  additionalProperties: false,
  properties: {
    tenantId: { type: 'string', format: 'uuid' },
    to: {
      oneOf: [
        { type: 'object', required: ['contactId'], additionalProperties: false, properties: { contactId: { type: 'string', format: 'uuid' } } },
        {
          type: 'object', required: ['conversation'], additionalProperties: false,
          properties: {
            conversation: {
              type: 'object', required: ['channel', 'chatId'], additionalProperties: false,
              properties: { channel: { enum: ['telegram', 'webchat'] }, botId: { type: ['string', 'null'], format: 'uuid' }, chatId: { type: 'string', minLength: 1, maxLength: 100 } },
            },
          },
        },
        { type: 'object', required: ['email'], additionalProperties: false, properties: { email: { type: 'string', format: 'email', maxLength: 320 } } },
      ],
    },
    message: content,
    purpose: { enum: ['reply', 'transactional', 'marketing'] },
    channels: { type: 'array', minItems: 1, uniqueItems: true, items: { enum: kinds } },
    idempotencyKey: { type: 'string', minLength: 1, maxLength: 200 },
    notBefore: { instanceof: 'Date' },
  },
};

const ajv = createAjv({ useDefaults: false });
ajv.addKeyword({ keyword: 'instanceof', schemaType: 'string', validate: (_: string, data: unknown) => data instanceof Date && Number.isFinite(data.getTime()) });
const validateSend = ajv.compile(sendInput);

/** Refuses a send that breaks the schema with BF_ERR_MESSAGE_INVALID naming each field. */
export function checkSendInput(input: unknown): void {
  if (!validateSend(input)) throw createError('BF_ERR_MESSAGE_INVALID', { errors: fieldErrors(validateSend.errors) });
}

/** A callback id: 96 random bits, 17 characters, far below Telegram's 64-byte callback_data. */
const callbackId = () => `m${crypto.randomBytes(12).toString('base64url')}`;

/** A stored content and the message_buttons rows of its action and flow buttons, to write with the message. */
export function prepareContent(m: { tenantId: string; messageId: string; contactId: string | null; now: Date }, c: MessageContent): { content: StoredContent; buttons: Array<Record<string, unknown>> } {
  const buttons: Array<Record<string, unknown>> = [];
  const expires_at = new Date(m.now.getTime() + BUTTON_TTL_MS);
  const row = { tenant_id: m.tenantId, message_id: m.messageId, contact_id: m.contactId, expires_at };
  const stored = (b: MessageButton): StoredButton => {
    if ('url' in b) return { label: b.label, url: b.url };
    if ('webApp' in b) return { label: b.label, webApp: b.webApp };
    // a node's choice: the chat sends the value back to the session that showed it
    if ('value' in b) return { label: b.label, callback: b.value };
    const id = callbackId();
    if ('action' in b) buttons.push({ ...row, id, action: b.action, payload: JSON.stringify(b.payload ?? {}) });
    else if ('flow' in b) buttons.push({ ...row, id, flow: JSON.stringify(b.flow) });
    return { label: b.label, callback: id };
  };
  const content: StoredContent = { text: c.text };
  if (c.subject) content.subject = c.subject;
  if (c.photo) content.photo = c.photo;
  if (c.buttons?.length) content.buttons = c.buttons.map((r) => r.map(stored));
  if (c.requestContact) content.requestContact = c.requestContact;
  if (c.invoice) content.invoice = c.invoice;
  return { content, buttons };
}

/** A text in the recipient's language, else the business's, else English. */
export function pickText(t: Text, locale: Locale, fallback: Locale): string {
  return typeof t === 'string' ? t : t[locale] || t[fallback] || t.en;
}

/** The content as a channel adapter gets it. */
export function rendered(c: StoredContent, locale: Locale, fallback: Locale): Pick<ChannelDelivery, 'text' | 'subject' | 'photo' | 'buttons' | 'requestContact' | 'invoice' | 'removeKeyboard'> {
  const pick = (t: Text) => pickText(t, locale, fallback);
  return {
    text: pick(c.text),
    ...(c.subject ? { subject: pick(c.subject) } : {}),
    ...(c.photo ? { photo: c.photo } : {}),
    ...(c.buttons?.length ? { buttons: c.buttons.map((row) => row.map((b) => ({ label: pick(b.label), ...(b.callback ? { callback: b.callback } : {}), ...(b.url ? { url: b.url } : {}), ...(b.webApp ? { webApp: b.webApp } : {}) }))) } : {}),
    ...(c.requestContact ? { requestContact: { label: pick(c.requestContact.label) } } : {}),
    ...(c.invoice ? { invoice: c.invoice } : {}),
    ...(c.removeKeyboard ? { removeKeyboard: true } : {}),
  };
}
