import crypto from 'node:crypto';
import { sql } from 'kysely';
import type { Logger } from 'pino';
import type { ActionHandler, ConversationRef, Db, Locale, MessageContent, PluginContext, Tx } from '../../plugin-sdk.js';
import { writeAudit } from '../audit.js';
import { emitEvent } from '../outbox/emit.js';
import type { Clock } from '../clock.js';
import { engineText } from '../flow/texts.js';
import type { ChatMessage } from '../flow/session.js';
import { checkSendInput, prepareContent, rendered } from './content.js';
import { UNSUBSCRIBE_ACTION } from './service.js';
import { messageText } from './texts.js';

export interface Action {
  handler: ActionHandler;
  ctx: PluginContext;
  /** 'core', or the plugin that must be enabled for the business */
  owner: string;
}

/** What pressing a proactive message's button came to: a flow to start here, or replies (none: stale). */
export type PressOutcome =
  | { flow: { flowKey: string; nodeId?: string; vars?: Record<string, unknown> } }
  | { replies: ChatMessage[]; keepButtons: boolean; capture?: AwaitedMessages };

/** What an action asked to await (ActionResult.awaitMessages), its handler named `<plugin>.<name>`. */
export interface AwaitedMessages {
  handler: string;
  payload: Record<string, unknown>;
  minutes: number;
}

/** At most a day: a question the client did not answer by then is not theirs to answer any more. */
const MAX_AWAIT_MINUTES = 24 * 60;

export interface Press {
  tenantId: string;
  callbackId: string;
  conversation: ConversationRef;
  locale: Locale;
}

/** Records an opt-out of marketing messages on the contact, audited; transactional messages go on. */
const unsubscribe: ActionHandler = async (input, trx, ctx) => {
  if (input.contactId) {
    const consent = JSON.stringify({ marketing: { granted: false, at: ctx.now().toISOString(), source: 'unsubscribe-button' } });
    const changed = await trx.updateTable('contacts').set({ consent: sql`consent || ${consent}::jsonb`, updated_at: ctx.now() })
      .where('tenant_id', '=', input.tenantId).where('id', '=', input.contactId).returning('id').executeTakeFirst();
    if (changed) {
      await writeAudit(trx, { tenantId: input.tenantId, actorId: null, entity: 'contact', entityId: input.contactId, action: 'unsubscribe', after: { consent: { marketing: false }, messageId: input.messageId } });
      await emitEvent(trx, input.tenantId, 'contact.unsubscribed', { contactId: input.contactId, messageId: input.messageId });
    }
  }
  return { reply: { text: messageText('unsubscribed', input.locale) }, removeButtons: true };
};

/**
 * Resolves presses of buttons on proactive messages: the callback id names a message_buttons row, whose action
 * (core's or a plugin's `<plugin>.<name>`) runs in the turn's transaction, however long after the message.
 */
export class ActionRegistry {
  private readonly actions = new Map<string, Action>();

  constructor(private readonly db: Db, private readonly clock: Clock, private readonly log: Logger, private readonly enabled: (tenantId: string, pluginId: string, q: Tx) => Promise<boolean>) {}

  addCore(ctx: PluginContext): void {
    this.actions.set(UNSUBSCRIBE_ACTION, { handler: unsubscribe, ctx, owner: 'core' });
  }

  /** A plugin's `actions`, under `<plugin>.<name>`. */
  addPlugin(pluginId: string, actions: Record<string, ActionHandler>, ctx: PluginContext): void {
    for (const [name, handler] of Object.entries(actions)) this.actions.set(`${pluginId}.${name}`, { handler, ctx, owner: pluginId });
  }

  /** null: no live button has this id (the engine answers it as stale). */
  async press(trx: Tx, p: Press): Promise<PressOutcome | null> {
    const b = await trx.selectFrom('message_buttons').selectAll().where('id', '=', p.callbackId).where('tenant_id', '=', p.tenantId).where('expires_at', '>', this.clock.now()).executeTakeFirst();
    if (!b) return null;
    if (b.flow) return { flow: b.flow };
    const action = this.actions.get(b.action);
    if (!action || (action.owner !== 'core' && !(await this.enabled(p.tenantId, action.owner, trx)))) {
      return { replies: [{ text: messageText('actionUnavailable', p.locale) }], keepButtons: true };
    }
    const contactId = b.contact_id ?? (await contactOf(trx, p.tenantId, p.conversation)) ?? '';
    // The contact's language when it has one (the message was written in it), else the chat's.
    const own = contactId ? await trx.selectFrom('contacts').select('locale').where('tenant_id', '=', p.tenantId).where('id', '=', contactId).executeTakeFirst() : undefined;
    const press = { ...p, locale: (own?.locale as Locale | null) ?? p.locale };
    await sql`SAVEPOINT action`.execute(trx);
    try {
      const result = await action.handler({ tenantId: p.tenantId, contactId, payload: b.payload ?? {}, messageId: b.message_id, conversation: p.conversation, locale: press.locale }, trx, action.ctx);
      await sql`RELEASE SAVEPOINT action`.execute(trx);
      if (result?.flow) return { flow: result.flow };
      const awaited = result?.awaitMessages;
      return {
        replies: result?.reply ? [await renderReply(trx, this.clock, press, contactId || null, result.reply)] : [], keepButtons: !result?.removeButtons,
        ...(awaited ? { capture: { handler: `${action.owner}.${awaited.handler}`, payload: awaited.payload ?? {}, minutes: Math.min(Math.max(1, awaited.minutes), MAX_AWAIT_MINUTES) } } : {}),
      };
    } catch (e) {
      // The action's writes go; the client hears that something went wrong, and the dialog stays as it was.
      await sql`ROLLBACK TO SAVEPOINT action`.execute(trx);
      this.log.error({ err: e, action: b.action, button: p.callbackId }, 'button action failed');
      return { replies: [{ text: engineText('fallback', press.locale) }], keepButtons: true };
    }
  }

}

/** A plugin's reply (an action's, a chat input handler's) as a turn reply: its own buttons get callback ids pointing at the reply's row. */
export async function renderReply(trx: Tx, clock: Clock, p: { tenantId: string; locale: Locale }, contactId: string | null, content: MessageContent): Promise<ChatMessage> {
  checkSendInput({ tenantId: p.tenantId, to: { contactId: crypto.randomUUID() }, message: content, purpose: 'reply', idempotencyKey: 'reply' });
  const id = crypto.randomUUID();
  const { content: stored, buttons } = prepareContent({ tenantId: p.tenantId, messageId: id, contactId, now: clock.now() }, content);
  if (buttons.length) await trx.insertInto('message_buttons').values(buttons).execute();
  const r = rendered(stored, p.locale, p.locale);
  return {
    id, text: r.text,
    ...(r.photo ? { photo: r.photo } : {}),
    ...(r.buttons ? { buttons: r.buttons } : {}),
    ...(r.requestContact ? { requestContact: r.requestContact } : {}),
  };
}

/** The contact a chat belongs to, when the contacts know it. */
export async function contactOf(q: Db | Tx, tenantId: string, c: ConversationRef): Promise<string | undefined> {
  const row = await q.selectFrom('contact_identities').select('contact_id').where('tenant_id', '=', tenantId).where('kind', '=', c.channel).where('value', '=', c.chatId)
    .where('bot_id', '=', c.channel === 'telegram' ? c.botId ?? '' : '').where('deleted_at', 'is', null).executeTakeFirst();
  return row?.contact_id;
}
