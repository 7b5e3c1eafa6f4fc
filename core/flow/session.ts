import type { Locale } from '../../plugin-sdk.js';
import type { Graph } from './graph.js';

export type Channel = 'telegram' | 'webchat';

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
  started_at: Date | null;
  expires_at: Date | null;
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
  | { kind: 'message'; text?: string; contact?: { phone: string; name?: string; verified?: boolean } }
  | { kind: 'callback'; id: string }
  | { kind: 'timer'; token: string }
  /** the studio's test chat starts a flow (its draft, or its published version) */
  | { kind: 'begin'; flowId: string; draft: boolean };

export interface ChatMessage {
  text: string;
  buttons?: Array<Array<{ label: string; callback: string }>>;
  requestContact?: { label: string };
  photo?: string;
}

export interface TurnOutput {
  sessionId: string;
  channel: Channel;
  botId: string | null;
  chatId: string;
  tenantId: string;
  /** the update was seen before and nothing was done */
  duplicate: boolean;
  /** a button that no longer belongs to the dialog was pressed */
  stale: boolean;
  messages: ChatMessage[];
  /** texts for the business's staff (hand-offs) */
  staff: string[];
  locale: Locale;
}
