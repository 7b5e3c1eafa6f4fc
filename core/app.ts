import path from 'node:path';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyReply, type FastifyRequest, type FastifySchema } from 'fastify';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { pino, type Logger } from 'pino';
import type { RouteAccess, SoftDeletable } from '../plugin-sdk.js';
import type { AppConfig } from './config.js';
import { openDatabase, pingDatabase, type Database } from './db/database.js';
import { migrateFolder } from './db/migrate.js';
import { settlesWithin } from './settles-within.js';
import { installErrorHandling, type FrameworkErrorHandler } from './http/errors.js';
import { installAccessControl } from './http/access.js';
import { installBrowserSecurity } from './http/security.js';
import { installInputGuards } from './http/input.js';
import { authRoutes } from './http/routes/auth.js';
import { tenantRoutes } from './http/routes/tenants.js';
import { invitationRoutes } from './http/routes/invitations.js';
import { accountRoutes } from './http/routes/account.js';
import { scheduleAuthPurge } from './auth/purge-job.js';
import { DEFAULT_ADMIN_EMAIL } from './seed/bootstrap.js';
import { pluginRoutes } from './http/routes/plugins.js';
import { auditRoutes } from './http/routes/audit.js';
import { eventRoutes } from './http/routes/events.js';
import { segmentRoutes } from './segments/routes.js';
import { contactRoutes } from './contacts/routes.js';
import { taskRoutes } from './tasks/routes.js';
import { serveStudio } from './http/studio.js';
import { mountPluginRoutes } from './plugins/mount.js';
import { discoverPlugins, orderPlugins, withDependencies } from './plugins/resolve.js';
import { PluginHost } from './plugins/host.js';
import { Scheduler } from './jobs/scheduler.js';
import { OutboxDispatcher } from './outbox/dispatcher.js';
import { createSecrets, deriveKey, loadSecretKey } from './secrets.js';
import { createCoreChannels, type CoreChannels } from './channels/index.js';
import { createI18n } from './i18n/i18n.js';
import { CORE_VERSION } from './version.js';
import { createFlows, type FlowModule } from './flow/module.js';
import { createMessages, type MessageModule } from './messages/module.js';
import { processClock, type Clock } from './clock.js';
import { FileStore } from './files/store.js';
import { fileRoutes } from './files/routes.js';

export const ROOT = path.resolve(import.meta.dirname, '..');

export interface AppOptions {
  config: AppConfig;
  databaseUrl: string;
  /** folder with plugin folders; default <root>/plugins */
  pluginsDir?: string;
  /** load only these plugins of the folder, and what they depend on (plugin tests stay small); default all */
  plugins?: readonly string[];
  logger?: Logger;
  /** milliseconds between job polls; tests use short ones */
  jobsProcessEvery?: string | number;
  /** what "now" is (default: the process clock, real time unless BOOKFLOW_FAKE_NOW) */
  clock?: Clock;
}

/** One registered route, as tests and tools walk them (HEAD twins of GET routes left out). */
export interface RouteInfo {
  method: string;
  url: string;
  roles: RouteAccess | undefined;
  schema: FastifySchema | undefined;
}

export interface App {
  http: FastifyInstance;
  /** every route, core's and plugins', in registration order */
  routes: ReadonlyArray<RouteInfo>;
  db: Database;
  host: PluginHost;
  scheduler: Scheduler;
  dispatcher: OutboxDispatcher;
  log: Logger;
  clock: Clock;
  /** dialog flows: engine, Telegram and web chat channels */
  flows: FlowModule;
  /** outgoing messages: ctx.messages, channel adapters, button actions, the dispatcher */
  messages: MessageModule;
  /** email and SMS: adapters, settings, unsubscribe links */
  channels: CoreChannels;
  /** starts jobs and event delivery; call after seeding */
  start(): Promise<void>;
  /** graceful: stop taking requests and work, finish what runs, close the database */
  close(): Promise<void>;
}

const CORE_SOFT_DELETES: SoftDeletable[] = [
  { entity: 'member', table: 'memberships', label: 'role', idColumn: 'user_id' },
  { entity: 'flow', table: 'flows', label: 'name' },
  { entity: 'bot', table: 'bots', label: 'name' },
  { entity: 'segment', table: 'segments', label: 'name' },
  { entity: 'contact', table: 'contacts', label: 'name' },
];

