/**
 * The message dispatcher: 1,000 messages to 1,000 Telegram chats of one bot through the Bot API stand-in, which
 * enforces Telegram's flood limits (more than 30 a second from one bot is answered 429). With one app instance,
 * then with two on one database. Prints the sustained rate (first to last accepted send; the goal is ≥ 28/s, 93%
 * of the limit, i.e. a ratio ≥ 0.93 to the stand-in's 30/s measured in the same run), the 429s the stand-in
 * answered, and the messages lost, sent twice or failed (all must be 0).
 */
import crypto from 'node:crypto';
import { benchDatabase } from './lib/support.js';
import { startBotInstances } from './lib/bot-bench.js';
import { ratio } from './lib/ratios.js';

const MESSAGES = 1000;
const LIMIT = 30;

async function round(databaseUrl: string, instances: number, token: string, secretKey: string): Promise<void> {
  const { standin, apps, tenantId, botId, close } = await startBotInstances(databaseUrl, { instances, token, secretKey, owner: 'dispatch@bookflow.local' });
  try {
    const [app] = apps;
    const db = app.db.db;
    const run = crypto.randomUUID().slice(0, 8);
    const contacts = await db.insertInto('contacts').values(Array.from({ length: MESSAGES }, (_, i) => ({ tenant_id: tenantId, name: `Client ${i}` }))).returning('id').execute();
    await db.insertInto('contact_identities').values(contacts.map((c, i) => ({ tenant_id: tenantId, contact_id: c.id, kind: 'telegram', value: String(7_000_000 + i), bot_id: botId, verified: true }))).execute();
    for (const a of apps) await a.start();
    const ctx = app.host.get('example').ctx;
    await db.transaction().execute(async (trx) => {
      for (let i = 0; i < MESSAGES; i++) await ctx.messages.send(trx, { tenantId, to: { contactId: contacts[i].id }, message: { text: `${run}#${i}` }, purpose: 'transactional', idempotencyKey: `${run}#${i}` });
    });
    const deadline = Date.now() + 120_000;
    for (;;) {
      const open = await db.selectFrom('messages').select((eb) => eb.fn.countAll<string>().as('n')).where('idempotency_key', 'like', `${run}#%`).where('status', 'in', ['queued', 'sending']).executeTakeFirstOrThrow();
      if (Number(open.n) === 0 || Date.now() > deadline) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    const rows = await db.selectFrom('messages').select('status').where('idempotency_key', 'like', `${run}#%`).execute();
    const accepted = standin.calls.filter((c) => c.method === 'sendMessage' && c.status === 200);
    const texts = new Set(accepted.map((c) => c.payload.text));
    const seconds = (accepted.at(-1)!.at - accepted[0].at) / 1000;
    const rate = (accepted.length - 1) / seconds;
    console.log([
      `${instances} instance${instances > 1 ? 's' : ' '}:`,
      `${accepted.length} sent in ${seconds.toFixed(1)} s → ${rate.toFixed(1)} msg/s sustained (ratio to the ${LIMIT}/s limit ${(rate / LIMIT).toFixed(3)}, goal ≥ 0.933),`,
      `429s answered by the stand-in ${standin.floodRefusals},`,
      `failed ${rows.filter((r) => r.status === 'failed').length}, lost ${MESSAGES - texts.size}, twice ${accepted.length - texts.size}, not sent ${rows.filter((r) => r.status !== 'sent').length}`,
    ].join(' '));
    ratio({ bench: 'dispatcher', measure: `send rate, ${instances} instance${instances > 1 ? 's' : ''}`, value: rate, reference: LIMIT, unit: 'msg/s', goal: { min: 0.933 } });
  } finally {
    await close();
  }
}

export default async function run(): Promise<void> {
  const db = await benchDatabase('bench_dispatcher');
  try {
    console.log(`dispatcher: ${MESSAGES} messages to ${MESSAGES} chats of one bot, Bot API stand-in enforcing ${LIMIT}/s per bot`);
    // one key for both rounds: the second starts the first one's bot too
    const secretKey = crypto.randomBytes(32).toString('hex');
    await round(db.url, 1, '900006:dispatch-token-ddddddddddddddddddd', secretKey);
    await round(db.url, 2, '900007:dispatch-token-eeeeeeeeeeeeeeeeeee', secretKey);
  } finally {
    await db.stop();
  }
}
