/**
 * A turn's reply latency over the Bot API stand-in: a client writes /start, the webhook runs the turn and the
 * reply reaches the stand-in. Each turn is a new chat (Telegram's per-chat limit never waits) and turns are
 * paced below the per-bot limit, so the figure is the path itself: webhook, turn, commit, and the send.
 * The reference, measured in the same run: the stand-in's bare sendMessage round trip (HTTP floor).
 */
import crypto from 'node:crypto';
import os from 'node:os';
import { pino } from 'pino';
import { createApp } from '../core/app.js';
import { loadConfig } from '../core/config.js';
import { ensureDemoTenant, ensureOwner } from '../core/seed/bootstrap.js';
import { en, graph } from '../core/flow/test/graph-builder.js';
import { BotApiStandIn, type RecordedCall } from '../test/helpers/bot-api-standin.js';
import { benchDatabase, percentile } from './lib/support.js';

const TOKEN = '900005:latency-token-dddddddddddddddddd';
const TURNS = 150;
const PACE_MS = 60;

export async function replyLatency(databaseUrl: string): Promise<{ p50: number; p99: number; floorP50: number }> {
  const standin = await BotApiStandIn.start();
  const config = { ...loadConfig({}), dataDir: os.tmpdir(), secretKey: crypto.randomBytes(32).toString('hex'), telegramApiRoot: standin.url, publicUrl: 'https://bench.example.test' };
  const app = await createApp({ config, databaseUrl, logger: pino({ level: 'silent' }) });
  try {
    const owner = await ensureOwner(app.db.db, 'latency@bookflow.local', 'bench-password-1');
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
    const { token } = await api('POST', '/api/v1/auth/login', { email: 'latency@bookflow.local', password: 'bench-password-1' });
    const flow = await api('POST', '/api/v1/flows', { key: 'latency', name: 'Latency', graph: graph([['start', 'trigger.command', { command: '/start' }], ['hi', 'message', { text: en('Hello') }], ['fin', 'end', {}]], ['start.next>hi', 'hi.next>fin']) }, token);
    await api('POST', `/api/v1/flows/${flow.id}/publish`, undefined, token);
    await api('POST', '/api/v1/bots', { name: 'Latency bot', token: TOKEN, flowKey: 'latency' }, token);

    const waiting = new Map<string, () => void>();
    standin.events.on('call', (c: RecordedCall) => {
      if (c.method === 'sendMessage' && c.status === 200) waiting.get(String(c.payload.chat_id))?.();
    });
    const latencies: number[] = [];
    const floor: number[] = [];
    for (let i = 0; i < TURNS + 10; i++) {
      const chat = 3_000_000 + i;
      const started = performance.now();
      const replied = new Promise<void>((resolve) => waiting.set(String(chat), resolve));
      await standin.text(TOKEN, chat, '/start');
      await replied;
      // The first turns warm caches and connections.
      if (i >= 10) latencies.push(performance.now() - started);
      const bare = performance.now();
      await fetch(`${standin.url}/bot${TOKEN}/sendMessage`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ chat_id: 1, text: 'floor' }) });
      if (i >= 10) floor.push(performance.now() - bare);
      await new Promise((r) => setTimeout(r, PACE_MS));
    }
    latencies.sort((a, b) => a - b);
    floor.sort((a, b) => a - b);
    return { p50: percentile(latencies, 50), p99: percentile(latencies, 99), floorP50: percentile(floor, 50) };
  } finally {
    await app.close();
    await standin.close();
  }
}

export default async function run(): Promise<void> {
  const db = await benchDatabase('bench_reply_latency');
  try {
    const r = await replyLatency(db.url);
    console.log(`turn reply latency (webhook → reply at the stand-in, ${TURNS} turns, one per chat): p50 ${r.p50.toFixed(1)} ms, p99 ${r.p99.toFixed(1)} ms; reference (bare sendMessage round trip) p50 ${r.floorP50.toFixed(2)} ms → ratio ${(r.p50 / r.floorP50).toFixed(1)}×`);
  } finally {
    await db.stop();
  }
}
