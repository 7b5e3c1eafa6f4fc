import { ChannelListener } from '../db/listener.js';
import { sql } from 'kysely';
import type { Logger } from 'pino';
import type { Db } from '../../plugin-sdk.js';
import type { Clock } from '../clock.js';
import { blocksLater, OUTGOING_COLUMNS, type Deliverer, type Outcome, type OutgoingRow } from './deliver.js';
import type { TurnSender } from './service.js';
import { MESSAGES_CHANNEL } from './service.js';
import { SentOutcomes } from './sent-outcomes.js';

export interface MessageDispatcherOptions {
  /** messages sent at once by this instance */
  workers?: number;
  /** a 'sending' row whose sender died is taken again after this long; a send must be done in three quarters of it */
  leaseMs?: number;
  /** failed attempts (network, provider errors) before a message is failed */
  maxAttempts?: number;
  pollMs?: number;
}

const FIRST_BACKOFF_MS = 2000;
const MAX_BACKOFF_MS = 10 * 60_000;
const REASON_LENGTH = 500;

/**
 * Sends queued messages after their transaction commits: woken by NOTIFY (so a reply leaves at once) and by
 * polling (due times, other instances' leftovers). Workers claim one row at a time with SKIP LOCKED, so many
 * workers on many instances never send a row twice; a row of a conversation waits until the one before it is
 * sent. A claimed row is leased; if its sender dies, another takes it when the lease runs out. Due times and
 * leases are on the app's clock.
 */
export class MessageDispatcher implements TurnSender {
  private readonly listener: ChannelListener;
  private timer: NodeJS.Timeout | undefined;
  private stopped = true;
  private readonly idle: Array<() => void> = [];
  private workers: Promise<void>[] = [];
  /** turns' replies being sent by take() */
  private readonly taking = new Set<Promise<void>>();
  /** the chats take() is sending to, and whether a row was queued behind (a worker is woken when they are done) */
  private readonly sendingTo = new Map<string, boolean>();
  private readonly workerCount: number;
  readonly leaseMs: number;
  private readonly maxAttempts: number;
  private readonly pollMs: number;
  private readonly sent: SentOutcomes;

  constructor(
    private readonly db: Db,
    url: string,
    private readonly deliverer: Deliverer,
    private readonly clock: Clock,
    private readonly log: Logger,
    opts: MessageDispatcherOptions = {},
  ) {
    this.workerCount = Math.max(1, opts.workers ?? 16);
    this.leaseMs = opts.leaseMs ?? 60_000;
    this.maxAttempts = Math.max(1, opts.maxAttempts ?? 8);
    this.pollMs = opts.pollMs ?? 500;
    this.sent = new SentOutcomes(db);
    this.listener = new ChannelListener(url, MESSAGES_CHANNEL, () => this.kick(), log);
  }

  async start(): Promise<void> {
    this.stopped = false;
    await this.listener.start();
    this.timer = setInterval(() => this.kick(), this.pollMs);
    this.workers = Array.from({ length: this.workerCount }, () => this.work());
    this.kick();
  }

  /** Wakes one idle worker; a worker that finds work wakes the next, so a burst spreads over all of them. */
  kick(): void {
    this.idle.shift()?.();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    for (const wake of this.idle.splice(0)) wake();
    await Promise.all([...this.workers, ...this.taking]);
    await this.listener.stop();
  }

  /**
   * Sends the rows a turn took as it wrote them (one chat's, in order), now. A row not sent (to be tried later) hands
   * the rest back to the queue, where they wait behind it; after stop() all go back to it.
   */
  take(rows: OutgoingRow[], claimedAt: number): void {
    const key = rows[0].order_key;
    this.sendingTo.set(key, false);
    const sending = (this.stopped ? this.release(rows) : this.inOrder(rows, claimedAt)).finally(() => {
      this.taking.delete(sending);
      // A row queued behind these was refused by the claim its NOTIFY woke, as these were still being sent.
      if (this.sendingTo.get(key)) this.kick();
      this.sendingTo.delete(key);
    });
    this.taking.add(sending);
  }

  behind(orderKey: string): void {
    if (this.sendingTo.has(orderKey)) this.sendingTo.set(orderKey, true);
  }

  private async inOrder(rows: OutgoingRow[], claimedAt: number): Promise<void> {
    for (const [i, row] of rows.entries()) {
      const status = await this.process(row, claimedAt);
      if (status === 'retry' || status === 'postponed') return this.release(rows.slice(i + 1));
    }
  }

