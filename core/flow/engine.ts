import crypto from 'node:crypto';
import { PREPARED } from '../db/database.js';
import { sql, type RawBuilder, type UpdateQueryBuilder, type UpdateResult } from 'kysely';
import type { Logger } from 'pino';
import type { BusinessProfile, ConversationRef, Db, NodeRunInput, Tx } from '../../plugin-sdk.js';
import { createError } from '../errors.js';
import { emitEvent } from '../outbox/emit.js';
import type { Scheduler } from '../jobs/scheduler.js';
import type { Clock } from '../clock.js';
import type { Graph, GraphNode } from './graph.js';
import { CORE_RUNTIMES, type CoreRunResult } from './nodes/runtimes.js';
import { TRIGGER_TYPES } from './nodes/definitions.js';
import type { NodeRegistry } from './node-registry.js';
import { FlowNodeError } from './node-error.js';
import { runnableDraft, type FlowStore } from './store.js';
import { engineText } from './texts.js';
import { flowAnswers } from './answers.js';
import { inSavepoint, park, runOutside, stillParked, type OutsideOutcome, type OutsideRun } from './outside-turn.js';
import type { ChatMessage, Conversation, SessionRow, TurnEvent, TurnOutput } from './session.js';
import type { Press, PressOutcome } from '../messages/actions.js';
import type { ChatInputDelivery, ChatInputOutcome } from '../messages/chat-inputs.js';

export const TIMER_JOB = 'core.flow-timer';
export const EXPIRE_JOB = 'core.flow-expire';
const RESUME_ATTEMPTS = 3;

export interface EngineOptions {
  /** node runs per turn before the loop guard ends it */
  maxSteps?: number;
  /** an idle session ends after this long */
  idleMs?: number;
  /** turns running at once; each holds one database connection while it is in a transaction */
  concurrency?: number;
}

type Deliver = (out: TurnOutput) => Promise<void>;
/**
 * Runs inside each transaction of a turn with what that transaction produced (and the client's update, in the
 * first): a channel makes the replies durable there. What it returns runs once that transaction has committed.
 */
export type TurnHook = (trx: Tx, out: TurnOutput, part: { messages: ChatMessage[]; staff: string[]; event?: TurnEvent; session: SessionSave }) => Promise<void | (() => void)>;
/**
 * The session's save, which a turn hook must run: on its own, or as a WITH query of its own statement (one round
 * trip for both).
 */
export type SessionSave = UpdateQueryBuilder<any, 'flow_sessions', 'flow_sessions', UpdateResult>;
/** Resolves a button that is not the dialog's own (a proactive message's): null when nothing matches. */
type PressHandler = (trx: Tx, press: Press) => Promise<PressOutcome | null>;
/** Hands a client's free message to the plugin awaiting it: null when none takes it. */
type ChatInputHandler = (trx: Tx, input: ChatInputDelivery) => Promise<ChatInputOutcome | null>;

/** What the engine asks of contacts each turn (core/contacts/service.ts). */
export interface ConversationContacts {
  /** the conversation's contact, if known, marked as seen now */
  touch(trx: Tx, tenantId: string, conversation: ConversationRef): Promise<string | null>;
  /** touch() as a WITH query of the turn's first statement, done once `after` holds */
  touchStatement(tenantId: string, conversation: ConversationRef, after: RawBuilder<unknown>): RawBuilder<{ id: string }>;
  /** the contact an id stands for now (itself, or the one it was merged into) */
  liveId(q: Tx, tenantId: string, contactId: string): Promise<string | null>;
}

class Semaphore {
  private waiting: Array<() => void> = [];
  constructor(private free: number) {}
  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.free > 0) this.free--;
    else await new Promise<void>((r) => this.waiting.push(r));
    try {
      return await fn();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.free++;
    }
  }
}

/** A chat's conversation; a flow run for a contact without a chat has none. */
const conversationOf = (s: SessionRow): ConversationRef | undefined => (s.channel === 'contact' ? undefined : { channel: s.channel, botId: s.bot_id, chatId: s.chat_id });

const edgeTarget = (graph: Graph, nodeId: string, port: string) => graph.edges.find((e) => e.source === nodeId && e.sourcePort === port)?.target;

/**
 * Where a flow starts: its /start command, else its first chat trigger. `any` (test chats, jumps, flows.start)
 * also takes an event or plugin trigger; greeting a client who wrote something never does.
 */
function entryNode(graph: Graph, any?: (type: string) => boolean): GraphNode | undefined {
  return graph.nodes.find((n) => (n.type === 'trigger.command' || n.type === 'trigger.menu') && n.settings.command === '/start')
    ?? graph.nodes.find((n) => TRIGGER_TYPES.has(n.type)) ?? (any && graph.nodes.find((n) => any(n.type)));
}

/** A dialog with a message either way within this long is not cut off by a started flow. */
export const BUSY_MS = 30 * 60_000;

interface Candidate {
  id: string;
  version: number | null;
  graph: Graph;
}

