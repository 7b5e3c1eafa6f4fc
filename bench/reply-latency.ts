/**
 * A turn's reply latency over the Bot API stand-in: a client writes /start, the webhook runs the turn and the
 * reply reaches the stand-in. Each turn is a new chat (Telegram's per-chat limit never waits) and turns are
 * paced below the per-bot limit, so the figure is the path itself: webhook, turn, commit, and the send.
 * The reference, measured in the same run: the stand-in's bare sendMessage round trip (HTTP floor).
 */
import { en, graph } from '../core/flow/test/graph-builder.js';
import type { RecordedCall } from '../test/helpers/bot-api-standin.js';
import { startBotBench } from './lib/bot-bench.js';
import { ratio } from './lib/ratios.js';
import { benchDatabase, percentile } from './lib/support.js';

const TOKEN = '900005:latency-token-dddddddddddddddddd';
const TURNS = 150;
const PACE_MS = 60;

export async function replyLatency(databaseUrl: string): Promise<{ p50: number; p99: number; floorP50: number }> {
  const { app, standin, close } = await startBotBench(databaseUrl, { key: 'latency', token: TOKEN, graph: graph([['start', 'trigger.command', { command: '/start' }], ['hi', 'message', { text: en('Hello') }], ['fin', 'end', {}]], ['start.next>hi', 'hi.next>fin']) });
  try {
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
    await close();
  }
}

export default async function run(): Promise<void> {
  const db = await benchDatabase('bench_reply_latency');
  try {
    const r = await replyLatency(db.url);
    console.log(`turn reply latency (webhook → reply at the stand-in, ${TURNS} turns, one per chat): p50 ${r.p50.toFixed(1)} ms, p99 ${r.p99.toFixed(1)} ms; reference (bare sendMessage round trip) p50 ${r.floorP50.toFixed(2)} ms`);
    ratio({ bench: 'reply-latency', measure: 'turn reply p50 / bare sendMessage p50', value: r.p50, reference: r.floorP50, unit: 'ms' });
  } finally {
    await db.stop();
  }
}
