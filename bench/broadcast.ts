/**
 * A campaign of the broadcasts plugin to 5,000 Telegram chats of one bot through the Bot API stand-in, which enforces
 * Telegram's flood limits (more than 30 a second from one bot is answered 429): with one app instance, then with two
 * on one database. Prints the sustained rate (first to last accepted send) as a ratio to the stand-in's 30/s measured
 * in the same run (goal ≥ 0.933), the 429s, chats that got nothing or the message twice (both must be 0), and the
 * longest time the campaign's progress (its sent count, as the studio polls it) stood still while sending (goal ≤ 2 s).
 */
import crypto from 'node:crypto';
import broadcasts from '../plugins/broadcasts/server.js';
import type { BroadcastsService } from '../plugins/broadcasts/contract.js';
import { counts } from '../plugins/broadcasts/lib/campaigns.js';
import { startBotInstances } from './lib/bot-bench.js';
import { ratio } from './lib/ratios.js';
import { benchDatabase } from './lib/support.js';

const CHATS = 5000;
const LIMIT = 30;

async function round(databaseUrl: string, instances: number, token: string, secretKey: string, firstChat: number): Promise<void> {
  const { standin, apps, tenantId, botId, close } = await startBotInstances(databaseUrl, { instances, token, secretKey, owner: 'broadcast@bookflow.local' });
  try {
    const [app] = apps;
    const db = app.db.db;
    const ctx = app.host.get('broadcasts').ctx;
    const tag = `bench-${instances}`;
    const consent = JSON.stringify({ marketing: { granted: true, at: new Date(0).toISOString(), source: 'bench' } });
    for (let i = 0; i < CHATS; i += 1000) {
      const contacts = await db.insertInto('contacts').values(Array.from({ length: 1000 }, (_, j) => ({ tenant_id: tenantId, name: `Client ${i + j}`, tags: [tag], consent }))).returning('id').execute();
      await db.insertInto('contact_identities').values(contacts.map((c, j) => ({ tenant_id: tenantId, contact_id: c.id, kind: 'telegram', value: String(firstChat + i + j), bot_id: botId, verified: true }))).execute();
    }
    const segment = await db.insertInto('segments').values({ tenant_id: tenantId, name: tag, rule: JSON.stringify({ field: 'tags', op: 'contains', value: tag }) }).returning('id').executeTakeFirstOrThrow();
    for (const a of apps) await a.start();
    const service = broadcasts.service!(ctx) as BroadcastsService;
    const text = `Bench offer ${crypto.randomUUID().slice(0, 8)}`;
    const { id } = await db.transaction().execute((trx) => service.send(trx, tenantId, { name: tag, segmentIds: [segment.id], message: { text }, origin: { plugin: 'bench', id: tag } }));
    let last = { sent: -1, at: Date.now() };
    let stillest = 0;
    const deadline = Date.now() + 600_000;
    for (;;) {
      const n = (await counts(db, tenantId, [id])).get(id);
      const campaign = await db.selectFrom('broadcasts_campaigns').select('status').where('id', '=', id).executeTakeFirstOrThrow();
      if (n && n.sent !== last.sent) {
        if (last.sent > 0) stillest = Math.max(stillest, Date.now() - last.at);
        last = { sent: n.sent, at: Date.now() };
      }
      if (campaign.status === 'finished' || Date.now() > deadline) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const accepted = standin.calls.filter((c) => c.method === 'sendMessage' && c.status === 200 && c.payload.text === text);
    const perChat = new Map<string, number>();
    for (const c of accepted) perChat.set(String(c.payload.chat_id), (perChat.get(String(c.payload.chat_id)) ?? 0) + 1);
    const seconds = (accepted.at(-1)!.at - accepted[0].at) / 1000;
    const rate = (accepted.length - 1) / seconds;
    console.log([
      `${instances} instance${instances > 1 ? 's' : ' '}:`,
      `${accepted.length} sent in ${seconds.toFixed(1)} s → ${rate.toFixed(1)} msg/s sustained (ratio to the ${LIMIT}/s limit ${(rate / LIMIT).toFixed(3)}, goal ≥ 0.933),`,
      `429s ${standin.floodRefusals}, lost ${CHATS - perChat.size}, twice ${[...perChat.values()].filter((v) => v > 1).length},`,
      `progress still at most ${(stillest / 1000).toFixed(1)} s (goal ≤ 2)`,
    ].join(' '));
    ratio({ bench: 'broadcast', measure: `campaign send rate, ${instances} instance${instances > 1 ? 's' : ''}`, value: rate, reference: LIMIT, unit: 'msg/s', goal: { min: 0.933 } });
  } finally {
    await close();
  }
}

export default async function run(): Promise<void> {
  const db = await benchDatabase('bench_broadcast');
  try {
    console.log(`broadcast: a campaign to ${CHATS} chats of one bot, Bot API stand-in enforcing ${LIMIT}/s per bot`);
    const secretKey = crypto.randomBytes(32).toString('hex');
    await round(db.url, 1, '900008:broadcast-token-fffffffffffffffffff', secretKey, 10_000_000);
    await round(db.url, 2, '900009:broadcast-token-ggggggggggggggggggg', secretKey, 20_000_000);
  } finally {
    await db.stop();
  }
}