/** Which trigger a client's text fires, if any: a deep link, a command or menu command, or (outside a dialog) a keyword. */
function matchTrigger(candidates: Candidate[], text: string, inDialog: boolean): { flow: Candidate; node: GraphNode; payload?: string } | undefined {
  const command = /^\/([a-z0-9_]{1,32})(?:@\w+)?(?:\s+(\S.*))?$/i.exec(text.trim());
  if (command) {
    const [, name, payload] = command;
    if (name.toLowerCase() === 'start' && payload) {
      let best: { flow: Candidate; node: GraphNode } | undefined;
      for (const flow of candidates) for (const node of flow.graph.nodes) {
        const prefix = String(node.settings.prefix ?? '');
        if (node.type === 'trigger.deeplink' && payload.startsWith(prefix) && (!best || prefix.length > String(best.node.settings.prefix ?? '').length)) best = { flow, node };
      }
      if (best) return { ...best, payload };
    }
    for (const flow of candidates) for (const node of flow.graph.nodes) {
      if ((node.type === 'trigger.command' || node.type === 'trigger.menu') && node.settings.command === `/${name.toLowerCase()}`) return { flow, node };
    }
    return undefined;
  }
  if (inDialog) return undefined;
  const lower = text.trim().toLowerCase();
  for (const flow of candidates) for (const node of flow.graph.nodes) {
    if (node.type !== 'trigger.keyword') continue;
    const words = (node.settings.keywords as string[]).map((k) => k.toLowerCase());
    if (node.settings.match === 'exact' ? words.includes(lower) : words.some((w) => lower.includes(w))) return { flow, node };
  }
  return undefined;
}

interface Turn {
  trx: Tx;
  s: SessionRow;
  graph: Graph | undefined;
  out: TurnOutput;
  timezone: string;
  /** the business's country, for phones typed without a code */
  country: string;
  /** a node to run once this transaction commits, outside it */
  outside?: OutsideRun;
  /** timers to schedule once this transaction commits (Agenda takes a pool connection of its own) */
  timers: Array<{ at: Date; sessionId: string; token: string }>;
  /** how many of `out.messages` and `out.staff` an earlier transaction of the turn wrote */
  saved: Saved;
  /** the client's update, in the turn's first transaction only (recorded with it) */
  event?: TurnEvent;
  committed?: () => void;
}

interface Saved {
  messages: number;
  staff: number;
}
const NOTHING_SAVED: Saved = { messages: 0, staff: 0 };

/** What one transaction of a turn leaves for the next step. */
interface Part {
  outside?: OutsideRun;
  timers: Turn['timers'];
  saved: Saved;
  /** what the channel does once the transaction has committed (sends the replies it took) */
  committed?: () => void;
}

/**
 * Runs dialog graphs. One turn = one client update (or timer) of one conversation, in one
 * transaction holding the conversation's row lock, so a chat's updates run one at a time while
 * different chats run in parallel. Telegram updates are de-duplicated in the same transaction.
 */
export class FlowEngine {
  private readonly maxSteps: number;
  private readonly idleMs: number;
  private readonly slots: Semaphore;
  private readonly deliverers = new Map<string, Deliver>();
  private readonly turnHooks = new Map<string, TurnHook>();
  private presses: PressHandler | undefined;
  private chatInputs: ChatInputHandler | undefined;

  constructor(
    private readonly db: Db,
    private readonly store: FlowStore,
    private readonly registry: NodeRegistry,
    private readonly scheduler: Scheduler,
    private readonly log: Logger,
    private readonly clock: Clock,
    private readonly contacts: ConversationContacts,
    /** the business's profile (its time zone), read through the turn's transaction */
    private readonly business: (tenantId: string, q: Db | Tx) => Promise<BusinessProfile>,
    opts: EngineOptions = {},
  ) {
    this.maxSteps = opts.maxSteps ?? 50;
    this.idleMs = opts.idleMs ?? 24 * 3_600_000;
    this.slots = new Semaphore(opts.concurrency ?? 16);
    scheduler.agenda.define(TIMER_JOB, async (job) => {
      const { sessionId, token } = job.attrs.data as { sessionId: string; token: string };
      const out = await this.turn({ sessionId }, { kind: 'timer', token });
      if (out.messages.length || out.staff.length) await this.deliver(out);
    });
    scheduler.agenda.define(EXPIRE_JOB, async () => {
      await this.db.updateTable('flow_sessions').set({ status: 'ended', node_id: null, waiting: null, timer_token: null, noreply: null, callbacks: '{}' })
        .where('status', '<>', 'ended').where('expires_at', '<', this.clock.now()).execute();
    });
  }

  /** How a channel sends what a timer turn produced (turns a channel starts are delivered by the channel). */
  onDeliver(channel: string, fn: Deliver): void {
    this.deliverers.set(channel, fn);
  }

