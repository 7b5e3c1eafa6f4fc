import { EventEmitter } from 'node:events';
import { sql } from 'kysely';
import type { Changes, Tx } from '../../plugin-sdk.js';

type Listen = (channel: string, onNotify: (payload?: string) => void) => Promise<() => Promise<void>>;

/**
 * `ctx.changes(channel)`: one LISTEN per app instance and channel tells that instance's subscribers (open SSE
 * streams) that something of a business changed; announced on a transaction, so every instance hears it on commit.
 */
export class ChangeFeed implements Changes {
  private readonly bus = new EventEmitter().setMaxListeners(0);
  private readonly listening: Promise<(() => Promise<void>) | undefined>;

  constructor(private readonly notifyChannel: string, channel: string, listen: Listen, onError: (err: unknown) => void) {
    // Started as the feed is made (plugins make theirs while loading), so it listens before the first request.
    this.listening = listen(channel, (tenantId) => { if (tenantId) this.bus.emit(tenantId); }).catch((err) => { onError(err); return undefined; });
  }

  async announce(trx: Tx, tenantId: string): Promise<void> {
    await sql`SELECT pg_notify(${this.notifyChannel}, ${tenantId})`.execute(trx);
  }

  on(tenantId: string, fn: () => void): () => void {
    this.bus.on(tenantId, fn);
    return () => { this.bus.off(tenantId, fn); };
  }

  async close(): Promise<void> {
    await (await this.listening)?.();
  }
}
