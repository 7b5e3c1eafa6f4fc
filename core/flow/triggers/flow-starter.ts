import crypto from 'node:crypto';
import type { Logger } from 'pino';
import type { Db, FlowStartInput, FlowTrigger, JobInfo, Messages, Tx } from '../../../plugin-sdk.js';
import { createError } from '../../errors.js';
import { createAjv, fieldErrors } from '../../validation.js';
import { CORE_JOBS, type PluginJobRunner } from '../../jobs/plugin-jobs.js';
import type { Clock } from '../../clock.js';
import type { FlowEngine } from '../engine.js';
import type { FlowStore } from '../store.js';
import type { Conversation, TurnOutput } from '../session.js';
import { reachableChats, startContact } from './reachable-chat.js';

export const FLOW_START_JOB = 'flow-start';
/** A start that found the client mid-dialog tries again this much later. */
export const POSTPONE_MS = 10 * 60_000;
/** Where a flow's messages go for a contact no chat reaches. */
const CONTACT_CHANNELS = ['email', 'phone'] as const;

/** One start, as its job carries it. */
export interface StartJob {
  contactId: string;
  /** an event trigger names its flow by id and starts at its node; flows.start by key */
  flowId?: string;
  flowKey?: string;
  nodeId?: string;
  vars: Record<string, unknown>;
  channel?: string;
  /** set by event triggers: at due time the trigger must still be subscribed (not unpublished meanwhile) */
  trigger?: boolean;
}

const validateInput = createAjv({ useDefaults: false }).compile({
  type: 'object',
  required: ['tenantId', 'contactId', 'flowKey'],
  additionalProperties: false,
  properties: {
    tenantId: { type: 'string', format: 'uuid' },
    contactId: { type: 'string', format: 'uuid' },
    flowKey: { type: 'string', pattern: '^[a-z0-9][a-z0-9-]{0,62}$' },
    nodeId: { type: 'string', pattern: '^[A-Za-z0-9_.:-]{1,64}$' },
    vars: { type: 'object' },
    channel: { enum: ['telegram', 'webchat', 'email', 'phone', 'max', 'whatsapp'] },
    idempotencyKey: { type: 'string', minLength: 1, maxLength: 200 },
    at: {},
  },
});

/**
 * Starts flows for contacts outside a conversation: `ctx.flows.start` and event triggers write a keyed core
 * job in the caller's transaction (durable, at most once per key); the job runs the flow's live version on
 * the contact's reachable chat as one engine turn, whose replies go out the way every turn's do.
 */
export class FlowStarter {
  constructor(
    private readonly db: Db,
    private readonly engine: FlowEngine,
    private readonly store: FlowStore,
    private readonly jobs: PluginJobRunner,
    private readonly log: Logger,
    private readonly clock: Clock,
    /** the message outbox (email, SMS) for contacts no chat reaches; absent, such starts are skipped */
    private readonly messages: () => Messages | undefined = () => undefined,
  ) {
    jobs.defineCore(FLOW_START_JOB, (job: JobInfo<StartJob>) => this.run(job));
    engine.onDeliver('contact', (out) => this.sendToContact(out));
  }

  /** Writes a start job on `trx`; a key already used does nothing (the first one stands). */
  async enqueue(trx: Tx, tenantId: string, key: string, data: StartJob, runAt?: Date): Promise<void> {
    await this.jobs.schedule(trx, { tenantId, pluginId: CORE_JOBS, name: FLOW_START_JOB, key, data: data as unknown as Record<string, unknown>, runAt, keepExisting: true });
  }

  /** `ctx.flows.start` of plugin `pluginId`: its keys are its own. */
  async start(trx: Tx, input: FlowStartInput, pluginId: string): Promise<void> {
    const { at, ...rest } = input;
    if (!validateInput(input) || (at !== undefined && !(at instanceof Date && Number.isFinite(at.getTime())))) {
      throw createError('BF_ERR_FLOW_START_INVALID', { errors: validateInput.errors ? fieldErrors(validateInput.errors) : [{ path: '/at', message: 'must be a Date' }] });
    }
    const key = `flow-start:${pluginId}:${rest.idempotencyKey ?? crypto.randomUUID()}`;
    await this.enqueue(trx, rest.tenantId, key, { contactId: rest.contactId, flowKey: rest.flowKey, nodeId: rest.nodeId, vars: rest.vars ?? {}, channel: rest.channel }, at);
  }