  /** What a channel does with each of its turns' output inside the turn's transaction (Telegram: the outbox). */
  onTurn(channel: string, fn: TurnHook): void {
    this.turnHooks.set(channel, fn);
  }

  /** Who answers presses of buttons the dialog did not show (proactive messages' actions and flow buttons). */
  onPress(fn: PressHandler): void {
    this.presses = fn;
  }

  /** Who takes the free messages a plugin's action asked the client for (ActionResult.awaitMessages). */
  onChatInput(fn: ChatInputHandler): void {
    this.chatInputs = fn;
  }

  async deliver(out: TurnOutput): Promise<void> {
    await this.deliverers.get(out.channel)?.(out);
  }

  async start(): Promise<void> {
    await this.scheduler.agenda.every('10 minutes', EXPIRE_JOB, {});
  }

  /**
   * Runs one turn; `dedup` makes a redelivered Telegram update a no-op. A node that runs outside the
   * transaction splits the turn: the first transaction commits with the session parked at it, the node
   * runs holding no connection, and a new transaction re-locks the session and goes on from its result.
   */
  turn(target: { conversation: Conversation } | { sessionId: string }, event: TurnEvent, opts: { dedup?: { botId: string; updateId: number }; pushed?: boolean } = {}): Promise<TurnOutput> {
    const pushed = opts.pushed ?? event.kind === 'timer';
    return this.slots.run(async () => {
      let out: TurnOutput | undefined;
      let part: Part = await this.db.transaction().execute(async (trx) => {
        const { s, duplicate, touched } = await this.open(trx, target, opts.dedup);
        out = { sessionId: s.id, channel: s.channel, botId: s.bot_id, chatId: s.chat_id, tenantId: s.tenant_id, contactId: s.contact_id ?? null, duplicate, stale: false, messages: [], staff: [], locale: s.locale };
        if (duplicate) return { timers: [], saved: NOTHING_SAVED };
        const turn = await this.begin(trx, s, out, NOTHING_SAVED);
        turn.event = event;
        if (s.status !== 'ended' && s.expires_at && s.expires_at < this.clock.now()) this.endSession(s);
        if ('conversation' in target) {
          const c = target.conversation;
          s.client = { ...s.client, ...c.client, ...(s.client.phone && !c.client.phone ? { phone: s.client.phone } : {}) };
          s.locale = c.locale;
          out.locale = c.locale;
        }
        // One indexed lookup: the contact may have been made, or merged, since the last turn.
        const conversation = conversationOf(s);
        // A contact's own session (a flow started for them, no chat) is theirs: it follows a merge, and it is not them being seen.
        s.contact_id = touched !== undefined ? touched
          : conversation ? await this.contacts.touch(trx, s.tenant_id, conversation) : await this.contacts.liveId(trx, s.tenant_id, s.chat_id);
        s.client = { ...s.client, contactId: s.contact_id };
        out.contactId = s.contact_id;
        if (s.status !== 'ended') s.vars = { ...s.vars, client: s.client };
        await this.handle(turn, event, 'conversation' in target ? target.conversation.entryFlowKey : undefined);
        await this.save(turn, pushed);
        return turn;
      });
      for (;;) {
        part.committed?.();
        await this.scheduleTimers(part.timers);
        const run = part.outside;
        if (!run) return out!;
        const outcome = await runOutside(run);
        part = await this.resumeRetrying(out!, run, outcome, part.saved, pushed);
      }
    });
  }

  private async begin(trx: Tx, s: SessionRow, out: TurnOutput, saved: Saved): Promise<Turn> {
    const { timezone, country } = await this.business(s.tenant_id, trx);
    return { trx, s, graph: undefined, out, timezone, country, timers: [], saved };
  }

  /**
   * The rest of the turn, tried again when its transaction fails (a dropped connection, a failed save): the
   * update is already marked seen, so a redelivery would not run it, and the node's result is not asked for again.
   */
  private async resumeRetrying(out: TurnOutput, run: OutsideRun, outcome: OutsideOutcome, saved: Saved, pushed: boolean): Promise<Part> {
    for (let attempt = 1; ; attempt++) {
      const mark = { messages: out.messages.length, staff: out.staff.length };
      try {
        return await this.db.transaction().execute((trx) => this.resume(trx, out, run, outcome, saved, pushed));
      } catch (e) {
        out.messages.length = mark.messages;
        out.staff.length = mark.staff;
        if (attempt >= RESUME_ATTEMPTS) throw e;
        this.log.warn({ err: e, session: run.sessionId, attempt }, 'the rest of a turn failed after a node ran outside it; trying again');
      }
    }
  }

  /** The rest of a turn after a node ran outside it, if the session is still parked at that node. */
  private async resume(trx: Tx, out: TurnOutput, run: OutsideRun, outcome: OutsideOutcome, saved: Saved, pushed: boolean): Promise<Part> {
    const s = await this.lock(trx, { sessionId: run.sessionId });
    if (!stillParked(s, run)) {
      this.log.info({ session: s.id, nodeId: run.nodeId }, 'the dialog moved on while a node ran outside the turn; its result is dropped');
      return { timers: [], saved };
    }
    const turn = await this.begin(trx, s, out, saved);
    s.timer_token = null;
    turn.graph = await this.currentGraph(s, trx);
    await this.run(turn, run.nodeId, undefined, outcome);
    await this.save(turn, pushed);
    return turn;
  }