  private async release(rows: OutgoingRow[]): Promise<void> {
    if (!rows.length) return;
    await this.db.updateTable('messages').set({ status: 'queued', lease_until: null }).where('tenant_id', '=', rows[0].tenant_id)
      .where('id', '=', sql<string>`any(${rows.map((r) => r.id)}::uuid[])`).where('status', '=', 'sending').where('lease_until', '=', rows[0].lease_until).execute()
      .catch((e) => this.log.error({ err: e }, 'handing messages back to the queue failed; their lease will run out and they are taken again'));
    this.kick();
  }

  private async work(): Promise<void> {
    while (!this.stopped) {
      let row: OutgoingRow | undefined;
      // Taken before the claim, so the send's budget ends no later than the lease the database granted.
      const claimedAt = performance.now();
      try {
        row = await this.claim();
      } catch (e) {
        this.log.error({ err: e }, 'claiming a message failed');
      }
      if (!row) {
        // stop() may have come while the claim ran: it woke only the workers already idle.
        if (this.stopped) break;
        await new Promise<void>((resolve) => this.idle.push(resolve));
        continue;
      }
      this.kick();
      await this.process(row, claimedAt);
    }
  }

  private async claim(): Promise<OutgoingRow | undefined> {
    const now = this.clock.now();
    // Due times are the business's (the app clock); a lease measures how long a sender holds a row, so it is on
    // the database's clock, which a moved app clock cannot run out under a send in flight. Whole milliseconds,
    // as the row is matched again by it when the outcome is recorded.
    const { rows } = await sql<OutgoingRow>`
      UPDATE messages m SET status = 'sending', lease_until = date_trunc('milliseconds', clock_timestamp() + ${this.leaseMs}::int * interval '1 millisecond')
      WHERE (m.tenant_id, m.id) = (
        SELECT c.tenant_id, c.id FROM messages c
        WHERE ((c.status = 'queued' AND c.not_before <= ${now}) OR (c.status = 'sending' AND c.lease_until < clock_timestamp()))
          AND NOT EXISTS (
            SELECT 1 FROM messages e WHERE e.order_key = c.order_key AND e.seq < c.seq AND ${blocksLater(now)})
        ORDER BY c.seq LIMIT 1 FOR UPDATE SKIP LOCKED)
      RETURNING ${sql.join(OUTGOING_COLUMNS.map((c) => sql.ref(`m.${c}`)))}`.execute(this.db);
    return rows[0];
  }

  private async process(row: OutgoingRow, claimedAt: number): Promise<Outcome['status']> {
    let outcome: Outcome;
    try {
      // A quarter of the lease is kept for recording the outcome once the send is done.
      outcome = await this.deliverer.deliver(row, claimedAt + (this.leaseMs * 3) / 4);
    } catch (e) {
      outcome = { status: 'retry', reason: e instanceof Error ? e.message : String(e), counted: true };
    }
    const now = this.clock.now();
    const lost = (e: unknown) => this.log.error({ err: e, messageId: row.id }, 'recording a message outcome failed; its lease will run out and it is taken again');
    if (outcome.status === 'sent') {
      await this.sent.record(row, outcome, now).catch(lost);
      return outcome.status;
    }
    const set: Record<string, unknown> = { lease_until: null };
    if (outcome.status === 'retry' && !outcome.counted) {
      Object.assign(set, { status: 'queued', not_before: new Date(now.getTime() + (outcome.afterMs ?? 0)), reason: outcome.reason.slice(0, REASON_LENGTH) });
    } else if (outcome.status === 'retry') {
      const attempts = row.attempts + 1;
      const last = attempts >= this.maxAttempts;
      Object.assign(set, { status: last ? 'failed' : 'queued', attempts, reason: outcome.reason.slice(0, REASON_LENGTH), not_before: new Date(now.getTime() + Math.min(MAX_BACKOFF_MS, FIRST_BACKOFF_MS * 2 ** (attempts - 1))) });
      this.log.warn({ messageId: row.id, attempts, reason: outcome.reason }, last ? 'message failed for the last time' : 'message send failed; will retry');
    } else if (outcome.status === 'postponed') {
      Object.assign(set, { status: 'queued', not_before: outcome.until, deferred: true, reason: outcome.reason });
    } else {
      Object.assign(set, { status: outcome.status, reason: outcome.reason.slice(0, REASON_LENGTH), ...(outcome.status === 'failed' ? { attempts: row.attempts + 1 } : {}) });
    }
    // Only while this worker's lease holds: a row taken over by another sender is that sender's to finish.
    await this.db.updateTable('messages').set(set).where('tenant_id', '=', row.tenant_id).where('id', '=', row.id).where('status', '=', 'sending').where('lease_until', '=', row.lease_until).execute()
      .catch(lost);
    return outcome.status;
  }
}
