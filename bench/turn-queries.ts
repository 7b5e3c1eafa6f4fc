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

/** Pollers that run whatever the app does (jobs, the outboxes, broadcasts): timed into a window, they are not its cost. */
const IDLE_POLL = /^ ?UPDATE messages m SET status = 'sending'|^select "id" from "event_deliveries" where "status"|^select "id", "tenant_id", "type" from "outbox" where "fanned_out_at" is null|^select "tenant_id", "id" from "broadcasts_campaigns"|^UPDATE "agenda_jobs" SET locked_at|^update "plugin_jobs" set "status"|^ UPDATE plugin_jobs j SET status = 'running'|^select min\("run_at"\) as "next" from "plugin_jobs"/;
const own = (queries: string[]) => queries.filter((q) => !IDLE_POLL.test(q));

function list(title: string, queries: string[]): void {
  const counts = new Map<string, number>();
  for (const q of queries) counts.set(q, (counts.get(q) ?? 0) + 1);
  console.log(`${title}: ${queries.length} queries`);
  for (const [q, n] of counts) console.log(`  ${String(n).padStart(2)} × ${q}`);
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
    // The reply's own claim and outcome are the dispatcher's part of the turn; its empty claims and other pollers are left out.
    const claims = turn.filter((q) => /^ ?UPDATE messages m SET status = 'sending'/.test(q)).length;
    list(`one turn (a button press → one reply; ${claims} claims of the message dispatcher and other idle polls left out)`, own(turn));

    // One desk booking over HTTP: the request's own queries, then the background work its events set off.
    const base = `http://127.0.0.1:${(app.http.server.address() as { port: number }).port}`;
    const call = async (method: string, p: string, token?: string, body?: unknown) => {
      const res = await fetch(base + p, { method, headers: { 'x-tenant': 'demo', ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body ? { 'content-type': 'application/json' } : {}) }, body: body ? JSON.stringify(body) : undefined });
      return { status: res.status, body: (await res.json()) as any };
    };
    const { token } = (await call('POST', '/api/v1/auth/login', undefined, { email: 'queries@bookflow.local', password: 'bench-password-1' })).body;
    const service = (await call('GET', '/api/v1/booking/services', token)).body.items[0];
    const slot = (await call('GET', `/api/v1/booking/slots?serviceId=${service.id}`, token)).body.items.at(-1);
    tap.start();
    const booked = await call('POST', '/api/v1/bookings', token, { serviceId: service.id, start: slot.start, resourceIds: slot.resourceIds, client: { name: 'Queries', phone: '+79160000042' }, source: 'phone' });
    const request = own(tap.stop());
    if (booked.status !== 201) throw new Error(`booking: ${booked.status} ${JSON.stringify(booked.body)}`);
    tap.start();
    await new Promise((r) => setTimeout(r, 2000));
    const after = own(tap.stop());
    list('one desk booking (POST /api/v1/bookings), the request (idle polls left out)', request);
    list('its events\' handlers in the next 2 s (idle polls left out)', after);
  } finally {
    tap.restore();
    await close();
    await db.stop();
  }
}

if (process.argv[1] && import.meta.filename === process.argv[1]) await run();