  private async scheduleTimers(timers: Turn['timers']): Promise<void> {
    for (const t of timers) {
      // The turn is committed: a failure here must not fail it (its replies still go out).
      await this.scheduler.agenda.schedule(t.at, TIMER_JOB, { sessionId: t.sessionId, token: t.token })
        .catch((e) => this.log.error({ err: e, session: t.sessionId }, 'a flow timer could not be scheduled; the dialog waits for the client'));
    }
  }

  /**
   * The turn's first statement: the update marked seen (`duplicate` if it was), the session created or locked and,
   * for a chat's conversation, its contact marked seen (`touched`: its id or null; undefined when not done here).
   * One round trip: the turn waits for each, and they are most of what it costs.
   */
  private async open(trx: Tx, target: { conversation: Conversation } | { sessionId: string }, dedup?: { botId: string; updateId: number }): Promise<{ s: SessionRow; duplicate: boolean; touched?: string | null }> {
    const c = 'conversation' in target ? target.conversation : undefined;
    if (!c || c.channel === 'contact') {
      const duplicate = dedup
        ? !(await trx.insertInto('telegram_updates').values({ bot_id: dedup.botId, update_id: dedup.updateId }).onConflict((oc) => oc.doNothing()).returning('update_id').executeTakeFirst())
        : false;
      return { s: await this.lock(trx, target), duplicate };
    }
    const ref: ConversationRef = { channel: c.channel, botId: c.botId ?? null, chatId: c.chatId };
    const fresh = dedup ? sql`INSERT INTO telegram_updates (bot_id, update_id) VALUES (${dedup.botId}, ${dedup.updateId}) ON CONFLICT DO NOTHING RETURNING 1` : sql`SELECT 1`;
    // After the session's row lock, as in every turn (a chat's turns must take their locks in one order), and not for a redelivery.
    const touch = this.contacts.touchStatement(c.tenantId, ref, sql`EXISTS (SELECT 1 FROM s) AND EXISTS (SELECT 1 FROM fresh)`);
    // DO UPDATE takes the row lock of an existing session; a new one is created.
    const { rows } = await sql<SessionRow & { fresh: boolean; touched: string | null }>`${PREPARED}WITH
      s AS (INSERT INTO flow_sessions (tenant_id, conversation_key, channel, bot_id, chat_id, client, locale)
        VALUES (${c.tenantId}, ${c.key}, ${c.channel}, ${c.botId ?? null}, ${c.chatId}, ${JSON.stringify(c.client)}, ${c.locale})
        ON CONFLICT (conversation_key) DO UPDATE SET last_activity_at = now() RETURNING *),
      fresh AS (${fresh}),
      touched AS (${touch})
      SELECT s.*, EXISTS (SELECT 1 FROM fresh) AS fresh, (SELECT id FROM touched LIMIT 1) AS touched FROM s`.execute(trx);
    const { fresh: isFresh, touched, ...s } = rows[0];
    return { s: s as SessionRow, duplicate: !isFresh, touched };
  }

  private async lock(trx: Tx, target: { conversation: Conversation } | { sessionId: string }): Promise<SessionRow> {
    if ('conversation' in target) {
      const c = target.conversation;
      // One statement creates the row or, on conflict, locks the existing one (DO UPDATE takes the row lock).
      return (await trx.insertInto('flow_sessions')
        .values({ tenant_id: c.tenantId, conversation_key: c.key, channel: c.channel, bot_id: c.botId ?? null, chat_id: c.chatId, client: JSON.stringify(c.client), locale: c.locale })
        .onConflict((oc) => oc.column('conversation_key').doUpdateSet({ last_activity_at: sql`now()` }))
        .returningAll().executeTakeFirstOrThrow()) as SessionRow;
    }
    const row = await trx.selectFrom('flow_sessions').selectAll().where('id', '=', target.sessionId).forUpdate().executeTakeFirst();
    if (!row) throw createError('BF_ERR_WEBCHAT_SESSION_NOT_FOUND', { id: target.sessionId });
    return row as SessionRow;
  }

  private async currentGraph(s: SessionRow, trx: Tx): Promise<Graph | undefined> {
    if (!s.flow_id) return undefined;
    if (s.draft_mode) return s.draft_graph ?? undefined;
    return s.flow_version === null ? undefined : this.store.version(s.flow_id, s.flow_version, trx);
  }

