import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { sql } from 'kysely';
import type { ValidateFunction } from 'ajv';
import type { i18n } from 'i18next';
import type { Logger } from 'pino';
import type {
  BusinessProfile, Db, Locale, Messages, NodeRuntime, NodeTypeDefinition, PluginContext, PluginManifest, PluginServer, PluginServices, Secrets, Tx,
} from '../../plugin-sdk.js';
import { BookflowError, createError, registerErrors } from '../errors.js';
import { registerConstraints } from '../db/constraints.js';
import { errorMessage } from '../i18n/error-message.js';
import { translate } from '../i18n/i18n.js';
import { render } from '../flow/template.js';
import { recordChange } from '../record.js';
import { writeAudit } from '../audit.js';
import { emitEvent } from '../outbox/emit.js';
import { CORE_EVENTS, registerEvents } from '../outbox/catalog.js';
import type { Subscriber } from '../outbox/dispatcher.js';
import type { Scheduler } from '../jobs/scheduler.js';
import type { Clock } from '../clock.js';
import { resolveTenantId } from '../tenants/lookup.js';
import { BusinessProfiles } from '../tenants/profile.js';
import { members } from '../tenants/members.js';
import { ExtensionRegistry } from './extensions.js';
import { createAjv, fieldErrors } from '../validation.js';
import { loadAfter, type DiscoveredPlugin } from './resolve.js';
import { ConfigSecrets } from './config-secrets.js';
import { SegmentService } from '../segments/service.js';
import { ContactService } from '../contacts/service.js';
import { TaskService } from '../tasks/service.js';
import { ChannelListener } from '../db/listener.js';
import { ChangeFeed } from './change-feed.js';
import type { FlowStarter } from '../flow/triggers/flow-starter.js';
import { guardedApiRoot } from '../api-roots.js';
import type { FileStore } from '../files/store.js';

export interface LoadedPlugin {
  manifest: PluginManifest;
  dir: string;
  server: PluginServer;
  ctx: PluginContext;
  nodeTypes: NodeTypeDefinition[];
}

interface HostDeps {
  db: Db;
  log: Logger;
  scheduler: Scheduler;
  secrets: Secrets;
  i18n: i18n;
  clock: Clock;
  /** for ctx.listen: each LISTEN holds a connection of its own */
  databaseUrl: string;
  /** PUBLIC_URL: links plugins send to clients */
  publicUrl?: string;
  /** core's file store (`ctx.files`) */
  files: FileStore;
}

async function importIfExists<T>(file: string): Promise<T | undefined> {
  const found = ['.ts', '.js'].map((ext) => file + ext).find((f) => fs.existsSync(f));
  return found ? ((await import(pathToFileURL(found).href)) as T) : undefined;
}

/** Told, at the commit of a change of a business's plugin rows, to every instance: the payload is the business. */
export const PLUGINS_CHANNEL = 'bookflow_tenant_plugins';
// A NOTIFY missed while the LISTEN connection was being replaced shows after this long at most.
const PLUGINS_TTL_MS = 30_000;

/** Every instance's cache of the business's plugin rows drops them once this transaction commits. */
export async function announcePluginsChanged(trx: Tx, tenantId: string): Promise<void> {
  await sql`SELECT pg_notify(${PLUGINS_CHANNEL}, ${tenantId})`.execute(trx);
}

interface PluginRow {
  enabled: boolean;
  config: unknown;
}

