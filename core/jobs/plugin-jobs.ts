import { sql, type OnConflictBuilder } from 'kysely';
import type { Logger } from 'pino';
import type { Db, JobHandler, JobInfo, PluginContext, Tx } from '../../plugin-sdk.js';
import { createError } from '../errors.js';
import { settlesWithin } from '../settles-within.js';
import type { Clock } from '../clock.js';

export interface PluginJobRow {
  id: string;
  tenant_id: string;
  plugin_id: string;
  name: string;
  key: string | null;
  data: Record<string, unknown>;
  run_at: Date;
  attempts: number;
  locked_by: string;
}

export interface NewPluginJob {
  tenantId: string;
  pluginId: string;
  name: string;
  key?: string;
  data: Record<string, unknown>;
  /** default: now */
  runAt?: Date;
  /** under a key: leave an existing job of that key as it is (at most once per key) instead of replacing it */
  keepExisting?: boolean;
}

/** Core's own jobs in this table go under this plugin id; they are never disabled. */
export const CORE_JOBS = 'core';

export interface PluginJobsOptions {
  pollMs: number;
  /** the app's clock: jobs are due by it, so a test that moves it runs them without waiting */
  clock: Clock;
  /** jobs run at once by this instance */
  concurrency?: number;
  /** how long a claimed job is ours; renewed on every poll while it runs, so only a dead instance's lease runs out */
  leaseMs?: number;
  /** attempts before a job is left `failed` */
  maxAttempts?: number;
}

const MAX_BACKOFF_MS = 60 * 60_000;
/** 5 s, 10 s, 20 s, … up to an hour between attempts. */
const backoffMs = (attempts: number) => Math.min(5_000 * 2 ** Math.max(attempts - 1, 0), MAX_BACKOFF_MS);
const KEEP_DONE_MS = 7 * 86_400_000;

/**
 * Plugin jobs as rows of `plugin_jobs`, written on the caller's transaction (so a job exists only if its
 * transaction commits) and run by a poller on every instance: due rows are claimed with
 * `FOR UPDATE SKIP LOCKED`, so each runs once at a time across instances. A job whose plugin is disabled for
 * its business is not claimed: it stays `scheduled` with its time and runs once the plugin is enabled again.
 */
export class PluginJobRunner {
  private readonly handlers = new Map<string, (job: JobInfo) => Promise<void>>();
  /** plugins on for a business that has no row in tenant_plugins */
  private readonly onByDefault = new Set<string>();
  /** claim token (`locked_by`) → the run */
  private readonly running = new Map<string, Promise<void>>();
  private timer: NodeJS.Timeout | undefined;
  /** a pass at the next job's time when that comes before the next poll (a reminder due at 10:00:00.3 runs then, not up to a poll later) */
  private wake: { timer: NodeJS.Timeout; at: number } | undefined;
  private pass: Promise<void> | undefined;
  private again = false;
  private stopped = true;
  private purgedAt = 0;
  private readonly concurrency: number;
  private readonly leaseMs: number;
  private readonly maxAttempts: number;

  constructor(private readonly db: Db, private readonly log: Logger, private readonly opts: PluginJobsOptions) {
    this.concurrency = opts.concurrency ?? 5;
    this.leaseMs = opts.leaseMs ?? 5 * 60_000;
    this.maxAttempts = opts.maxAttempts ?? 10;
  }

  define(pluginId: string, name: string, handler: JobHandler, ctx: PluginContext, enabledByDefault: boolean): void {
    this.handlers.set(`${pluginId}.${name}`, (job) => handler(job, ctx));
    if (enabledByDefault) this.onByDefault.add(pluginId);
  }

  /** A job of core itself (plugin id `core`): scheduled and run like plugin jobs, on no plugin's switch. */
  defineCore(name: string, run: (job: JobInfo<any>) => Promise<void>): void {
    this.handlers.set(`${CORE_JOBS}.${name}`, run);
    this.onByDefault.add(CORE_JOBS);
  }

