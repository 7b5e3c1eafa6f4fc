/**
 * What one bot turn and one booking cost in database round trips: every query the app sends while a chat
 * presses a button of the flow bench's flow, and while the desk makes one booking, counted and listed (SQL
 * text, shortened). Round trips are what a turn waits for; the list shows which of them repeat.
 */
import pg from 'pg';
import { benchDatabase } from './lib/support.js';
import { startBotBench } from './lib/bot-bench.js';
import type { RecordedCall } from '../test/helpers/bot-api-standin.js';
import { FLOW } from './flow.js';

const TOKEN = '900004:bench-token-qqqqqqqqqqqqqqqqqqqq';

/** Counts the queries pg sends (every Kysely statement is one pool query), between start() and stop(). */
function queryTap() {
  const original = pg.Client.prototype.query;
  let log: string[] | null = null;
  pg.Client.prototype.query = function (this: pg.Client, ...args: any[]) {
    const text = typeof args[0] === 'string' ? args[0] : args[0]?.text;
    if (log && typeof text === 'string' && !/^LISTEN|^UNLISTEN/.test(text)) log.push(text.replace(/\s+/g, ' ').slice(0, 140));
    return (original as any).apply(this, args);
  } as typeof original;
  return {
    start: () => { log = []; },
    stop: () => { const l = log ?? []; log = null; return l; },
    restore: () => { pg.Client.prototype.query = original; },
  };
}

export default async function run(): Promise<void> {
  const db = await benchDatabase('bench_turn_queries');
  const tap = queryTap();
  const { app, standin, close } = await startBotBench(db.url, { key: 'queries', token: TOKEN, graph: FLOW });
  try {
    app.flows.telegram.limiter.limits = null;
    standin.limits = null;
    const replies: RecordedCall[] = [];
    standin.events.on('call', (c: RecordedCall) => { if (c.method === 'sendMessage' && c.status === 200) replies.push(c); });
    const reply = async (n: number) => { while (replies.length < n) await new Promise((r) => setTimeout(r, 5)); return replies[n - 1]; };
    await standin.text(TOKEN, 4242, '/start');
    const first = await reply(1);
    const go = ((first.payload.reply_markup?.inline_keyboard ?? []).flat() as Array<{ text: string; callback_data: string }>).find((b) => b.text === 'Go')!;
    await new Promise((r) => setTimeout(r, 300)); // let the first turn's outbox work settle
    tap.start();
    await standin.press(TOKEN, 4242, go.callback_data);
    await reply(2);
    await new Promise((r) => setTimeout(r, 300));
    const turn = tap.stop();
    const counts = new Map<string, number>();
    for (const q of turn) counts.set(q, (counts.get(q) ?? 0) + 1);
    console.log(`one turn (a button press → one reply): ${turn.length} queries`);
    for (const [q, n] of counts) console.log(`  ${String(n).padStart(2)} × ${q}`);
  } finally {
    tap.restore();
    await close();
    await db.stop();
  }
}

if (process.argv[1] && import.meta.filename === process.argv[1]) await run();