/** Owns the loaded plugins: their contexts, per-business enablement and config. */
export class PluginHost {
  readonly plugins: LoadedPlugin[] = [];
  readonly extensions: ExtensionRegistry;
  private readonly profiles: BusinessProfiles;
  /** services made so far, by the plugin offering them: each made once, on first use */
  private readonly services = new Map<string, unknown>();
  private readonly validators = new Map<string, ValidateFunction>();
  /**
   * Per business: its plugins' rows (on or off, stored config), read in one query at `at` and dropped on a change
   * (forget(), here or, through PLUGINS_CHANNEL, on another instance): configs and enablement are read every turn.
   */
  private readonly rowCache = new Map<string, { at: number; rows: Map<string, PluginRow> }>();
  /** per business, counts forget()s: a read that began before one must not store what it read */
  private readonly generations = new Map<string, number>();
  /** transactions that changed plugin rows: until they commit, what they read is theirs alone, never cached */
  private readonly writers = new WeakSet<object>();
  private readonly listener: ChannelListener;
  /** ctx.changes: one feed per plugin and channel, closed with the host */
  private readonly feeds = new Map<string, ChangeFeed>();
  /** the `x-secret` fields of each plugin's config */
  readonly configSecrets: ConfigSecrets;
  /** the message outbox, attached once the app has built it (after the plugins loaded) */
  private outbox: Messages | undefined;
  /** segments over contacts, with the fields of the plugins enabled per business (`ctx.segments`) */
  readonly segments: SegmentService;
  /** `ctx.contacts` of every plugin; merges tell each loaded plugin (enabled or not: its data moves either way) */
  readonly contacts: ContactService;
  /** `ctx.tasks`: the business's to-do list, each plugin's tasks under its own id */
  readonly tasks: TaskService;
  /** ctx.flows: the flow module is made after the plugins are loaded and hands it in */
  private flowStarter?: FlowStarter;

  constructor(private readonly deps: HostDeps) {
    this.configSecrets = new ConfigSecrets(deps.secrets);
    this.listener = new ChannelListener(deps.databaseUrl, PLUGINS_CHANNEL, (tenantId) => { if (tenantId) this.forget(tenantId); }, deps.log);
    this.extensions = new ExtensionRegistry((tenantId, pluginId) => this.isEnabled(tenantId, pluginId), deps.log);
    this.profiles = new BusinessProfiles(deps.db);
    this.segments = new SegmentService(deps.db, deps.clock, this);
    this.tasks = new TaskService(deps.clock);
    this.contacts = new ContactService(deps.db, this.profiles, deps.clock, {
      merged: async (trx, merge) => { for (const p of this.plugins) await p.server.onContactsMerged?.(trx, merge, p.ctx); },
      unmerged: async (trx, merge) => { for (const p of this.plugins) await p.server.onContactsUnmerged?.(trx, merge, p.ctx); },
      erased: async (trx, erasure) => { for (const p of this.plugins) await p.server.onContactErased?.(trx, erasure, p.ctx); },
    });
  }

  get log(): Logger {
    return this.deps.log;
  }

  /** Imports each plugin's code in dependency order; manifests were validated before. */
  async load(ordered: DiscoveredPlugin[]): Promise<void> {
    const ajv = createAjv();
    // The events this set of plugins can ever see: a handler of any other type would never run.
    const declared = new Set([...Object.keys(CORE_EVENTS), ...ordered.flatMap((p) => Object.keys(p.manifest.events ?? {}))]);
    for (const { manifest, dir } of ordered) {
      if (manifest.errors) registerErrors(manifest.id, manifest.errors);
      if (manifest.constraints) registerConstraints(manifest.id, manifest.constraints);
      if (manifest.events) registerEvents(manifest.id, manifest.events);
      this.validators.set(manifest.id, ajv.compile(manifest.configSchema ?? { type: 'object' }));
      this.configSecrets.register(manifest.id, manifest.configSchema);
      const loaded = (await importIfExists<{ default: PluginServer }>(path.join(dir, 'server')))?.default ?? {};
      // Handlers of an optional dependency's events are left out while that plugin is not installed.
      const optional = (type: string) => type.split('.')[0] in (manifest.optionalDependencies ?? {});
      const server = { ...loaded, events: Object.fromEntries(Object.entries(loaded.events ?? {}).filter(([type]) => declared.has(type) || !optional(type))) };
      const nodeTypes = (await importIfExists<{ default: NodeTypeDefinition[] }>(path.join(dir, 'nodes')))?.default ?? [];
      const undeclared = Object.keys(server.events ?? {}).find((type) => !declared.has(type));
      if (undeclared) throw createError('BF_ERR_EVENT_UNDECLARED_HANDLER', { plugin: manifest.id, type: undeclared });
      const ctx = this.createContext(manifest);
      for (const [name, handler] of Object.entries(server.jobs ?? {})) this.deps.scheduler.define(manifest.id, name, handler, ctx, manifest.enabledByDefault ?? false);
      this.extensions.add(manifest, (server.extensions ?? {}) as Record<string, (...args: any[]) => Promise<unknown>>, ctx);
      this.plugins.push({ manifest, dir, server, ctx, nodeTypes });
    }
  }