  private async candidates(s: SessionRow, trx: Tx, entryFlowKey?: string): Promise<Candidate[]> {
    // A test chat only knows its own flow; a bot answers with all published flows of the business.
    if (s.channel === 'webchat') {
      const graph = await this.currentGraph(s, trx);
      return graph && s.flow_id ? [{ id: s.flow_id, version: s.flow_version, graph }] : [];
    }
    // A flow tied to another bot of the business does not answer this one.
    return (await this.store.published(s.tenant_id, entryFlowKey, trx)).filter((f) => f.botId === null || f.botId === s.bot_id || f.key === entryFlowKey);
  }

  private async handle(turn: Turn, event: TurnEvent, entryFlowKey?: string): Promise<void> {
    const { s } = turn;
    if (event.kind === 'begin') {
      const flow = await turn.trx.selectFrom('flows').select(['id', 'published_version', 'draft', 'key']).where('id', '=', event.flowId).where('tenant_id', '=', s.tenant_id).where('deleted_at', 'is', null).executeTakeFirst();
      if (!flow) throw createError('BF_ERR_FLOW_NOT_FOUND', { id: event.flowId });
      if (!event.draft && flow.published_version === null) throw createError('BF_ERR_FLOW_NOT_PUBLISHED', { key: flow.key });
      const graph = event.draft ? runnableDraft(flow.draft, flow.key) : await this.store.version(flow.id, flow.published_version, turn.trx);
      const start = entryNode(graph, this.isTrigger);
      this.startSession(turn, { id: flow.id, version: event.draft ? null : flow.published_version, graph }, event.draft);
      if (start) await this.run(turn, start.id);
      else this.endSession(s);
      return;
    }

    if (event.kind === 'start') {
      await this.startFor(turn, event);
      return;
    }

    if (event.kind === 'timer') {
      turn.graph = await this.currentGraph(s, turn.trx);
      if (s.status === 'active' && s.waiting === 'timer' && s.timer_token === event.token && s.node_id) {
        const from = s.node_id;
        s.waiting = null;
        s.timer_token = null;
        await this.follow(turn, from, 'next');
      } else if (s.status === 'active' && s.noreply?.token === event.token && s.noreply.flowId === s.flow_id) {
        const from = s.noreply.nodeId;
        s.noreply = null;
        s.waiting = null;
        s.timer_token = null;
        await this.follow(turn, from, 'timeout');
      }
      return;
    }

    if (event.kind === 'callback') {
      const entry = s.callbacks[event.id];
      if (entry && s.status === 'active' && s.waiting === 'input' && entry.n === s.node_id) {
        s.noreply = null;
        turn.graph = await this.currentGraph(s, turn.trx);
        await this.run(turn, s.node_id, { callback: entry.v });
      } else if (entry || !(await this.pressed(turn, event.id))) turn.out.stale = true;
      return;
    }

    const text = event.text ?? '';
    // A command ends what a plugin awaited and does what it does; any other message answers it, keywords included.
    if (text.trim().startsWith('/')) s.capture = null;
    else if (await this.awaited(turn, event)) return;
    const inDialog = s.status === 'active';
    const trigger = text ? matchTrigger(await this.candidates(s, turn.trx, entryFlowKey), text, inDialog) : undefined;
    if (trigger) {
      this.startSession(turn, trigger.flow, s.draft_mode && s.channel === 'webchat');
      if (trigger.payload !== undefined) s.vars[String(trigger.node.settings.saveAs ?? 'startPayload')] = trigger.payload;
      await this.run(turn, trigger.node.id);
      return;
    }
    if (s.status === 'handoff') {
      turn.out.staff.push(engineText('handoffMessage', s.locale, { name: s.client.name ?? s.client.id, text: text || event.contact?.phone || '' }));
      await emitEvent(turn.trx, s.tenant_id, 'flow.handoff-message', { sessionId: s.id, channel: s.channel, client: s.client, text });
      return;
    }
    if (inDialog) {
      s.noreply = null;
      if (s.waiting !== 'input' || !s.node_id) return;
      turn.graph = await this.currentGraph(s, turn.trx);
      await this.run(turn, s.node_id, { ...(text ? { text } : {}), ...(event.contact ? { contact: event.contact } : {}) });
      return;
    }
    // No dialog and no trigger: the entry flow greets the client.
    const flows = await this.candidates(s, turn.trx, entryFlowKey);
    const flow = flows[0];
    const start = flow && entryNode(flow.graph);
    if (!flow || !start) return;
    this.startSession(turn, flow, s.draft_mode && s.channel === 'webchat');
    await this.run(turn, start.id);
  }

  /** A free message a plugin awaits (no command or flow started meanwhile): its handler's replies. */
  private async awaited(turn: Turn, event: Extract<TurnEvent, { kind: 'message' }>): Promise<boolean> {
    const { s } = turn;
    const capture = s.capture;
    if (!capture || event.contact || s.channel === 'contact') return false;
    s.capture = null;
    if (Date.parse(capture.until) <= this.clock.nowMs() || (!event.text && !event.media)) return false;
    const outcome = await this.chatInputs?.(turn.trx, {
      tenantId: s.tenant_id, handler: capture.handler, payload: capture.payload, conversation: { channel: s.channel, botId: s.bot_id, chatId: s.chat_id },
      locale: s.locale, ...(event.text ? { text: event.text } : {}), ...(event.media ? { media: event.media } : {}),
    });
    if (!outcome) return false;
    turn.out.messages.push(...outcome.replies);
    if (!outcome.done) s.capture = { ...capture, payload: outcome.payload };
    return true;
  }

