import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Db, Messages, Secrets } from '../../plugin-sdk.js';
import type { Subscriber } from '../outbox/dispatcher.js';
import type { AppConfig } from '../config.js';
import type { Scheduler } from '../jobs/scheduler.js';
import type { PluginHost } from '../plugins/host.js';
import { TelegramChannel } from '../channels/telegram/channel.js';
import { botRoutes, webhookRoute } from '../channels/telegram/routes.js';
import { WebChat } from '../channels/webchat/routes.js';
import { FlowEngine, type EngineOptions } from './engine.js';
import { NodeRegistry } from './node-registry.js';
import { flowRoutes } from './routes.js';
import { FlowStore } from './store.js';
import type { Clock } from '../clock.js';
import type { MessageService } from '../messages/service.js';
import { FlowStarter } from './triggers/flow-starter.js';
import { eventTriggerSubscribers } from './triggers/event-subscribers.js';
import { flowEventRoutes } from './triggers/routes.js';

export interface FlowModule {
  engine: FlowEngine;
  store: FlowStore;
  registry: NodeRegistry;
  telegram: TelegramChannel;
  webchat: WebChat;
  /** flows started for contacts: ctx.flows and event triggers */
  starter: FlowStarter;
  /** the event handlers that start flows by their event triggers, for the outbox dispatcher */
  subscribers: Subscriber[];
  /** mounts /api/v1 flow, bot and web chat routes and the /telegram/:botId webhook */
  register(http: FastifyInstance): Promise<void>;
  /** connects the bots (webhooks or polling) and schedules session expiry; after the scheduler started */
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** Dialog flows with their engine and channels (Telegram, web chat), wired into the app. */
export function createFlows(deps: {
  db: Db; host: PluginHost; scheduler: Scheduler; secrets: Secrets; config: AppConfig; log: Logger; clock: Clock; engine?: EngineOptions;
  /** the message outbox: turn replies, and flows started for contacts no chat reaches */
  messages: MessageService;
}): FlowModule {
  const log = deps.log.child({ module: 'flows' });
  const store = new FlowStore(deps.db);
  const registry = new NodeRegistry(deps.host);
  // A turn holds one pooled connection in its transaction; a node running outside it (http, slot searches)
  // reads through the pool instead, in parallel queries. Leave room for HTTP requests, the outbox and the job runner.
  const concurrency = Math.max(1, Math.floor((deps.config.dbPoolMax - 4) / 2));
  const engine = new FlowEngine(deps.db, store, registry, deps.scheduler, log, deps.clock, deps.host.contacts, (tenantId, q) => deps.host.business(tenantId, q), { concurrency, ...deps.engine });
  const telegram = new TelegramChannel(deps.db, engine, store, deps.secrets, deps.config, log, deps.messages);
  telegram.onBotsChanged = (tenantId) => deps.host.forget(tenantId);
  // One plugin at most takes Telegram payments; the first loaded that offers it.
  const payer = deps.host.plugins.find((p) => p.server.telegramPayments);
  if (payer) telegram.usePayments({ handler: payer.server.telegramPayments!, ctx: payer.ctx, enabled: (tenantId) => deps.host.isEnabled(tenantId, payer.manifest.id) });
  deps.messages.useInvoiceLinks((tenantId, invoice) => telegram.invoiceLink(tenantId, invoice));
  const webchat = new WebChat(deps.db, engine, { perAddress: deps.config.webchatStreamsPerAddress, total: deps.config.webchatStreamsTotal, streamIdleSeconds: deps.config.webchatStreamIdleSeconds }, deps.messages);
  const starter = new FlowStarter(deps.db, engine, store, deps.scheduler.pluginJobs, log, deps.clock, () => deps.messages);
  deps.host.useFlowStarter(starter);
  const subscribers = eventTriggerSubscribers(registry.events, starter, deps.clock, log);
  return {
    engine, store, registry, telegram, webchat, starter, subscribers,
    async register(http) {
      http.addHook('preClose', async () => webchat.closeStreams());
      webhookRoute(http, telegram);
      await http.register(async (api) => {
        flowRoutes(api, deps.db, registry, store, (tenantId) => telegram.refreshCommands(tenantId));
        flowEventRoutes(api, deps.host, registry.events);
        botRoutes(api, deps.db, telegram, deps.secrets);
        webchat.routes(api);
      }, { prefix: '/api/v1' });
    },
    async start() {
      await engine.start();
      await telegram.start();
    },
    async stop() {
      webchat.closeStreams();
      await telegram.stop();
    },
  };
}
