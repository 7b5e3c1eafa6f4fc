/**
 * Flow engine throughput: a 20-node flow driven through the Telegram webhook by 1, 50 and 500
 * concurrent chats against the local Bot API stand-in. Latency is from posting the update to
 * the webhook until the reply reaches the stand-in. Telegram's send limits are switched off
 * (they would measure the limiter: 30 messages/s per bot), everything else is the real path:
 * HTTP, secret check, de-duplication, row lock, engine, grammY, HTTP out.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startEmbeddedPostgres } from '../core/db/embedded.js';
import { ensureDatabase } from '../core/db/provision.js';
import { en, graph } from '../core/flow/test/graph-builder.js';
import type { RecordedCall } from '../test/helpers/bot-api-standin.js';
import { startBotBench } from './lib/bot-bench.js';
import { cpuMeter } from './lib/cpu.js';
import { startGrammyReference } from './lib/grammy-reference.js';
import { ratio } from './lib/ratios.js';

const TOKEN = '900003:bench-token-dddddddddddddddddddd';

/** 20 nodes; every client update runs 2–4 of them and gets exactly one reply. */
export const FLOW = graph([
  ['start', 'trigger.command', { command: '/start' }],
  ['kw', 'trigger.keyword', { keywords: ['bench'] }],
  ['s1', 'set', { assignments: [{ var: 'a', value: 1 }] }],
  ['c1', 'condition', { rules: [{ id: 'ok', label: en('ok'), all: [{ var: 'a', op: 'eq', value: 1 }] }] }],
  ['q1', 'choice', { text: en('Step one, {{client.name}}'), buttons: [{ id: 'go', label: en('Go') }] }],
  ['s2', 'set', { assignments: [{ var: 'b', value: 'two' }] }],
  ['c2', 'condition', { rules: [{ id: 'ok', label: en('ok'), all: [{ var: 'b', op: 'notEmpty' }] }] }],
  ['q2', 'choice', { text: en('Step two ({{b}})'), buttons: [{ id: 'go', label: en('Go') }] }],
  ['s3', 'set', { assignments: [{ var: 'c', value: '{{a}}-{{b}}' }] }],
  ['ask', 'input', { kind: 'text', saveAs: 'name', text: en('Your name?') }],
  ['c3', 'condition', { rules: [{ id: 'ok', label: en('ok'), all: [{ var: 'name', op: 'notEmpty' }] }] }],
  ['s4', 'set', { assignments: [{ var: 'd', value: true }] }],
  ['q3', 'choice', { text: en('Hi {{name}}'), buttons: [{ id: 'go', label: en('Go') }] }],
  ['s5', 'set', { assignments: [{ var: 'e', value: 5 }] }],
  ['c4', 'condition', { rules: [{ id: 'ok', label: en('ok'), all: [{ var: 'e', op: 'gte', value: 5 }] }] }],
  ['q4', 'choice', { text: en('Again?'), buttons: [{ id: 'again', label: en('Again') }, { id: 'stop', label: en('Stop') }] }],
  ['s6', 'set', { assignments: [{ var: 'a', value: 1 }] }],
  ['fb', 'message', { text: en('Please use the buttons') }],
  ['oops', 'message', { text: en('A name, please') }],
  ['bye', 'end', { text: en('Bye') }],
], [
  'start.next>s1', 'kw.next>s1', 's1.next>c1', 'c1.ok>q1', 'c1.else>fb', 'fb.next>q1', 'q1.go>s2', 'q1.fallback>fb',
  's2.next>c2', 'c2.ok>q2', 'c2.else>fb', 'q2.go>s3', 's3.next>ask', 'ask.next>c3', 'c3.ok>s4', 'c3.else>oops', 'oops.next>ask',
  's4.next>q3', 'q3.go>s5', 's5.next>c4', 'c4.ok>q4', 'c4.else>fb', 'q4.again>s6', 'q4.stop>bye', 's6.next>q1',
], [{ name: 'a', type: 'number' }, { name: 'b', type: 'string' }, { name: 'c', type: 'string' }, { name: 'd', type: 'boolean' }, { name: 'e', type: 'number' }, { name: 'name', type: 'string' }]);

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