  /** The published flows' nodes of a (plugin's) trigger type in the business, for the plugin that fires them. */
  async triggers(q: Db | Tx, tenantId: string, nodeType: string): Promise<FlowTrigger[]> {
    const rows = await q.selectFrom('flow_triggers as t').innerJoin('flows as f', 'f.id', 't.flow_id')
      .select(['t.flow_id', 'f.key', 't.node_id', 't.settings']).where('t.tenant_id', '=', tenantId).where('t.node_type', '=', nodeType)
      .where('f.deleted_at', 'is', null).orderBy('f.key').orderBy('t.node_id').execute();
    return rows.map((r) => ({ flowId: r.flow_id, flowKey: r.key, nodeId: r.node_id, settings: r.settings }));
  }

  private skip(job: JobInfo<StartJob>, reason: string): void {
    this.log.info({ jobKey: job.key, tenantId: job.tenantId, contactId: job.data.contactId, reason }, 'flow start skipped');
  }

  private async run(job: JobInfo<StartJob>): Promise<void> {
    const d = job.data;
    const tenantId = job.tenantId;
    let q = this.db.selectFrom('flows').select(['id', 'key', 'bot_id', 'published_version']).where('tenant_id', '=', tenantId).where('deleted_at', 'is', null);
    q = d.flowId ? q.where('id', '=', d.flowId) : q.where('key', '=', d.flowKey ?? '');
    const flow = await q.executeTakeFirst();
    if (!flow || flow.published_version === null) return this.skip(job, 'the flow is not published');
    if (d.trigger && !(await this.db.selectFrom('flow_triggers').select('node_id').where('flow_id', '=', flow.id).where('node_id', '=', d.nodeId ?? '').executeTakeFirst())) {
      return this.skip(job, 'the trigger is no longer in the live version');
    }
    if (d.nodeId && !(await this.store.version(flow.id, flow.published_version)).nodes.some((n) => n.id === d.nodeId)) return this.skip(job, `the live version has no node ${d.nodeId}`);
    const contact = await startContact(this.db, tenantId, d.contactId);
    if (!contact) return this.skip(job, 'no such contact');

    const business = await this.db.selectFrom('tenants').select('locale').where('id', '=', tenantId).executeTakeFirstOrThrow();
    const chatFirst = !d.channel || d.channel === 'telegram' || d.channel === 'webchat';
    const [chat] = chatFirst ? await reachableChats(this.db, tenantId, contact.id, { botId: flow.bot_id, prefer: d.channel }) : [];
    let conversation: Conversation;
    if (chat) {
      const locale = contact.locale ?? chat.locale ?? business.locale;
      conversation = { tenantId, channel: chat.channel, key: chat.key, chatId: chat.chatId, ...(chat.botId ? { botId: chat.botId } : {}), client: { id: `${chat.channel}:${chat.chatId}`, name: contact.name }, locale };
    } else if (this.messages()) {
      conversation = { tenantId, channel: 'contact', key: `contact:${contact.id}`, chatId: contact.id, client: { id: `contact:${contact.id}`, name: contact.name }, locale: contact.locale ?? business.locale };
    } else {
      return this.skip(job, 'no chat reaches the contact, and no message outbox to reach them otherwise');
    }
    const out = await this.engine.turn({ conversation }, { kind: 'start', flowId: flow.id, version: flow.published_version, nodeId: d.nodeId, vars: d.vars }, { pushed: true });
    if (out.deferred) {
      this.log.info({ jobKey: job.key, tenantId, contactId: contact.id, session: out.sessionId }, 'flow start postponed: the client is in the middle of a dialog');
      // Replaces this running job under its key, so finishing this run leaves the new time standing.
      await this.jobs.schedule(this.db, { tenantId, pluginId: CORE_JOBS, name: FLOW_START_JOB, key: job.key ?? undefined, data: d as unknown as Record<string, unknown>, runAt: new Date(this.clock.nowMs() + POSTPONE_MS) });
      return;
    }
    await this.engine.deliver(out);
  }

  /** A contact conversation's replies become outgoing messages to the contact (email, then SMS). */
  private async sendToContact(out: TurnOutput): Promise<void> {
    const messages = this.messages();
    if (!messages || !out.messages.length) return;
    const turn = crypto.randomUUID();
    await this.db.transaction().execute(async (trx) => {
      for (const [i, m] of out.messages.entries()) {
        await messages.send(trx, {
          tenantId: out.tenantId, to: { contactId: out.chatId }, purpose: 'transactional', channels: [...CONTACT_CHANNELS], idempotencyKey: `flow:${out.sessionId}:${turn}:${i}`,
          message: { text: m.text, ...(m.photo ? { photo: m.photo } : {}), ...(m.buttons ? { buttons: m.buttons.map((row) => row.flatMap((b) => (b.callback ? [{ label: b.label, value: b.callback }] : []))) } : {}) },
        });
      }
    });
  }
}
