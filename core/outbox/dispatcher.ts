import { ChannelListener } from '../db/listener.js';
import { sql } from 'kysely';
import type { Logger } from 'pino';
import type { Db, DomainEvent, Tx } from '../../plugin-sdk.js';
import { OUTBOX_CHANNEL } from './emit.js';

export interface Subscriber {
  /** unique per handler, e.g. "loyalty:booking.completed"; one delivery per event and key */
  key: string;
  type: string;
  /** 'skipped': the handler's plugin is off for the event's business, so it did not run */
  handle(event: DomainEvent, trx: Tx): Promise<'done' | 'skipped'>;
  /** whether the handler runs for a business at all: a pair it would skip is written skipped at fan-out, never run */
  live?(tenantId: string, q: Tx): Promise<boolean>;
}

export interface DispatcherOptions {
  /** attempts of one (event, handler) delivery before it is dead-lettered */
  maxAttempts?: number;
  pollMs?: number;
}

const FIRST_BACKOFF_MS = 1000;
const MAX_BACKOFF_MS = 10 * 60_000;
const BATCH = 50;
/** handlers' lanes run at once: enough to overlap their round trips, few enough to leave the pool to requests */
const LANES = 4;
const ERROR_LENGTH = 1000;

/**
 * Delivers outbox events after commit, at least once. The due (event, handler) pairs of a pass run in one lane
 * per handler, up to LANES lanes at once, each lane in event order (a pair backing off after a failure is passed
 * by later ones, as before), so a slow handler holds up only its own lane.
 * Each pair runs in its own transaction, claimed under a row lock (SKIP LOCKED: several app instances never run
 * one pair at once) by the statement that marks it done, so the mark commits with the handler's writes.
 * A failure rolls back that handler's writes and backs off only that pair, exponentially; after
 * `maxAttempts` the pair is dead (listed for a retry), while other pairs and later events go on.
 * An event is dispatched once every one of its pairs is done, skipped or dead: marked by the pass that ran its
 * last pair, in one statement after that pass's deliveries committed (not in each pair's transaction, which
 * would cost each pair two more round trips and a lock on the event row).
 */
export class OutboxDispatcher {
  private readonly listener: ChannelListener;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = true;
  private readonly byKey: Map<string, Subscriber>;
  private readonly maxAttempts: number;
  private readonly pollMs: number;

  constructor(
    private readonly db: Db,
    url: string,
    private readonly subscribers: Subscriber[],
    private readonly log: Logger,
    opts: DispatcherOptions = {},
  ) {
    this.byKey = new Map(subscribers.map((s) => [s.key, s]));
    this.maxAttempts = Math.max(1, opts.maxAttempts ?? 8);
    this.pollMs = opts.pollMs ?? 1000;
    this.listener = new ChannelListener(url, OUTBOX_CHANNEL, () => this.kick(), log);
  }

  async start(): Promise<void> {
    this.stopped = false;
    await this.listener.start();
    this.timer = setInterval(() => this.kick(), this.pollMs);
    this.kick();
  }

