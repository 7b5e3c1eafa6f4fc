import type { ChatMedia, Locale } from '../../plugin-sdk.js';
import type { Graph } from './graph.js';

/** 'contact': a flow started for a contact no chat reaches; its messages go out through the message outbox (email, SMS). */
export type Channel = 'telegram' | 'webchat' | 'contact';

/** One conversation's row in flow_sessions: who, where in which flow version, and what it waits for. */
export interface SessionRow {
  id: string;
  tenant_id: string;
  conversation_key: string;
  channel: Channel;
  bot_id: string | null;
  chat_id: string;
  client: { id: string; name?: string; phone?: string; contactId?: string | null };
  /** the conversation's contact (core/contacts), resolved each turn; null until one is known */
  contact_id: string | null;
  locale: Locale;
  status: 'active' | 'ended' | 'handoff';
  flow_id: string | null;
  flow_version: number | null;
  draft_graph: Graph | null;
  draft_mode: boolean;
  node_id: string | null;
  waiting: 'input' | 'timer' | null;
  vars: Record<string, unknown>;
  /** short callback id → the button's value and the node that showed it */
  callbacks: Record<string, { v: string; n: string }>;
  callback_seq: number;
  timer_token: string | null;
  noreply: { token: string; nodeId: string; flowId: string } | null;
  /** a plugin awaits the client's next free messages (ActionResult.awaitMessages): `<plugin>.<handler>` until `until` */
  capture: ChatCapture | null;
  started_at: Date | null;
  expires_at: Date | null;
}

export interface ChatCapture {
  handler: string;
  payload: Record<string, unknown>;
  /** ISO instant on the app's clock */
  until: string;
}

/** Who a conversation is with, as a channel sees it. */
export interface Conversation {
  tenantId: string;
  channel: Channel;
  key: string;
  chatId: string;
  botId?: string;
  client: { id: string; name?: string; phone?: string };
  locale: Locale;
  /** the flow that answers a client without a session (the bot's flow) */
  entryFlowKey?: string;
}

export type TurnEvent =
  | { kind: 'message'; text?: string; contact?: { phone: string; name?: string; verified?: boolean }; media?: ChatMedia }
  | { kind: 'callback'; id: string }
  | { kind: 'timer'; token: string }
  /** the studio's test chat starts a flow (its draft, or its published version) */
  | { kind: 'begin'; flowId: string; draft: boolean }
  /**
   * flows.start (an event trigger, a plugin): this published version, from this trigger node (default the flow's
   * entry), with these variables; a dialog the client is in the middle of is not cut off (`deferred`)
   */
  | { kind: 'start'; flowId: string; version: number; nodeId?: string; vars?: Record<string, unknown> };

export interface ChatMessage {
  text: string;
  /** callback buttons (a node's choices, an action's), or links: a URL, a Telegram Mini App */
  buttons?: Array<Array<{ label: string; callback?: string; url?: string; webApp?: string }>>;
  requestContact?: { label: string };
  photo?: string;
  /** the message row's id when given beforehand (an action's reply whose buttons point at it) */
  id?: string;
  /** Telegram: take away the share-contact keyboard the chat still shows */
  removeKeyboard?: boolean;
}

export interface TurnOutput {
  sessionId: string;
  channel: Channel;
  botId: string | null;
  chatId: string;
  tenantId: string;
  /** the conversation's contact, once known */
  contactId: string | null;
  /** the update was seen before and nothing was done */
  duplicate: boolean;
  /** a button that no longer belongs to the dialog was pressed */
  stale: boolean;
  /** a proactive message's button was pressed and its action keeps the message's buttons */
  keepButtons?: boolean;
  messages: ChatMessage[];
  /** texts for the business's staff (hand-offs) */
  staff: string[];
  /** a `start` found the client in the middle of a dialog and did nothing */
  deferred?: boolean;
  locale: Locale;
}