  /** Inserts the job on `q`; under a key it replaces the business's job of that key, whatever its state. */
  async schedule(q: Db | Tx, job: NewPluginJob): Promise<string> {
    if (!this.handlers.has(`${job.pluginId}.${job.name}`)) throw createError('BF_ERR_JOB_UNKNOWN', { plugin: job.pluginId, name: job.name });
    const values = { tenant_id: job.tenantId, plugin_id: job.pluginId, name: job.name, key: job.key ?? null, data: JSON.stringify(job.data), run_at: job.runAt ?? this.opts.clock.now() };
    const insert = q.insertInto('plugin_jobs').values(values);
    const conflict = (oc: OnConflictBuilder<any, 'plugin_jobs'>) => oc.columns(['tenant_id', 'plugin_id', 'key']).where('key', 'is not', null);
    if (job.key !== undefined && job.keepExisting) {
      const added = await insert.onConflict((oc) => conflict(oc).doNothing()).returning('id').executeTakeFirst();
      if (added) return added.id as string;
      const existing = await q.selectFrom('plugin_jobs').select('id').where('tenant_id', '=', job.tenantId).where('plugin_id', '=', job.pluginId).where('key', '=', job.key).executeTakeFirstOrThrow();
      return existing.id as string;
    }
    const upsert = job.key === undefined ? insert : insert.onConflict((oc) => conflict(oc).doUpdateSet({
      // A running old version finds its lease gone and does not mark the new one done.
      name: job.name, data: values.data, run_at: values.run_at, status: 'scheduled', attempts: 0, last_error: null, locked_by: null, locked_until: null, updated_at: this.opts.clock.now(),
    }));
    return (await upsert.returning('id').executeTakeFirstOrThrow()).id as string;
  }

  /** Removes the business's job of that key (a run already going finishes); the number removed, 0 or 1. */
  async cancel(q: Db | Tx, tenantId: string, pluginId: string, key: string): Promise<number> {
    const res = await q.deleteFrom('plugin_jobs').where('tenant_id', '=', tenantId).where('plugin_id', '=', pluginId).where('key', '=', key).executeTakeFirst();
    return Number(res.numDeletedRows);
  }

  start(): void {
    this.stopped = false;
    this.timer = setInterval(() => this.kick(), this.opts.pollMs);
    this.kick();
  }