/** Builds the whole application against a database; migrations run here. Nothing listens yet. */
export async function createApp(opts: AppOptions): Promise<App> {
  const log = opts.logger ?? pino({ level: opts.config.logLevel });
  const clock = opts.clock ?? processClock;
  // Manifests and dependencies are checked before anything else, so a bad plugin set touches nothing.
  const found = discoverPlugins(opts.pluginsDir ?? path.join(ROOT, 'plugins'));
  const ordered = orderPlugins(opts.plugins ? withDependencies(found, opts.plugins) : found, CORE_VERSION);
  const database = openDatabase(opts.databaseUrl, opts.config.dbPoolMax, opts.config.dbConnectTimeoutMs);
  const { db } = database;

  try {
    await migrateFolder(db, 'core', path.join(ROOT, 'core', 'migrations'));
    for (const p of ordered) await migrateFolder(db, p.manifest.id, path.join(p.dir, 'migrations'));
  } catch (e) {
    // A failed migration must not leave the pool open: it would keep the process alive.
    await database.close();
    throw e;
  }

  const scheduler = new Scheduler(database, log, clock, opts.jobsProcessEvery);
  await scheduler.agenda.ready;
  await scheduleAuthPurge(scheduler, db, log, clock);
  const secretKey = loadSecretKey(opts.config.secretKey, opts.config.dataDir);
  const secrets = createSecrets(secretKey);
  const i18n = await createI18n(Object.fromEntries(ordered.map((p) => [p.manifest.id, path.join(p.dir, 'locales')])));
  const files = new FileStore(db, clock, deriveKey(secretKey, 'file links'), { publicUrl: opts.config.publicUrl, telegramApiRoot: opts.config.telegramApiRoot });
  const host = new PluginHost({ db, log, scheduler, secrets, i18n, clock, databaseUrl: opts.databaseUrl, publicUrl: opts.config.publicUrl, files });
  try {
    await host.load(ordered);
    // A plugin's malformed segment field refuses the start like a bad manifest.
    host.segments.definitions();
  } catch (e) {
    // A plugin refused at load (a point it may not contribute to, an undeclared event) must not leave the pool and the scheduler open.
    await scheduler.stop();
    await database.close();
    throw e;
  }
  const messages = createMessages({ db, databaseUrl: opts.databaseUrl, host, config: opts.config, clock, log });

  let frameworkErrors: FrameworkErrorHandler | undefined;
  const http = Fastify({
    loggerInstance: log as FastifyBaseLogger,
    genReqId: () => crypto.randomUUID(),
    // A URL fastify cannot route goes to the one error mapper too (installed below).
    frameworkErrors: (error, request, reply) => frameworkErrors?.(error, request as FastifyRequest, reply as unknown as FastifyReply),
    // A hop count as fastify itself applies it (its types leave numbers out): trust the n nearest hops.
    trustProxy: typeof opts.config.trustProxy === 'number' ? ((hops) => (_address: string, hop: number) => hop < hops)(opts.config.trustProxy) : opts.config.trustProxy,
  });
  const routes: RouteInfo[] = [];
  http.addHook('onRoute', (r) => {
    for (const method of [r.method].flat()) {
      if (method !== 'HEAD') routes.push({ method, url: r.url, roles: (r.config as { roles?: RouteAccess } | undefined)?.roles, schema: r.schema });
    }
  });
  frameworkErrors = installErrorHandling(http, { i18n, db });
  // Before access control: a `:tenant` or X-Tenant is looked up in the database on request.
  installInputGuards(http);
  // Once shutdown starts, each response closes its connection: an idle keep-alive one would hold the shutdown open.
  let stopping = false;
  http.addHook('onSend', async (_request, reply) => {
    if (stopping) reply.header('connection', 'close');
  });
  // Before access control: it reads the sign-in cookie.
  await installBrowserSecurity(http);
  installAccessControl(http, db, clock);
  // preHandler, not onRequest: the login limit keys on the email in the parsed body.
  await http.register(rateLimit, { global: false, hook: 'preHandler' });
  await http.register(swagger, {
    openapi: {
      info: { title: 'Bookflow API', version: CORE_VERSION, description: 'Errors are {code, message, details}; see docs/errors.md for every code.' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
  });
  await http.register(swaggerUi, { routePrefix: '/docs' });
  await serveStudio(http, path.join(ROOT, 'studio', 'dist'));

  let jobsRunning = false;
  http.get('/health', { schema: { tags: ['system'] }, config: { roles: 'public' } }, async (_request, reply) => {
    // Its own short wait: a load balancer asking must get an answer even while the pool is exhausted.
    const dbUp = await pingDatabase(db, 2_000);
    const ok = dbUp && jobsRunning && scheduler.isRunning();
    return reply.status(ok ? 200 : 503).send(ok ? { status: 'ok' } : { status: 'unavailable', database: dbUp ? 'up' : 'down', jobs: scheduler.isRunning() ? 'up' : 'down' });
  });

  const channels = createCoreChannels({
    db, secrets, clock, t: (locale, key, vars) => host.t(locale, key, vars), linkKey: deriveKey(secretKey, 'unsubscribe links'),
    publicUrl: opts.config.publicUrl, smtpAllowPrivate: opts.config.smtpAllowPrivate, smsRuApiRoot: opts.config.smsRuApiRoot,
  });
  const deletables = () => [...CORE_SOFT_DELETES, ...host.plugins.flatMap((p) => p.server.softDelete ?? [])];
  await http.register(async (api) => {
    authRoutes(api, db, opts.config.sessionTtlHours, clock);
    accountRoutes(api, db);
    tenantRoutes(api, db, async () => {}, { mode: opts.config.allowSignup, bootstrapEmail: opts.config.adminEmail ?? DEFAULT_ADMIN_EMAIL });
    invitationRoutes(api, db, { sessionTtlHours: opts.config.sessionTtlHours, publicUrl: opts.config.publicUrl, clock });
    pluginRoutes(api, db, host);
    // A contact comes back with its identities, and a merged one undoes its merge.
    auditRoutes(api, db, deletables, { contact: (trx, tenantId, id) => host.contacts.restore(trx, tenantId, id) });
    contactRoutes(api, db, host.contacts);
    taskRoutes(api, db, host.tasks, clock);
    eventRoutes(api, db);
    messages.routes(api);
    channels.routes(api);
    segmentRoutes(api, db, host.segments);
    fileRoutes(api, db, files);
    await mountPluginRoutes(api, host);
  }, { prefix: '/api/v1' });
  const flows = createFlows({ db, host, scheduler, secrets, config: opts.config, log, clock, messages: messages.service });
  await flows.register(http);
  files.useTelegram(flows.telegram);
  messages.connect(flows, channels.adapters);
  // Plugins' handlers and core's event triggers, each event delivered to each on its own.
  const dispatcher = new OutboxDispatcher(db, opts.databaseUrl, [...host.subscribers(), ...flows.subscribers], log, { maxAttempts: opts.config.eventMaxAttempts });

  for (const p of host.plugins) await p.server.onReady?.(p.ctx);

  let closing: Promise<void> | undefined;
  return {
    http, routes, db: database, host, scheduler, dispatcher, log, clock, flows, channels, messages,
    async start() {
      await host.start();
      await scheduler.start();
      await dispatcher.start();
      await flows.start();
      await messages.dispatcher.start();
      jobsRunning = true;
    },
    close() {
      closing ??= (async () => {
        jobsRunning = false;
        stopping = true;
        await http.close();
        await messages.dispatcher.stop();
        await flows.stop();
        await dispatcher.stop();
        await scheduler.stop();
        for (const p of [...host.plugins].reverse()) await p.server.onClose?.(p.ctx);
        await host.stop();
        // A client never given back would keep the pool's end() waiting forever: shutdown goes on, and says so.
        if (!(await settlesWithin(database.close(), 5000))) log.warn({ checkedOut: database.pool.totalCount - database.pool.idleCount }, 'the database pool did not end in 5 s');
      })();
      return closing;
    },
  };
}