  attachMessages(messages: Messages): void {
    this.outbox = messages;
  }

  /** A context for core's own code that plugins' interfaces call back with (core's channel adapters and actions). */
  coreContext(version: string): PluginContext {
    return this.createContext({ id: 'core', version, name: { en: 'Bookflow core' }, core: version });
  }

  has(pluginId: string): boolean {
    return this.plugins.some((x) => x.manifest.id === pluginId);
  }

  get(pluginId: string): LoadedPlugin {
    const p = this.plugins.find((x) => x.manifest.id === pluginId);
    if (!p) throw createError('BF_ERR_PLUGIN_NOT_FOUND', { plugin: pluginId });
    return p;
  }

  subscribers(): Subscriber[] {
    return this.plugins.flatMap((p) =>
      Object.entries(p.server.events ?? {}).map(([type, handler]) => ({
        key: `${p.manifest.id}:${type}`,
        type,
        handle: async (event, trx: Tx) => {
          // A disabled plugin does not react to a business's events. Read through the handler's transaction:
          // waiting for another pool connection while holding this one can exhaust the pool.
          if (!(await this.isEnabled(event.tenantId, p.manifest.id, trx))) return 'skipped';
          await handler(event, trx, p.ctx);
          return 'done';
        },
        live: (tenantId, trx) => this.isEnabled(tenantId, p.manifest.id, trx),
      })),
    );
  }

  nodeRuntimes(): Map<string, { runtime: NodeRuntime; ctx: PluginContext; pluginId: string }> {
    const out = new Map<string, { runtime: NodeRuntime; ctx: PluginContext; pluginId: string }>();
    for (const p of this.plugins) for (const [type, runtime] of Object.entries(p.server.nodes ?? {})) out.set(type, { runtime, ctx: p.ctx, pluginId: p.manifest.id });
    return out;
  }

  /** Applies defaults to a copy and validates; throws BF_ERR_PLUGIN_CONFIG_INVALID naming each field. */
  validateConfig(pluginId: string, config: unknown): Record<string, unknown> {
    const validate = this.validators.get(pluginId);
    if (!validate) throw createError('BF_ERR_PLUGIN_NOT_FOUND', { plugin: pluginId });
    const copy = structuredClone(config ?? {});
    if (!validate(copy)) throw createError('BF_ERR_PLUGIN_CONFIG_INVALID', { plugin: pluginId, errors: fieldErrors(validate.errors) });
    return copy as Record<string, unknown>;
  }

  /** The business's config in plaintext, `x-secret` fields decrypted: for the plugin's server code only. `q`: the caller's transaction. */
  async config(tenantId: string, pluginId: string, q: Db | Tx = this.deps.db): Promise<Record<string, unknown>> {
    const row = (await this.rows(tenantId, q)).get(pluginId);
    return this.validateConfig(pluginId, this.configSecrets.open(pluginId, row?.config ?? {}));
  }

  /** Listens for other instances' changes of plugin rows (before that, the TTL alone bounds what this one misses). */
  async start(): Promise<void> {
    await this.listener.start();
  }

  async stop(): Promise<void> {
    await this.listener.stop();
    await Promise.all([...this.feeds.values()].map((f) => f.close()));
    this.feeds.clear();
  }

