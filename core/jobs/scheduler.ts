import { Agenda } from 'agenda';
import { PostgresBackend } from '@agendajs/postgres-backend';
import type pg from 'pg';
import type { Logger } from 'pino';
import type { JobHandler, Jobs, PluginContext } from '../../plugin-sdk.js';
import type { Clock } from '../clock.js';

/** Agenda 6 on our PostgreSQL: jobs are rows, so they survive restarts. */
export class Scheduler {
  readonly agenda: Agenda;
  private started = false;

  constructor(pool: pg.Pool, private readonly log: Logger, private readonly clock: Clock, processEvery: string | number = '2 seconds') {
    const backend = new PostgresBackend({ pool, tableName: 'agenda_jobs' });
    // The LISTEN client goes back to our pool on stop but keeps re-emitting its errors on the channel;
    // unheard, the server's goodbye at shutdown ("terminating connection") would crash the process.
    backend.notificationChannel?.on('error', (e: Error) => this.log.warn({ err: e }, 'job notification channel error'));
    this.agenda = new Agenda({ backend, processEvery, name: `bookflow-${process.pid}` });
    this.agenda.on('error', (e) => this.log.error({ err: e }, 'job scheduler error'));
    this.agenda.on('fail', (e, job) => this.log.error({ err: e, job: job.attrs?.name }, 'job failed'));
  }

  define(pluginId: string, name: string, handler: JobHandler, ctx: PluginContext): void {
    this.agenda.define(`${pluginId}.${name}`, async (job) => {
      await handler({ id: String(job.attrs._id), name, data: (job.attrs.data ?? {}) as Record<string, unknown> }, ctx);
    });
  }

  /** Agenda runs jobs by the real time: an instant on the app's clock becomes the real instant as far from now. */
  private realTime(at: Date): Date {
    return new Date(Date.now() + at.getTime() - this.clock.nowMs()); // real time: Agenda's
  }

  /** The Jobs surface of one plugin: names are prefixed with its id. */
  forPlugin(pluginId: string): Jobs {
    const full = (name: string) => `${pluginId}.${name}`;
    return {
      schedule: async (when, name, data) => String((await this.agenda.schedule(when instanceof Date ? this.realTime(when) : when, full(name), data)).attrs._id),
      now: async (name, data) => String((await this.agenda.now(full(name), data)).attrs._id),
      every: async (interval, name, data) => {
        await this.agenda.every(interval, full(name), data ?? {});
      },
      cancel: (name, match) => this.agenda.cancel({ name: full(name), data: match }),
    };
  }

  async start(): Promise<void> {
    await this.agenda.start();
    this.started = true;
  }

  isRunning(): boolean {
    return this.started;
  }

  /** Stops taking jobs and waits for running ones to finish. */
  async stop(timeoutMs = 30_000): Promise<void> {
    if (!this.started) return;
    this.started = false;
    await this.agenda.drain({ timeout: timeoutMs, closeConnection: true });
  }
}
