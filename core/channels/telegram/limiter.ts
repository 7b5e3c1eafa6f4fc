/** A token bucket that hands out reservations: each take() says how long to wait before acting. */
class Bucket {
  private tokens: number;
  last = Date.now();
  constructor(private readonly rate: number, private readonly burst: number) {
    this.tokens = burst;
  }
  reserve(): number {
    const now = Date.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.rate);
    this.last = now;
    this.tokens -= 1;
    return this.tokens >= 0 ? 0 : (-this.tokens / this.rate) * 1000;
  }
  /** Nothing may pass for `ms` (a 429's retry_after). */
  block(ms: number): void {
    this.reserve();
    this.tokens = Math.min(this.tokens, -(ms / 1000) * this.rate);
  }
}

export interface Limits {
  perChat: { rate: number; burst: number };
  perBot: { rate: number; burst: number };
}

/** Telegram's limits: about one message a second per chat (short bursts allowed) and 30 a second per bot. */
export const TELEGRAM_LIMITS: Limits = { perChat: { rate: 1, burst: 3 }, perBot: { rate: 30, burst: 30 } };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Spaces out sends per chat and per bot; one process serves many bots. */
export class Limiter {
  private readonly buckets = new Map<string, Bucket>();
  private sinceSweep = 0;
  /** null lets everything through (benchmarks against a local Bot API stand-in) */
  limits: Limits | null = TELEGRAM_LIMITS;

  private bucket(key: string, l: { rate: number; burst: number }): Bucket {
    let b = this.buckets.get(key);
    if (!b) {
      b = new Bucket(l.rate, l.burst);
      this.buckets.set(key, b);
    }
    return b;
  }

  async acquire(botId: string, chatId: string | undefined): Promise<void> {
    const limits = this.limits;
    if (!limits) return;
    // A bucket idle for a minute is full again: forgetting it changes nothing and keeps memory flat.
    if (++this.sinceSweep >= 1000) {
      this.sinceSweep = 0;
      const idle = Date.now() - 60_000;
      for (const [key, b] of this.buckets) if (b.last < idle) this.buckets.delete(key);
    }
    const chatWait = chatId === undefined ? 0 : this.bucket(`${botId}:${chatId}`, limits.perChat).reserve();
    const botWait = this.bucket(botId, limits.perBot).reserve();
    const wait = Math.max(chatWait, botWait);
    if (wait > 0) await sleep(wait);
  }

  /** After a 429 the whole bot waits, as Telegram asks. */
  pause(botId: string, ms: number): void {
    if (this.limits) this.bucket(botId, this.limits.perBot).block(ms);
  }

  forget(botId: string): void {
    for (const key of this.buckets.keys()) if (key === botId || key.startsWith(`${botId}:`)) this.buckets.delete(key);
  }
}