  /** A proactive message's button, pressed however long after: its action's replies, or its flow started here. */
  private async pressed(turn: Turn, callbackId: string): Promise<boolean> {
    const { s } = turn;
    // a contact's own session has no chat to press in
    if (s.channel === 'contact') return false;
    const outcome = await this.presses?.(turn.trx, { tenantId: s.tenant_id, callbackId, conversation: { channel: s.channel, botId: s.bot_id, chatId: s.chat_id }, locale: s.locale });
    if (!outcome) return false;
    if ('replies' in outcome) {
      turn.out.messages.push(...outcome.replies);
      turn.out.keepButtons = outcome.keepButtons;
      if (outcome.capture) {
        const { handler, payload, minutes } = outcome.capture;
        s.capture = { handler, payload, until: new Date(this.clock.nowMs() + minutes * 60_000).toISOString() };
      }
      return true;
    }
    const flow = await this.store.byKey(s.tenant_id, outcome.flow.flowKey, false, turn.trx).catch(() => undefined);
    const start = flow && (flow.graph.nodes.find((n) => n.id === outcome.flow.nodeId) ?? entryNode(flow.graph));
    if (!flow || !start) return false;
    this.startSession(turn, flow, false);
    s.vars = { ...s.vars, ...outcome.flow.vars };
    await this.run(turn, start.id);
    return true;
  }

  private readonly isTrigger = (type: string) => this.registry.isTrigger(type);

  private async startFor(turn: Turn, event: Extract<TurnEvent, { kind: 'start' }>): Promise<void> {
    const { s } = turn;
    // The last message either way, on the clock: every turn sets expires_at = now + idle.
    const lastActivity = s.expires_at ? s.expires_at.getTime() - this.idleMs : 0;
    if (s.status !== 'ended' && lastActivity > this.clock.nowMs() - BUSY_MS) {
      turn.out.deferred = true;
      return;
    }
    const graph = await this.store.version(event.flowId, event.version, turn.trx);
    const start = event.nodeId ? graph.nodes.find((n) => n.id === event.nodeId) : entryNode(graph, this.isTrigger);
    if (!start) throw createError('BF_ERR_FLOW_VERSION_NOT_FOUND', { id: event.flowId, version: event.version });
    this.startSession(turn, { id: event.flowId, version: event.version, graph }, false);
    s.vars = { ...s.vars, ...event.vars };
    await this.run(turn, start.id);
  }

  private startSession(turn: Turn, flow: Candidate, draft: boolean): void {
    const { s } = turn;
    s.status = 'active';
    s.flow_id = flow.id;
    s.flow_version = draft ? null : flow.version;
    s.draft_mode = draft;
    s.draft_graph = draft ? flow.graph : null;
    s.node_id = null;
    s.waiting = null;
    s.timer_token = null;
    s.noreply = null;
    // A flow started here: whatever a plugin awaited is not what the client answers now.
    s.capture = null;
    s.callbacks = {};
    s.vars = { client: s.client, locale: s.locale };
    s.started_at = this.clock.now();
    turn.graph = flow.graph;
  }

  private endSession(s: SessionRow): void {
    s.status = 'ended';
    s.node_id = null;
    s.waiting = null;
    s.timer_token = null;
    s.noreply = null;
    s.callbacks = {};
  }

  private async follow(turn: Turn, from: string, port: string): Promise<void> {
    const target = turn.graph && edgeTarget(turn.graph, from, port);
    if (!target) {
      this.endSession(turn.s);
      return;
    }
    await this.run(turn, target);
  }

