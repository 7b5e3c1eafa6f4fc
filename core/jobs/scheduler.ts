import { Agenda } from 'agenda';
import { PostgresBackend } from '@agendajs/postgres-backend';
import type { Logger } from 'pino';
import type { JobHandler, Jobs, PluginContext } from '../../plugin-sdk.js';
import type { Database } from '../db/database.js';
import type { Clock } from '../clock.js';
import { PluginJobRunner } from './plugin-jobs.js';

/**
 * Two kinds of jobs, both rows in our PostgreSQL, so they survive restarts. Plugin jobs of a business
 * (`schedule`, `now`, `cancel`) are rows of `plugin_jobs` written on the caller's transaction and run by
 * PluginJobRunner. Agenda 6 runs the core's own timers (flow sessions) and plugin-wide `every` jobs, and
 * reads human times ("in 5 minutes").
 */
export class Scheduler {
  readonly agenda: Agenda;
  readonly pluginJobs: PluginJobRunner;
  private started = false;

  private readonly db: Database['db'];

  constructor(database: Pick<Database, 'db' | 'pool'>, private readonly log: Logger, private readonly clock: Clock, processEvery: string | number = '2 seconds') {
    // No LISTEN channel: its reconnect leaks the pool client when LISTEN fails on a connection the server just cut,
    // and the pool's end() then waits on it forever. Agenda's jobs here are timers, so polling every
    // `processEvery` is soon enough.
    const backend = new PostgresBackend({ pool: database.pool, tableName: 'agenda_jobs', disableNotifications: true });
    this.agenda = new Agenda({ backend, processEvery, name: `bookflow-${process.pid}` });
    this.agenda.on('error', (e) => this.log.error({ err: e }, 'job scheduler error'));
    this.agenda.on('fail', (e, job) => this.log.error({ err: e, job: job.attrs?.name }, 'job failed'));
    this.db = database.db;
    this.pluginJobs = new PluginJobRunner(database.db, log, { pollMs: this.agenda.attrs.processEvery, clock });
  }

  define(pluginId: string, name: string, handler: JobHandler, ctx: PluginContext, enabledByDefault = false): void {
    this.pluginJobs.define(pluginId, name, handler, ctx, enabledByDefault);
    // The same handler behind `every`: a plugin-wide job, on no business.
    this.agenda.define(`${pluginId}.${name}`, async (job) => {
      await handler({ id: String(job.attrs._id), name, tenantId: '', key: null, data: (job.attrs.data ?? {}) as Record<string, unknown> }, ctx);
    });
  }

  /**
   * A Date (on the app's clock, as plugin jobs run by it), or human text ("in 5 minutes", "tomorrow at noon")
   * read as Agenda reads it, against the real time, and moved onto the clock.
   */
  private runAt(when: Date | string): Date {
    if (when instanceof Date) return when;
    const real = this.agenda.create('when').schedule(when).attrs.nextRunAt;
    return real ? new Date(this.clock.nowMs() + real.getTime() - Date.now()) : this.clock.now(); // real time: Agenda's reading
  }

  /** The Jobs surface of one plugin. */
  forPlugin(pluginId: string): Jobs {
    const db = this.db;
    return {
      schedule: (when, name, data, opts) =>
        this.pluginJobs.schedule(opts.trx ?? db, { tenantId: opts.tenantId, pluginId, name, key: opts.key, data, runAt: this.runAt(when) }),
      now: (name, data, opts) => this.pluginJobs.schedule(opts.trx ?? db, { tenantId: opts.tenantId, pluginId, name, key: opts.key, data }),
      every: async (interval, name, data) => {
        await this.agenda.every(interval, `${pluginId}.${name}`, data ?? {});
      },
      cancel: (opts) => this.pluginJobs.cancel(opts.trx ?? db, opts.tenantId, pluginId, opts.key),
    };
  }

  async start(): Promise<void> {
    await this.agenda.start();
    this.pluginJobs.start();
    this.started = true;
  }

  isRunning(): boolean {
    return this.started;
  }

  /** Stops taking jobs and waits for running ones to finish. */
  async stop(timeoutMs = 30_000): Promise<void> {
    if (!this.started) return;
    this.started = false;
    await this.pluginJobs.stop(timeoutMs);
    await this.agenda.drain({ timeout: timeoutMs, closeConnection: true });
  }
}