  /** Runs a pass now, or right after the current one. */
  kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.drain()
      .catch((e) => this.log.error({ err: e }, 'outbox pass failed'))
      .finally(() => {
        this.running = undefined;
        if (this.again) {
          this.again = false;
          this.kick();
        }
      });
  }

  /** Waits for the current pass, then stops taking work. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.running;
    await this.listener.stop();
  }

  private async drain(): Promise<void> {
    while (!this.stopped) {
      const fanned = await this.fanOut();
      const delivered = await this.deliverDue();
      if (delivered > 0) await markDispatched(this.db);
      if (fanned === 0 && delivered === 0) return;
    }
  }

  /** Gives each new event one pending delivery per handler of its type. */
  private fanOut(): Promise<number> {
    return this.db.transaction().execute(async (trx) => {
      const events = await trx.selectFrom('outbox').select(['id', 'tenant_id', 'type']).where('fanned_out_at', 'is', null)
        .orderBy('id').limit(BATCH).forUpdate().skipLocked().execute();
      if (events.length === 0) return 0;
      const pairs = events.flatMap((e) => this.subscribers.filter((s) => s.type === e.type).map((s) => ({ e, s })));
      // The handlers of plugins a business has off cost a transaction each: skipped here, in the same statement.
      const deliveries = await Promise.all(pairs.map(async ({ e, s }) => {
        const skip = s.live ? !(await s.live(e.tenant_id, trx)) : false;
        return { tenant_id: e.tenant_id, event_id: e.id, handler: s.key, status: skip ? 'skipped' : 'pending', finished_at: skip ? sql<Date>`now()` : null };
      }));
      // A delivery that exists already (a handler that applied the event before) keeps its state.
      if (deliveries.length) await trx.insertInto('event_deliveries').values(deliveries).onConflict((oc) => oc.columns(['event_id', 'handler']).doNothing()).execute();
      const ids = events.map((e) => e.id);
      await trx.updateTable('outbox').set({ fanned_out_at: sql`now()` }).where('id', 'in', ids).execute();
      await markDispatched(trx, ids);
      return events.length;
    });
  }

  /** Runs the due pairs of this instance's handlers; returns how many it ran (others may hold the rest). */
  private async deliverDue(): Promise<number> {
    if (this.byKey.size === 0) return 0;
    const due = await this.db.selectFrom('event_deliveries').select(['id', 'handler']).where('status', '=', 'pending').where('next_attempt_at', '<=', sql<Date>`now()`)
      .where('handler', 'in', [...this.byKey.keys()]).orderBy('event_id').orderBy('handler').limit(BATCH).execute();
    const byHandler = new Map<string, string[]>();
    for (const d of due) {
      const lane = byHandler.get(d.handler);
      if (lane) lane.push(d.id);
      else byHandler.set(d.handler, [d.id]);
    }
    const lanes = [...byHandler.values()];
    let ran = 0;
    const runLanes = async () => {
      for (let lane = lanes.shift(); lane; lane = lanes.shift()) {
        for (const id of lane) {
          if (this.stopped) return;
          if (await this.deliver(id)) ran++;
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(LANES, lanes.length) }, runLanes));
    return ran;
  }

  private async deliver(id: string): Promise<boolean> {
    let event: DomainEvent | undefined;
    let handler: string | undefined;
    try {
      return await this.db.transaction().execute(async (trx) => {
        const { rows: [row] } = await sql<{ handler: string; event_id: string; tenant_id: string; type: string; payload: unknown; created_at: Date }>`
          WITH d AS (
            UPDATE event_deliveries SET status = 'done', attempts = attempts + 1, last_error = NULL, finished_at = now()
            WHERE id = (SELECT id FROM event_deliveries WHERE id = ${id} AND status = 'pending' AND next_attempt_at <= now() FOR UPDATE SKIP LOCKED)
            RETURNING handler, event_id)
          SELECT d.handler, d.event_id, o.tenant_id, o.type, o.payload, o.created_at FROM d JOIN outbox o ON o.id = d.event_id`.execute(trx);
        if (!row) return false;
        handler = row.handler;
        event = { id: String(row.event_id), tenantId: row.tenant_id, type: row.type, payload: row.payload as DomainEvent['payload'], createdAt: row.created_at };
        if (await this.byKey.get(row.handler)!.handle(event, trx) === 'skipped') {
          await trx.updateTable('event_deliveries').set({ status: 'skipped' }).where('id', '=', id).execute();
        }
        return true;
      });
    } catch (e) {
      // The handler failed, or the transaction did (its connection, the commit): its writes and the mark are
      // rolled back together, and the attempt is counted on its own.
      return this.db.transaction().execute(async (trx) => Boolean(await this.recordFailure(trx, id, event, handler, e))).catch((again) => {
        this.log.error({ err: again, deliveryId: id }, 'could not record an event delivery failure');
        return false;
      });
    }
  }

  private async recordFailure(trx: Tx, id: string, event: DomainEvent | undefined, handler: string | undefined, e: unknown) {
    const failed = await trx.updateTable('event_deliveries')
      .set({
        attempts: sql`attempts + 1`,
        status: sql`CASE WHEN attempts + 1 >= ${sql.lit(this.maxAttempts)} THEN 'dead' ELSE 'pending' END`,
        finished_at: sql`CASE WHEN attempts + 1 >= ${sql.lit(this.maxAttempts)} THEN now() END`,
        next_attempt_at: sql`now() + least(${sql.lit(MAX_BACKOFF_MS)}, ${sql.lit(FIRST_BACKOFF_MS)} * 2 ^ (attempts + 1)) * interval '1 millisecond'`,
        last_error: describeError(e),
      })
      .where('id', '=', id).where('status', '=', 'pending').returning(['event_id', 'attempts', 'status']).executeTakeFirst();
    const dead = failed?.status === 'dead';
    this.log.error({ err: e, deliveryId: id, eventId: event?.id, type: event?.type, handler, attempts: failed?.attempts },
      dead ? 'event handler failed for the last time; its delivery is dead-lettered' : 'event handler failed; will retry');
    return failed;
  }
}

/**
 * Marks events none of whose pairs is pending any more: `ids` when given (events just fanned out, some to no
 * handler), else every undispatched one (after a pass: its own writes are committed, so of two dispatchers
 * finishing an event's last pairs at once, the one committing later sees both and marks it).
 */
async function markDispatched(q: Db | Tx, ids?: string[]): Promise<void> {
  let update = q.updateTable('outbox').set({ dispatched_at: sql`now()` }).where('dispatched_at', 'is', null)
    .where((eb) => eb.not(eb.exists(eb.selectFrom('event_deliveries as d').select('d.id').whereRef('d.event_id', '=', 'outbox.id').where('d.status', '=', 'pending'))));
  update = ids ? update.where('id', 'in', ids) : update.where('fanned_out_at', 'is not', null);
  await update.execute();
}

const SECRETS: Array<[RegExp, string]> = [
  [/\b\d{5,}:[A-Za-z0-9_-]{30,}\b/g, '[redacted]'], // Telegram bot tokens
  [/\b(bearer\s+)[^\s"',;)]+/gi, '$1[redacted]'],
  [/(\/\/)[^\s/@:]+:[^\s/@]+@/g, '$1[redacted]@'], // credentials in URLs
  [/\b(password|passwd|secret|token|api[_-]?key)(["']?\s*[=:]\s*["']?)[^\s"',;&)]+/gi, '$1$2[redacted]'],
];

/** What staff see of a failure (GET /events/dead): the code and message, no stack, likely secrets masked. */
function describeError(e: unknown): string {
  const err = e as { code?: unknown; message?: unknown } | null;
  const message = typeof err?.message === 'string' ? err.message : String(e);
  const text = typeof err?.code === 'string' && !message.includes(err.code) ? `${err.code}: ${message}` : message;
  return SECRETS.reduce((s, [pattern, to]) => s.replace(pattern, to), text).slice(0, ERROR_LENGTH);
}