  /**
   * Runs nodes from `nodeId` until one waits, the flow ends, the loop guard stops the turn, or a node must
   * run outside the transaction; `ran` is the outcome of `nodeId` when it already ran outside it.
   */
  private async run(turn: Turn, nodeId: string, input?: NodeRunInput['input'], ran?: OutsideOutcome): Promise<void> {
    const { s } = turn;
    s.node_id = null;
    s.waiting = null;
    let current: string | undefined = nodeId;
    let resumeInput = input;
    let steps = 0;
    while (current) {
      const graph: Graph | undefined = turn.graph;
      const node = graph?.nodes.find((n) => n.id === current);
      if (!graph || !node || !s.flow_id) {
        this.endSession(s);
        return;
      }
      if (++steps > this.maxSteps) {
        this.log.warn({ flowId: s.flow_id, nodeId: node.id, session: s.id, steps: this.maxSteps }, 'loop guard ended the turn');
        turn.out.messages.push({ text: engineText('fallback', s.locale) });
        this.endSession(s);
        return;
      }
      if (!ran && (await this.registry.isOff(s.tenant_id, node.type, turn.trx))) {
        // Switched off by the owner after publishing: not a failure of the step, so no error port and no alarm.
        this.log.info({ flowId: s.flow_id, nodeId: node.id, nodeType: node.type, session: s.id }, 'a step whose plugin is off was reached');
        turn.out.messages.push({ text: engineText('unavailable', s.locale) });
        this.endSession(s);
        return;
      }
      let result: CoreRunResult;
      try {
        if (ran) {
          const outcome = ran;
          ran = undefined;
          if ('error' in outcome) throw outcome.error;
          result = outcome.result;
        } else if (this.registry.definition(node.type)?.outsideTransaction) {
          turn.outside = park(s, node.id, await this.prepare(turn, graph, node, resumeInput, this.db));
          return;
        } else {
          result = await this.runNode(turn, graph, node, resumeInput);
        }
        if (result.jump) {
          const target = await this.store.byKey(s.tenant_id, result.jump, s.draft_mode, turn.trx);
          const start = entryNode(target.graph, this.isTrigger);
          if (!start) throw new Error(`flow ${result.jump} has no start`);
          const vars = s.vars;
          this.startSession(turn, { id: target.id, version: target.version, graph: target.graph }, s.draft_mode);
          s.vars = vars;
          this.applyResult(turn, node, result);
          current = start.id;
          resumeInput = undefined;
          continue;
        }
      } catch (e) {
        const err = new FlowNodeError(s.flow_id, node.id, node.type, e);
        this.log.error({ err, flowId: s.flow_id, nodeId: node.id, nodeType: node.type, session: s.id }, 'flow node failed');
        s.vars.lastError = err.message;
        const onError = edgeTarget(graph, node.id, 'error');
        if (!onError) {
          turn.out.messages.push({ text: engineText('fallback', s.locale) });
          this.endSession(s);
          return;
        }
        current = onError;
        resumeInput = undefined;
        continue;
      }
      resumeInput = undefined;
      this.applyResult(turn, node, result);
      if (result.handoff) {
        s.status = 'handoff';
        turn.out.staff.push(engineText('handoffStaff', s.locale, { name: s.client.name ?? '', phone: s.client.phone ?? '', channel: s.channel, note: result.handoff.note }));
        await emitEvent(turn.trx, s.tenant_id, 'flow.handoff', { sessionId: s.id, channel: s.channel, chatId: s.chat_id, botId: s.bot_id, client: s.client, flowId: s.flow_id, nodeId: node.id, note: result.handoff.note });
        return;
      }
      if (result.end) {
        this.endSession(s);
        return;
      }
      if (result.delayMs !== undefined) {
        s.node_id = node.id;
        s.waiting = 'timer';
        s.timer_token = crypto.randomUUID();
        // real time: the job runner waits by it, and a delay is a span whatever the clock reads
        turn.timers.push({ at: new Date(Date.now() + result.delayMs), sessionId: s.id, token: s.timer_token });
        return;
      }
      if (result.noReplyMs !== undefined) {
        s.noreply = { token: crypto.randomUUID(), nodeId: node.id, flowId: s.flow_id };
        // real time: as the delay's timer
        turn.timers.push({ at: new Date(Date.now() + result.noReplyMs), sessionId: s.id, token: s.noreply.token });
      }
      if (result.wait) {
        s.node_id = node.id;
        s.waiting = 'input';
        return;
      }
      current = result.next ? edgeTarget(graph, node.id, result.next) : undefined;
      if (!current) this.endSession(s);
    }
  }

  private async runNode(turn: Turn, graph: Graph, node: GraphNode, input: NodeRunInput['input']): Promise<CoreRunResult> {
    const run = await this.prepare(turn, graph, node, input, turn.trx);
    return CORE_RUNTIMES[node.type] ? run() : inSavepoint(turn.trx, run);
  }

  /** The node's runtime bound to its input; `db` is where the node reads and writes (the turn's transaction, or the pool). */
  private async prepare(turn: Turn, graph: Graph, node: GraphNode, input: NodeRunInput['input'], db: Db | Tx): Promise<() => Promise<CoreRunResult>> {
    const { s } = turn;
    const runInput: NodeRunInput = {
      tenantId: s.tenant_id,
      db,
      settings: this.registry.withDefaults(node.type, node.settings),
      vars: s.vars,
      locale: s.locale,
      ...(input ? { input } : {}),
      client: { ...s.client, chatId: s.chat_id, channel: s.channel },
      ...(conversationOf(s) ? { conversation: conversationOf(s) } : {}),
      flowId: s.flow_id!,
      nodeId: node.id,
      ...(s.draft_mode && s.channel === 'webchat' ? { test: true } : {}),
      answers: flowAnswers(graph, s.vars, s.locale),
    };
    const core = CORE_RUNTIMES[node.type];
    if (core) {
      const offPorts = node.type === 'choice' ? await this.offPorts(turn, graph, node.id) : new Set<string>();
      const env = { hasEdge: (port: string) => Boolean(edgeTarget(graph, node.id, port)), offPorts, timezone: turn.timezone, country: turn.country, now: this.clock.now() };
      return () => core(runInput, env);
    }
    const plugin = await this.registry.pluginRuntime(s.tenant_id, node.type, turn.trx);
    if (!plugin) throw createError('BF_ERR_FLOW_NODE_TYPE_UNKNOWN', { nodeId: node.id, type: node.type });
    return () => plugin.runtime(runInput, plugin.ctx);
  }