  private async rows(tenantId: string, q: Db | Tx): Promise<Map<string, PluginRow>> {
    const cached = this.rowCache.get(tenantId);
    const own = this.writers.has(q);
    if (cached && !own && Date.now() - cached.at < PLUGINS_TTL_MS) return cached.rows;
    const generation = this.generations.get(tenantId) ?? 0;
    const found = await q.selectFrom('tenant_plugins').select(['plugin_id', 'enabled', 'config']).where('tenant_id', '=', tenantId).execute();
    const rows = new Map(found.map((r) => [r.plugin_id as string, { enabled: r.enabled as boolean, config: r.config }]));
    if (!own && (this.generations.get(tenantId) ?? 0) === generation) this.rowCache.set(tenantId, { at: Date.now(), rows });
    return rows;
  }

  /**
   * Replaces a plugin's stored config in the caller's transaction (validated, defaults filled, secrets sealed):
   * a demo seed's settings naming the ids it just made. The studio's settings page goes through the audited route.
   */
  async setConfig(trx: Tx, tenantId: string, pluginId: string, config: Record<string, unknown>): Promise<void> {
    const sealed = JSON.stringify(this.configSecrets.seal(pluginId, this.validateConfig(pluginId, config)));
    await trx.updateTable('tenant_plugins').set({ config: sealed }).where('tenant_id', '=', tenantId).where('plugin_id', '=', pluginId).execute();
    await this.changing(trx, tenantId);
  }

  /**
   * Called in a transaction that changes a business's plugin rows: it reads them afresh until it ends, and every
   * instance's cache drops them when it commits.
   */
  async changing(trx: Tx, tenantId: string): Promise<void> {
    this.writers.add(trx);
    this.forget(tenantId);
    await announcePluginsChanged(trx, tenantId);
  }

  /** `q`: the caller's transaction, when it holds one. */
  async isEnabled(tenantId: string, pluginId: string, q: Db | Tx = this.deps.db): Promise<boolean> {
    return (await this.rows(tenantId, q)).get(pluginId)?.enabled ?? this.get(pluginId).manifest.enabledByDefault ?? false;
  }

  useFlowStarter(starter: FlowStarter): void {
    this.flowStarter = starter;
  }

  private flows(): FlowStarter {
    if (!this.flowStarter) throw new Error('ctx.flows is used before the flow module started');
    return this.flowStarter;
  }

  /** Called after a business's plugin settings or bots changed (in this process, or told by another). */
  forget(tenantId: string): void {
    this.rowCache.delete(tenantId);
    this.generations.set(tenantId, (this.generations.get(tenantId) ?? 0) + 1);
    this.profiles.forget(tenantId);
  }

  /** The business's profile (time zone, currency, locale…), for core and plugins alike. `q`: the caller's transaction. */
  business(tenantId: string, q?: Db | Tx): Promise<BusinessProfile> {
    return this.profiles.get(tenantId, q);
  }

  /** The service `pluginId` offers, for `caller`, which must list it in its dependencies. */
  service(caller: PluginManifest, pluginId: string): unknown {
    if (!loadAfter(caller).includes(pluginId)) throw createError('BF_ERR_PLUGIN_SERVICE_FORBIDDEN', { plugin: caller.id, service: pluginId });
    if (!this.has(pluginId)) throw createError('BF_ERR_PLUGIN_SERVICE_MISSING', { service: pluginId });
    if (!this.services.has(pluginId)) {
      const provider = this.get(pluginId);
      if (!provider.server.service) throw createError('BF_ERR_PLUGIN_SERVICE_MISSING', { service: pluginId });
      this.services.set(pluginId, provider.server.service(provider.ctx));
    }
    return this.services.get(pluginId);
  }

  t(locale: Locale, key: string, vars?: Record<string, unknown>, ns = 'core'): string {
    return translate(this.deps.i18n, locale, ns, key, vars);
  }

