import { sql } from 'kysely';
import type { Db } from '../../../plugin-sdk.js';

export interface Limits {
  perChat: { rate: number; burst: number };
  /** sends a second; no burst, so no second ever holds more than this many */
  perBot: { rate: number };
}

/**
 * Telegram's limits: about one message a second per chat (short bursts allowed) and 30 a second per bot.
 * The bot's rate is kept a little under 30: a send reserved for its slot reaches Telegram a few milliseconds
 * late, and two late ones must not land in one second with 29 others.
 */
export const TELEGRAM_LIMITS: Limits = { perChat: { rate: 1, burst: 3 }, perBot: { rate: 29 } };

export type Reservation = { waitMs: number } | { chatReadyInMs: number };

/**
 * Telegram's send limits for every app instance on one database: rate rows in PostgreSQL updated atomically
 * (one function call per send, bf_reserve_send), on the database's clock. A chat that is not ready reserves
 * nothing and says when it is, so its message waits in the outbox while other chats' messages go.
 */
export class Limiter {
  /** null lets everything through (benchmarks of the engine alone) */
  limits: Limits | null = TELEGRAM_LIMITS;

  constructor(private readonly db: Db) {}

  async reserve(botId: string, chatId: string): Promise<Reservation> {
    const l = this.limits;
    if (!l) return { waitMs: 0 };
    const { rows } = await sql<{ wait_ms: number | null; chat_ready_ms: number }>`SELECT * FROM bf_reserve_send(${`tg:${botId}:${chatId}`}, ${1000 / l.perChat.rate}, ${l.perChat.burst}, ${`tg:${botId}`}, ${1000 / l.perBot.rate})`.execute(this.db);
    const r = rows[0];
    return r.wait_ms === null ? { chatReadyInMs: Math.ceil(r.chat_ready_ms) } : { waitMs: Math.max(0, r.wait_ms) };
  }

  /**
   * After a 429: nothing more goes to the chat for `ms`, as Telegram asks. The bot's other chats go on: its own
   * rate stays under Telegram's, so a 429 is a send that landed late next to others, not a bot over its limit.
   */
  async pause(botId: string, chatId: string, ms: number): Promise<void> {
    const l = this.limits;
    if (!l) return;
    const chatTolerance = (l.perChat.burst - 1) * (1000 / l.perChat.rate);
    await sql`INSERT INTO channel_rate_limits AS r (key, tat) VALUES (${`tg:${botId}:${chatId}`}, clock_timestamp() + ${ms + chatTolerance} * interval '1 millisecond')
      ON CONFLICT (key) DO UPDATE SET tat = greatest(r.tat, excluded.tat)`.execute(this.db);
  }

  /** Rate rows idle for an hour say nothing a fresh row would not: removed to keep the table small. */
  async sweep(): Promise<void> {
    await sql`DELETE FROM channel_rate_limits WHERE tat < clock_timestamp() - interval '1 hour'`.execute(this.db);
  }

}
