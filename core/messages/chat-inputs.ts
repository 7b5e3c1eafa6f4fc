import { sql } from 'kysely';
import type { Logger } from 'pino';
import type { ChatInputHandler, ChatMedia, ConversationRef, Locale, PluginContext, Tx } from '../../plugin-sdk.js';
import type { Clock } from '../clock.js';
import { engineText } from '../flow/texts.js';
import type { ChatMessage } from '../flow/session.js';
import { contactOf, renderReply } from './actions.js';

/** A client's free message for the plugin awaiting it. */
export interface ChatInputDelivery {
  tenantId: string;
  /** `<plugin>.<name>` */
  handler: string;
  payload: Record<string, unknown>;
  conversation: ConversationRef;
  locale: Locale;
  text?: string;
  media?: ChatMedia;
}

/** What came of it: the replies, and whether more is awaited (with which payload). */
export interface ChatInputOutcome {
  replies: ChatMessage[];
  done: boolean;
  payload: Record<string, unknown>;
}

/**
 * Plugins' handlers of clients' free messages (PluginServer.chatInputs), run in the turn's transaction when the
 * chat awaits one (ActionResult.awaitMessages). A disabled plugin or an unknown handler ends the wait.
 */
export class ChatInputRegistry {
  private readonly handlers = new Map<string, { handler: ChatInputHandler; ctx: PluginContext; owner: string }>();

  constructor(private readonly clock: Clock, private readonly log: Logger, private readonly enabled: (tenantId: string, pluginId: string, q: Tx) => Promise<boolean>) {}

  addPlugin(pluginId: string, handlers: Record<string, ChatInputHandler>, ctx: PluginContext): void {
    for (const [name, handler] of Object.entries(handlers)) this.handlers.set(`${pluginId}.${name}`, { handler, ctx, owner: pluginId });
  }

  /** null: nobody takes it (the dialog handles the message as if nothing were awaited). */
  async deliver(trx: Tx, d: ChatInputDelivery): Promise<ChatInputOutcome | null> {
    const h = this.handlers.get(d.handler);
    if (!h || !(await this.enabled(d.tenantId, h.owner, trx))) return null;
    const contactId = (await contactOf(trx, d.tenantId, d.conversation)) ?? '';
    // The contact's language when it has one (what the plugin wrote to them in), else the chat's.
    const own = contactId ? await trx.selectFrom('contacts').select('locale').where('tenant_id', '=', d.tenantId).where('id', '=', contactId).executeTakeFirst() : undefined;
    const locale = (own?.locale as Locale | null) ?? d.locale;
    await sql`SAVEPOINT chat_input`.execute(trx);
    try {
      const result = await h.handler({
        tenantId: d.tenantId, contactId, conversation: d.conversation, locale, payload: d.payload,
        ...(d.text ? { text: d.text } : {}), ...(d.media ? { media: d.media } : {}),
      }, trx, h.ctx);
      await sql`RELEASE SAVEPOINT chat_input`.execute(trx);
      return {
        replies: result?.reply ? [await renderReply(trx, this.clock, { tenantId: d.tenantId, locale }, contactId || null, result.reply)] : [],
        done: Boolean(result?.done), payload: result?.payload ?? d.payload,
      };
    } catch (e) {
      // Its writes go; the client hears that something went wrong, and may send it again.
      await sql`ROLLBACK TO SAVEPOINT chat_input`.execute(trx);
      this.log.error({ err: e, handler: d.handler }, 'a chat input handler failed');
      return { replies: [{ text: engineText('fallback', locale) }], done: false, payload: d.payload };
    }
  }
}