  private createContext(manifest: PluginManifest): PluginContext {
    const { db, log, scheduler, secrets, clock } = this.deps;
    const pluginId = manifest.id;
    const channelName = (channel: string) => `bookflow_${pluginId.replace(/\W/g, '_')}_${channel}`;
    const listen: PluginContext['listen'] = async (channel, onNotify) => {
      const listener = new ChannelListener(this.deps.databaseUrl, channelName(channel), onNotify, log);
      await listener.start();
      return () => listener.stop();
    };
    return {
      pluginId,
      log: log.child({ plugin: pluginId }),
      db,
      transaction: (fn) => db.transaction().execute(fn),
      events: { emit: emitEvent },
      jobs: scheduler.forPlugin(pluginId),
      extensions: this.extensions.forOwner(pluginId),
      service: <K extends keyof PluginServices>(id: K) => this.service(manifest, id as string) as PluginServices[K],
      optionalService: async <K extends keyof PluginServices>(id: K, tenantId: string, q?: Db | Tx) => {
        if (!(id in (manifest.optionalDependencies ?? {}))) throw createError('BF_ERR_PLUGIN_SERVICE_FORBIDDEN', { plugin: pluginId, service: id });
        if (!this.has(id as string) || !(await this.isEnabled(tenantId, id as string, q))) return undefined;
        return this.service(manifest, id as string) as PluginServices[K];
      },
      business: (tenantId, q) => this.business(tenantId, q),
      members,
      contacts: this.contacts,
      messages: {
        send: (trx, input) => {
          if (!this.outbox) throw new Error('ctx.messages is used before the app finished starting');
          return this.outbox.send(trx, input);
        },
        statuses: (q, tenantId, ids) => {
          if (!this.outbox) throw new Error('ctx.messages is used before the app finished starting');
          return this.outbox.statuses(q, tenantId, ids);
        },
        ofContact: (q, tenantId, contactId) => {
          if (!this.outbox) throw new Error('ctx.messages is used before the app finished starting');
          return this.outbox.ofContact(q, tenantId, contactId);
        },
        forgetBefore: (trx, tenantId, before) => {
          if (!this.outbox) throw new Error('ctx.messages is used before the app finished starting');
          return this.outbox.forgetBefore(trx, tenantId, before);
        },
        telegramInvoiceLink: (tenantId, invoice) => {
          if (!this.outbox) throw new Error('ctx.messages is used before the app finished starting');
          return this.outbox.telegramInvoiceLink(tenantId, invoice);
        },
      },
      flows: {
        start: (trx, input) => this.flows().start(trx, input, pluginId),
        triggers: (q, tenantId, nodeType) => this.flows().triggers(q, tenantId, nodeType),
      },
      segments: this.segments,
      tasks: {
        create: (trx, tenantId, task) => this.tasks.create(trx, tenantId, pluginId, task),
        close: (trx, tenantId, key, close) => this.tasks.close(trx, tenantId, pluginId, key, close),
        find: (q, tenantId, filter) => this.tasks.find(q, tenantId, pluginId, filter),
      },
      secrets,
      files: this.deps.files.forPlugin(pluginId),
      error: (code, details, cause) => createError(code, details, cause),
      errorMessage: (error, locale) => errorMessage(this.deps.i18n, error instanceof BookflowError ? error : createError('BF_ERR_SERVER_INTERNAL', { requestId: '-' }), locale),
      audit: writeAudit,
      record: recordChange,
      config: async <C>(tenantId: string, q?: Db | Tx) => (await this.config(tenantId, pluginId, q)) as C,
      setConfig: (trx, tenantId, config) => this.setConfig(trx, tenantId, pluginId, config),
      isEnabled: (tenantId, q) => this.isEnabled(tenantId, pluginId, q),
      t: (locale, key, vars) => this.t(locale, key, vars, pluginId),
      render,
      publicUrl: this.deps.publicUrl,
      externalApiRoot: (variable, real) => guardedApiRoot(log.child({ plugin: pluginId }), variable, real),
      tenantId: (slugOrId) => resolveTenantId(db, slugOrId),
      now: () => clock.now(),
      listen,
      changes: (channel) => {
        const key = `${pluginId}:${channel}`;
        let feed = this.feeds.get(key);
        if (!feed) {
          feed = new ChangeFeed(channelName(channel), channel, listen, (err) => log.error({ err, channel }, 'a change feed could not listen'));
          this.feeds.set(key, feed);
        }
        return feed;
      },
    };
  }
}

