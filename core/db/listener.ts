import pg from 'pg';
import type { Logger } from 'pino';
import { settlesWithin } from '../settles-within.js';

/**
 * LISTENs on one channel over a connection of its own (a pooled one would be handed to others). A lost
 * connection is replaced a second later; the owner's polling covers the gap, so a missed NOTIFY only delays.
 */
export class ChannelListener {
  private client: pg.Client | undefined;
  private stopped = true;

  constructor(
    private readonly url: string,
    private readonly channel: string,
    private readonly onNotify: (payload?: string) => void,
    private readonly log: Logger,
  ) {}

  async start(): Promise<void> {
    this.stopped = false;
    await this.connect();
  }

  /** end() of a connection the server already cut may never settle: it gets a moment, not the shutdown. */
  async stop(): Promise<void> {
    this.stopped = true;
    const client = this.client;
    this.client = undefined;
    if (client) await settlesWithin(client.end().catch(() => {}), 2000);
  }

  private async connect(): Promise<void> {
    const client = new pg.Client({ connectionString: this.url });
    let lost = false;
    const lose = (e?: Error) => {
      if (lost) return;
      lost = true;
      if (this.client === client) this.client = undefined;
      if (this.stopped) return;
      this.log.warn({ err: e, channel: this.channel }, 'the LISTEN connection was lost; polling continues, reconnecting');
      setTimeout(() => { if (!this.stopped) this.connect().catch((err) => this.log.warn({ err, channel: this.channel }, 'LISTEN reconnect failed')); }, 1000).unref();
    };
    client.on('error', lose);
    client.on('end', () => lose());
    client.on('notification', (n) => this.onNotify(n.payload));
    this.client = client;
    await client.connect();
    await client.query(`LISTEN ${this.channel}`);
  }
}
