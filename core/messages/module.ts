import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { ChannelAdapter, Db } from '../../plugin-sdk.js';
import type { AppConfig } from '../config.js';
import type { Clock } from '../clock.js';
import type { PluginHost } from '../plugins/host.js';
import type { FlowModule } from '../flow/module.js';
import { coreChannelAdapters } from '../channels/adapters.js';
import { CORE_VERSION } from '../version.js';
import { ActionRegistry } from './actions.js';
import { ChannelRegistry } from './channels.js';
import { ChatInputRegistry } from './chat-inputs.js';
import { Deliverer } from './deliver.js';
import { MessageDispatcher } from './dispatcher.js';
import { messageRoutes } from './routes.js';
import { MessageService } from './service.js';

export interface MessageModule {
  service: MessageService;
  actions: ActionRegistry;
  /** plugins' handlers of the free messages they await */
  chatInputs: ChatInputRegistry;
  channels: ChannelRegistry;
  dispatcher: MessageDispatcher;
  /** registers core's and plugins' channel adapters and answers the engine's presses; once the flows exist */
  connect(flows: FlowModule, coreChannels: ChannelAdapter[]): void;
  routes(api: FastifyInstance): void;
}

/** The message outbox wired into the app: `ctx.messages`, button actions, channel adapters and the dispatcher. */
export function createMessages(deps: { db: Db; databaseUrl: string; host: PluginHost; config: AppConfig; clock: Clock; log: Logger }): MessageModule {
  const log = deps.log.child({ module: 'messages' });
  const { host } = deps;
  const core = host.coreContext(CORE_VERSION);
  const service = new MessageService(deps.db, deps.clock);
  host.attachMessages(service);
  const actions = new ActionRegistry(deps.db, deps.clock, log, (tenantId, pluginId, q) => host.isEnabled(tenantId, pluginId, q));
  actions.addCore(core);
  for (const p of host.plugins) if (p.server.actions) actions.addPlugin(p.manifest.id, p.server.actions, p.ctx);
  const chatInputs = new ChatInputRegistry(deps.clock, log, (tenantId, pluginId, q) => host.isEnabled(tenantId, pluginId, q));
  for (const p of host.plugins) if (p.server.chatInputs) chatInputs.addPlugin(p.manifest.id, p.server.chatInputs, p.ctx);
  const channels = new ChannelRegistry();
  const leaseMs = deps.config.messageLeaseSeconds * 1000;
  const deliverer = new Deliverer(deps.db, channels, deps.clock, log, (tenantId) => core.business(tenantId));
  const dispatcher = new MessageDispatcher(deps.db, deps.databaseUrl, deliverer, deps.clock, log, { workers: deps.config.messageWorkers, leaseMs, maxAttempts: deps.config.messageMaxAttempts });
  service.useSender(dispatcher);
  return {
    service, actions, chatInputs, channels, dispatcher,
    connect(flows, coreChannels) {
      channels.add('core', coreChannelAdapters({ telegram: flows.telegram, webchat: flows.webchat, others: coreChannels, sendTimeoutMs: leaseMs / 2 }), core);
      // A plugin's channel reaches only the businesses that enabled the plugin.
      for (const p of host.plugins) {
        const own = (p.server.channels ?? []).map((a): ChannelAdapter => ({
          kind: a.kind,
          available: async (tenantId, ctx) => (await host.isEnabled(tenantId, p.manifest.id)) && a.available(tenantId, ctx),
          send: (d, ctx) => a.send(d, ctx),
        }));
        if (own.length) channels.add(p.manifest.id, own, p.ctx);
      }
      flows.engine.onPress((trx, press) => actions.press(trx, press));
      flows.engine.onChatInput((trx, input) => chatInputs.deliver(trx, input));
    },
    routes(api) {
      messageRoutes(api, deps.db, service);
    },
  };
}
