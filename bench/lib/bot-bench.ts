/** Shared by the chat benchmarks: the app on a database, listening, with one published flow answering one stand-in bot. */
import crypto from 'node:crypto';
import os from 'node:os';
import { pino } from 'pino';
import { createApp, type App } from '../../core/app.js';
import { loadConfig } from '../../core/config.js';
import { ensureDemoTenant, ensureOwner } from '../../core/seed/bootstrap.js';
import { BotApiStandIn } from '../../test/helpers/bot-api-standin.js';

export interface BotBench {
  app: App;
  standin: BotApiStandIn;
  close(): Promise<void>;
}

export async function startBotBench(databaseUrl: string, bot: { key: string; graph: unknown; token: string }): Promise<BotBench> {
  const standin = await BotApiStandIn.start();
  const config = { ...loadConfig({}), dataDir: os.tmpdir(), secretKey: crypto.randomBytes(32).toString('hex'), telegramApiRoot: standin.url, publicUrl: 'https://bench.example.test' };
  const app = await createApp({ config, databaseUrl, logger: pino({ level: 'silent' }) });
  const close = async () => { await app.close(); await standin.close(); };
  try {
    const email = `${bot.key}@bookflow.local`;
    const owner = await ensureOwner(app.db.db, email, 'bench-password-1');
    await ensureDemoTenant(app.db.db, app.host, owner.userId, 'Bench');
    await app.start();
    await app.http.listen({ port: 0, host: '127.0.0.1' });
    const address = app.http.server.address();
    const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    standin.webhookTarget = url;
    const api = async (method: string, p: string, body?: unknown, token?: string) => {
      const res = await fetch(url + p, { method, headers: { ...(body ? { 'content-type': 'application/json' } : {}), ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: body ? JSON.stringify(body) : undefined });
      const json = await res.json() as any;
      if (res.status >= 300) throw new Error(`${method} ${p}: ${res.status} ${JSON.stringify(json)}`);
      return json;
    };
    const { token } = await api('POST', '/api/v1/auth/login', { email, password: 'bench-password-1' });
    const flow = await api('POST', '/api/v1/flows', { key: bot.key, name: bot.key, graph: bot.graph }, token);
    await api('POST', `/api/v1/flows/${flow.id}/publish`, undefined, token);
    await api('POST', '/api/v1/bots', { name: `${bot.key} bot`, token: bot.token, flowKey: bot.key }, token);
    await settled(app);
    return { app, standin, close };
  } catch (e) {
    await close();
    throw e;
  }
}

/**
 * Waits out the background work of seeding the demo business (its bookings' events and their handlers, the
 * messages they queue for the next minutes): left running, it would be timed as part of the first turns.
 */
async function settled(app: App): Promise<void> {
  const { db } = app.db;
  for (;;) {
    const events = await db.selectFrom('event_deliveries').select('id').where('status', '=', 'pending').limit(1).execute();
    const messages = await db.selectFrom('messages').select('id').where('status', 'in', ['queued', 'sending'])
      .where('not_before', '<=', new Date(Date.now() + 1000)).limit(1).execute();
    const outbox = await db.selectFrom('outbox').select('id').where('dispatched_at', 'is', null).limit(1).execute();
    if (events.length + messages.length + outbox.length === 0) return;
    await new Promise((r) => setTimeout(r, 100));
  }
}

export interface BotInstances {
  standin: BotApiStandIn;
  /** the instances on one database, not started yet (the caller seeds first) */
  apps: App[];
  tenantId: string;
  botId: string;
  close(): Promise<void>;
}

/** `instances` apps on one database with the demo business and one bot of `token` on a fresh stand-in: the send benches' world. */
export async function startBotInstances(databaseUrl: string, opts: { instances: number; token: string; secretKey: string; owner: string }): Promise<BotInstances> {
  const standin = await BotApiStandIn.start();
  const config = { ...loadConfig({}), dataDir: os.tmpdir(), secretKey: opts.secretKey, telegramApiRoot: standin.url, publicUrl: 'https://bench.example.test' };
  const apps: App[] = [];
  const close = async () => { for (const a of [...apps].reverse()) await a.close(); await standin.close(); };
  try {
    for (let i = 0; i < opts.instances; i++) apps.push(await createApp({ config, databaseUrl, logger: pino({ level: 'silent' }) }));
    const { db } = apps[0].db;
    const owner = await ensureOwner(db, opts.owner, 'bench-password-1');
    const { tenantId } = await ensureDemoTenant(db, apps[0].host, owner.userId, 'Bench');
    const bot = await db.insertInto('bots').values({ tenant_id: tenantId, name: `Bench ${opts.instances}`, token_sealed: apps[0].host.coreContext('bench').secrets.encrypt(opts.token), webhook_secret: 'x'.repeat(48), enabled: true })
      .returning('id').executeTakeFirstOrThrow();
    return { standin, apps, tenantId, botId: bot.id, close };
  } catch (e) {
    await close();
    throw e;
  }
}