export default async function run(): Promise<void> {
  let stopPg: (() => Promise<void>) | undefined;
  let databaseUrl = process.env.BENCH_DATABASE_URL;
  if (!databaseUrl) {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bookflow-bench-flow-'));
    fs.chmodSync(dataDir, 0o755);
    const pg = await startEmbeddedPostgres({ dataDir });
    stopPg = async () => { await pg.stop(); fs.rmSync(dataDir, { recursive: true, force: true }); };
    databaseUrl = await ensureDatabase(pg.url, 'bench_flow');
  }
  const { app, standin, close } = await startBotBench(databaseUrl, { key: 'bench', token: TOKEN, graph: FLOW });
  try {
    // Both sides' limits off: the stand-in's would answer 429 to the engine's bursts, and the bench would time the retries.
    app.flows.telegram.limiter.limits = null;
    standin.limits = null;

    // Replies by chat: each turn of the flow answers with exactly one message.
    const waiting = new Map<string, (m: RecordedCall) => void>();
    standin.events.on('call', (c: RecordedCall) => {
      if (c.method !== 'sendMessage' || c.status !== 200) return;
      const w = waiting.get(String(c.payload.chat_id));
      if (w) {
        waiting.delete(String(c.payload.chat_id));
        w(c);
      }
    });
    const turn = async (chat: number, send: () => Promise<unknown>): Promise<{ ms: number; reply: RecordedCall }> => {
      const started = performance.now();
      const reply = new Promise<RecordedCall>((resolve) => waiting.set(String(chat), resolve));
      await send();
      const r = await reply;
      return { ms: performance.now() - started, reply: r };
    };
    const script = ['go', 'go', 'text', 'go', 'again'] as const;
    let nextChat = 1_000_000;

    async function chat(turns: number, latencies: number[]): Promise<void> {
      const id = nextChat++;
      let last = await turn(id, () => standin.text(TOKEN, id, '/start'));
      latencies.push(last.ms);
      for (let i = 1; i < turns; i++) {
        const step = script[(i - 1) % script.length];
        const buttons = (last.reply.payload.reply_markup?.inline_keyboard ?? []).flat() as Array<{ text: string; callback_data: string }>;
        const send = step === 'text'
          ? () => standin.text(TOKEN, id, 'Ann')
          : () => standin.press(TOKEN, id, buttons.find((b) => b.text === (step === 'go' ? 'Go' : 'Again'))!.callback_data);
        last = await turn(id, send);
        latencies.push(last.ms);
      }
    }

    const reference = await startGrammyReference();
    const run = async (chats: number, turns: number, one: (latencies: number[]) => Promise<void>) => {
      const latencies: number[] = [];
      const meter = cpuMeter(databaseUrl);
      const started = performance.now();
      await Promise.all(Array.from({ length: chats }, () => one(latencies)));
      const seconds = (performance.now() - started) / 1000;
      const cpu = meter();
      latencies.sort((a, b) => a - b);
      return { updates: latencies.length, seconds, rate: latencies.length / seconds, p50: percentile(latencies, 50), p99: percentile(latencies, 99), cpu };
    };
    const perUpdate = (ms: number | null, r: { updates: number }) => (ms === null ? '—' : (ms / r.updates).toFixed(2)).padStart(9);
    const row = (who: string, chats: number, r: Awaited<ReturnType<typeof run>>) => console.log([who.padEnd(9), String(chats).padStart(5), String(r.updates).padStart(8), r.seconds.toFixed(2).padStart(8), r.rate.toFixed(0).padStart(10), r.p50.toFixed(1).padStart(7), r.p99.toFixed(1).padStart(7),
      perUpdate(r.cpu.nodeMs, r), perUpdate(r.cpu.postgresMs, r)].join(' '));
    try {
      console.log('flow: 20 nodes; each update runs 2–4 nodes and sends one reply (webhook → reply at the Bot API stand-in)');
      console.log('reference: a bare grammY webhook bot on fastify answering each update with one sendMessage, same stand-in code');
      // CPU per update: this process's (the app or the reference, and the stand-in both talk to) and the database's.
      console.log('who        chats  updates  seconds  updates/s  p50 ms  p99 ms   node ms     pg ms');
      for (const [chats, turns] of [[1, 300], [50, 30], [500, 6]] as const) {
        const ours = await run(chats, turns, (l) => chat(turns, l));
        const ref = await run(chats, turns, async (l) => {
          const id = nextChat++;
          for (let i = 0; i < turns; i++) l.push(await reference.turn(id, i > 0));
        });
        row('bookflow', chats, ours);
        row('reference', chats, ref);
        ratio({ bench: 'flow', measure: `throughput, ${chats} chat${chats > 1 ? 's' : ''}`, value: ours.rate, reference: ref.rate, unit: 'updates/s', goal: chats > 1 ? { min: 0.8 } : undefined });
        if (chats === 1) ratio({ bench: 'flow', measure: 'p50 latency, 1 chat', value: ours.p50, reference: ref.p50, unit: 'ms', goal: { max: 2 } });
      }
    } finally {
      await reference.close();
    }
  } finally {
    await close();
    await stopPg?.();
  }
}

if (process.argv[1] && import.meta.filename === path.resolve(process.argv[1])) await run();