  /** The node's ports whose next step belongs to a plugin the business has switched off since publishing. */
  private async offPorts(turn: Turn, graph: Graph, nodeId: string): Promise<Set<string>> {
    const off = new Set<string>();
    if (!(await this.registry.anyOff(turn.s.tenant_id, turn.trx))) return off;
    for (const e of graph.edges) if (e.source === nodeId && (await this.leadsOff(turn, graph, e.target, 0))) off.add(e.sourcePort);
    return off;
  }

  /** Whether the step is one of a switched-off plugin, or a jump to a flow that starts with one (as the demo menu's). */
  private async leadsOff(turn: Turn, graph: Graph, nodeId: string, depth: number): Promise<boolean> {
    const node = graph.nodes.find((n) => n.id === nodeId);
    if (!node) return false;
    if (await this.registry.isOff(turn.s.tenant_id, node.type, turn.trx)) return true;
    if (node.type !== 'jump' || depth >= 3) return false;
    // Published flows come from the store's per-business cache: a menu is shown often, and no query is owed for it.
    const key = String(node.settings.flowKey);
    const flow = turn.s.draft_mode
      ? await this.store.byKey(turn.s.tenant_id, key, true, turn.trx).catch(() => undefined)
      : (await this.store.published(turn.s.tenant_id, undefined, turn.trx)).find((f) => f.key === key);
    const start = flow && entryNode(flow.graph, this.isTrigger);
    const first = start && edgeTarget(flow.graph, start.id, 'next');
    return first ? this.leadsOff(turn, flow.graph, first, depth + 1) : false;
  }

  private applyResult(turn: Turn, node: GraphNode, result: CoreRunResult): void {
    const { s } = turn;
    if (result.set) s.vars = { ...s.vars, ...result.set };
    for (const m of result.messages ?? []) {
      const msg: ChatMessage = { text: m.text };
      if (m.photo) msg.photo = m.photo;
      if (m.requestContact) msg.requestContact = m.requestContact;
      if (m.buttons?.length) {
        msg.buttons = m.buttons.map((row) => row.map((b) => {
          const id = `b${++s.callback_seq}`;
          s.callbacks[id] = { v: b.value, n: node.id };
          return { label: b.label, callback: id };
        }));
      }
      turn.out.messages.push(msg);
    }
  }

  private async save(turn: Turn, pushed: boolean): Promise<void> {
    const { s, trx } = turn;
    // Only the buttons of the node the client is answering stay pressable.
    const callbacks = s.waiting === 'input' ? Object.fromEntries(Object.entries(s.callbacks).filter(([, c]) => c.n === s.node_id)) : {};
    const live = s.status !== 'ended';
    const session: SessionSave = trx.updateTable('flow_sessions').set({
      client: JSON.stringify(s.client),
      contact_id: s.contact_id,
      locale: s.locale,
      status: s.status,
      flow_id: s.flow_id,
      flow_version: s.flow_version,
      draft_mode: s.draft_mode,
      draft_graph: s.draft_graph ? JSON.stringify(s.draft_graph) : null,
      node_id: s.node_id,
      waiting: s.waiting,
      vars: JSON.stringify(s.vars),
      callbacks: JSON.stringify(callbacks),
      callback_seq: s.callback_seq,
      timer_token: s.timer_token,
      noreply: s.noreply ? JSON.stringify(s.noreply) : null,
      capture: s.capture ? JSON.stringify(s.capture) : null,
      started_at: s.started_at,
      // The database's stamp, as the column's default: the web chat measures idleness against its now().
      last_activity_at: sql`now()`,
      expires_at: live ? new Date(this.clock.nowMs() + this.idleMs) : null,
    }).where('id', '=', s.id);
    const fresh = turn.out.messages.slice(turn.saved.messages);
    if (s.channel === 'webchat' && fresh.length) {
      await trx.insertInto('webchat_messages').values(fresh.map((m) => ({ session_id: s.id, message: JSON.stringify(m), pushed }))).execute();
    }
    const hook = this.turnHooks.get(s.channel);
    if (hook) turn.committed = (await hook(trx, turn.out, { messages: fresh, staff: turn.out.staff.slice(turn.saved.staff), event: turn.event, session })) ?? undefined;
    else await session.execute();
    turn.saved = { messages: turn.out.messages.length, staff: turn.out.staff.length };
  }
}