  /** Stops claiming, then waits up to `timeoutMs` for running jobs; an unfinished one runs again elsewhere when its lease runs out. */
  async stop(timeoutMs: number): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    clearTimeout(this.wake?.timer);
    this.wake = undefined;
    await this.pass;
    await settlesWithin(Promise.all(this.running.values()), timeoutMs);
  }

  /** Runs a pass now, or right after the current one. */
  kick(): void {
    if (this.stopped) return;
    if (this.pass) {
      this.again = true;
      return;
    }
    this.pass = this.poll()
      .catch((e) => this.log.error({ err: e }, 'plugin job pass failed'))
      .finally(() => {
        this.pass = undefined;
        if (this.again) {
          this.again = false;
          this.kick();
        }
      });
  }

  private async poll(): Promise<void> {
    const at = this.opts.clock.now();
    await this.renewLeases(at);
    // A dead instance's jobs go back to the queue (their attempt counted).
    await this.db.updateTable('plugin_jobs').set({ status: 'scheduled', locked_by: null, locked_until: null })
      .where('status', '=', 'running').where('locked_until', '<', at).execute();
    if (at.getTime() - this.purgedAt > 3_600_000) {
      this.purgedAt = at.getTime();
      await this.db.deleteFrom('plugin_jobs').where('status', '=', 'done').where('updated_at', '<', new Date(at.getTime() - KEEP_DONE_MS)).execute();
    }
    const free = this.concurrency - this.running.size;
    if (free <= 0 || this.stopped) return;
    const claimed = await this.claim(at, free);
    for (const row of claimed) {
      this.running.set(row.locked_by, this.run(row).finally(() => {
        this.running.delete(row.locked_by);
        this.kick();
      }));
    }
    if (claimed.length === free) this.again = true;
    else await this.wakeForNext(at);
  }

  /**
   * With room to run more, a timer for the earliest job due before the next poll. Only jobs committed by now are
   * seen; one committed later waits for a poll, as before. Any job counts (even one this instance cannot run):
   * at worst one pass for nothing, since a job once due is no longer "next".
   */
  private async wakeForNext(at: Date): Promise<void> {
    const row = await this.db.selectFrom('plugin_jobs').select((eb) => eb.fn.min('run_at').as('next'))
      .where('status', '=', 'scheduled').where('run_at', '>', at).where('run_at', '<', new Date(at.getTime() + this.opts.pollMs)).executeTakeFirst();
    const next = row?.next ? new Date(row.next as Date).getTime() : undefined;
    if (next === undefined || this.stopped || (this.wake && this.wake.at <= next)) return;
    clearTimeout(this.wake?.timer);
    // +1 ms: run_at keeps microseconds, the Date read back only milliseconds.
    const timer = setTimeout(() => {
      this.wake = undefined;
      this.kick();
    }, Math.max(0, next - this.opts.clock.nowMs() + 1));
    timer.unref();
    this.wake = { timer, at: next };
  }

  private async renewLeases(at: Date): Promise<void> {
    if (!this.running.size) return;
    await this.db.updateTable('plugin_jobs').set({ locked_until: new Date(at.getTime() + this.leaseMs) })
      .where('locked_by', 'in', [...this.running.keys()]).execute();
  }

  /** Due jobs this instance has handlers for, whose plugin is on for their business, oldest first. */
  private async claim(at: Date, limit: number): Promise<PluginJobRow[]> {
    const names = [...this.handlers.keys()];
    if (!names.length) return [];
    const { rows } = await sql<PluginJobRow>`
      UPDATE plugin_jobs j SET status = 'running', attempts = j.attempts + 1, locked_by = gen_random_uuid(),
        locked_until = ${new Date(at.getTime() + this.leaseMs)}, updated_at = ${at}
      WHERE j.id IN (
        SELECT c.id FROM plugin_jobs c
        WHERE c.status = 'scheduled' AND c.run_at <= ${at}
          AND c.plugin_id || '.' || c.name = ANY(${names}::text[])
          AND COALESCE((SELECT tp.enabled FROM tenant_plugins tp WHERE tp.tenant_id = c.tenant_id AND tp.plugin_id = c.plugin_id),
                       c.plugin_id = ANY(${[...this.onByDefault]}::text[]))
        ORDER BY c.run_at
        LIMIT ${limit}
        FOR UPDATE OF c SKIP LOCKED)
      RETURNING j.id, j.tenant_id, j.plugin_id, j.name, j.key, j.data, j.run_at, j.attempts, j.locked_by`.execute(this.db);
    return rows;
  }

  private async run(row: PluginJobRow): Promise<void> {
    const handler = this.handlers.get(`${row.plugin_id}.${row.name}`)!;
    // Only while the claim is still ours: a keyed re-schedule or a cancel meanwhile wins.
    const mine = () => this.db.updateTable('plugin_jobs').where('id', '=', row.id).where('locked_by', '=', row.locked_by);
    try {
      await handler({ id: row.id, name: row.name, tenantId: row.tenant_id, key: row.key, data: row.data });
      await mine().set({ status: 'done', locked_by: null, locked_until: null, last_error: null, updated_at: this.opts.clock.now() }).execute();
    } catch (e) {
      const failed = row.attempts >= this.maxAttempts;
      this.log.error({ err: e, plugin: row.plugin_id, job: row.name, jobId: row.id, attempts: row.attempts }, failed ? 'plugin job failed for good' : 'plugin job failed; retrying');
      await mine().set({
        status: failed ? 'failed' : 'scheduled', run_at: failed ? row.run_at : new Date(this.opts.clock.now().getTime() + backoffMs(row.attempts)),
        last_error: String((e as Error)?.message ?? e).slice(0, 2000), locked_by: null, locked_until: null, updated_at: this.opts.clock.now(),
      }).execute().catch((err) => this.log.error({ err, jobId: row.id }, 'could not record a plugin job failure; it runs again when its lease runs out'));
    }
  }
}
