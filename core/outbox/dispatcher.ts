import pg from 'pg';
import { sql } from 'kysely';
import type { Logger } from 'pino';
import type { Db, DomainEvent, Tx } from '../../plugin-sdk.js';
import { OUTBOX_CHANNEL } from './emit.js';

export interface Subscriber {
  /** unique per handler, e.g. "loyalty:booking.completed"; recorded per delivered event */
  key: string;
  type: string;
  handle(event: DomainEvent, trx: Tx): Promise<void>;
}

const MAX_BACKOFF_MS = 10 * 60_000;

/**
 * Delivers outbox events to subscribers after commit, at least once. Each
 * handler's writes commit together with its delivery mark, so a redelivered
 * event is skipped by handlers that already applied it.
 */
export class OutboxDispatcher {
  private listener: pg.Client | undefined;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = true;

  constructor(
    private readonly db: Db,
    private readonly url: string,
    private readonly subscribers: Subscriber[],
    private readonly log: Logger,
    private readonly pollMs = 1000,
  ) {}

  async start(): Promise<void> {
    this.stopped = false;
    this.listener = new pg.Client({ connectionString: this.url });
    this.listener.on('error', (e) => this.log.warn({ err: e }, 'outbox listener lost its connection; polling continues'));
    await this.listener.connect();
    this.listener.on('notification', () => this.kick());
    await this.listener.query(`LISTEN ${OUTBOX_CHANNEL}`);
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
    await this.listener?.end().catch(() => {});
  }

  private async drain(): Promise<void> {
    for (;;) {
      const events = await this.db
        .selectFrom('outbox')
        .selectAll()
        .where('dispatched_at', 'is', null)
        .where('next_attempt_at', '<=', sql<Date>`now()`)
        .orderBy('id')
        .limit(50)
        .execute();
      if (events.length === 0 || this.stopped) return;
      for (const row of events) await this.deliver(row);
    }
  }

  private async deliver(row: any): Promise<void> {
    const event: DomainEvent = { id: String(row.id), tenantId: row.tenant_id, type: row.type, payload: row.payload, createdAt: row.created_at };
    try {
      for (const sub of this.subscribers.filter((s) => s.type === event.type)) {
        await this.db.transaction().execute(async (trx) => {
          // The delivery mark is inserted first: a concurrent dispatcher blocks on it and then skips.
          const mark = await trx
            .insertInto('outbox_deliveries')
            .values({ event_id: row.id, handler: sub.key })
            .onConflict((oc) => oc.doNothing())
            .returning('event_id')
            .executeTakeFirst();
          if (mark) await sub.handle(event, trx);
        });
      }
      await this.db.updateTable('outbox').set({ dispatched_at: sql`now()`, attempts: sql`attempts + 1`, last_error: null }).where('id', '=', row.id).execute();
    } catch (e) {
      const attempts = row.attempts + 1;
      const delay = Math.min(MAX_BACKOFF_MS, 1000 * 2 ** attempts);
      this.log.error({ err: e, eventId: event.id, type: event.type, attempts }, 'event handler failed; will retry');
      await this.db
        .updateTable('outbox')
        .set({ attempts, last_error: String((e as Error)?.message ?? e), next_attempt_at: new Date(Date.now() + delay) })
        .where('id', '=', row.id)
        .execute();
    }
  }
}
