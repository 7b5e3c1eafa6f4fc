/**
 * Reminders: 100,000 reminder jobs of the notifications plugin scheduled over the next days, 2,000 of them due within
 * the same minute (real bookings of 2,000 clients with a Telegram chat). Prints, each as soon as it is measured: the
 * cost of scheduling one booking's reminders (scheduleReminders, one transaction each, 10,000 bookings) as a ratio
 * to 5 ms; the p99 lateness of handing a due reminder to the outbox as a ratio to the 2 s goal (≤ 1 passes); the
 * outbox's send rate to the Bot API stand-in (Telegram's flood limits) as a ratio to the 30 msg/s limit, with the
 * 429s the stand-in answered.
 *
 * Lateness is measured from data no retry rewrites: each reminder's original due time (the booking's start − 1 h, as
 * this bench set it) to the moment the plugin handed it to the outbox (its timeline line, written once on the app's
 * clock). A job's `run_at` moves on a retry and a message's `not_before` on a 429, so neither is used. A reminder
 * never handed within a minute of the last due time counts as infinitely late. Every due time is on the app's clock,
 * which the job runner reads (BOOKFLOW_FAKE_NOW may move it away from the real time).
 */
import crypto from 'node:crypto';
import os from 'node:os';
import { sql } from 'kysely';
import { pino } from 'pino';
import { createApp } from '../core/app.js';
import { loadConfig } from '../core/config.js';
import { ensureDemoTenant, ensureOwner } from '../core/seed/bootstrap.js';
import { BotApiStandIn } from '../test/helpers/bot-api-standin.js';
import { scheduleReminders } from '../plugins/notifications/lib/reminders.js';
import { notificationsConfig } from '../plugins/notifications/lib/config.js';
import { benchDatabase, percentile } from './lib/support.js';
import { ratio } from './lib/ratios.js';

const SCHEDULED = 100_000;
const DUE = 2_000;
const SCHEDULING = 10_000;
const GOAL_LATENESS_MS = 2_000;
const GOAL_SCHEDULE_MS = 5;
const LIMIT = 30;
const RATE_WINDOW = 300;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export default async function run(): Promise<void> {
  const pg = await benchDatabase('bench_reminders');
  const standin = await BotApiStandIn.start();
  const token = `123456:${'r'.repeat(30)}`;
  const app = await createApp({
    config: { ...loadConfig({}), dataDir: os.tmpdir(), secretKey: crypto.randomBytes(32).toString('hex'), telegramApiRoot: standin.url, publicUrl: 'https://bench.example.test' },
    databaseUrl: pg.url, plugins: ['notifications'], logger: pino({ level: 'silent' }),
  });
  const { clock } = app;
  try {
    const { db } = app.db;
    const owner = await ensureOwner(db, 'reminders@bookflow.local', 'bench-password-1');
    const { tenantId } = await ensureDemoTenant(db, app.host, owner.userId, 'Bench');
    const ctx = app.host.get('notifications').ctx;
    await db.insertInto('tenant_plugins').values({ tenant_id: tenantId, plugin_id: 'notifications', enabled: true, config: JSON.stringify({ quietHours: null }) })
      .onConflict((oc) => oc.columns(['tenant_id', 'plugin_id']).doUpdateSet({ enabled: true, config: JSON.stringify({ quietHours: null }) })).execute();
    const bot = await db.insertInto('bots').values({ tenant_id: tenantId, name: 'Bench', token_sealed: ctx.secrets.encrypt(token), webhook_secret: 'x'.repeat(48), enabled: true }).returning('id').executeTakeFirstOrThrow();
    const dep = await db.insertInto('booking_departments').values({ tenant_id: tenantId, name: 'Bench' }).returning('id').executeTakeFirstOrThrow();
    const service = await db.insertInto('booking_services').values({ tenant_id: tenantId, department_id: dep.id, name: 'Bench service', duration_min: 60, price: 1000 }).returning('id').executeTakeFirstOrThrow();
    const contacts = await db.insertInto('contacts').values(Array.from({ length: DUE }, (_, i) => ({ tenant_id: tenantId, name: `Client ${i}` }))).returning('id').execute();
    await db.insertInto('contact_identities').values(contacts.map((c, i) => ({ tenant_id: tenantId, contact_id: c.id, kind: 'telegram', value: String(8_000_000 + i), bot_id: bot.id, verified: true }))).execute();

    // Scheduling cost: one booking's reminders in one transaction, as the booking.created handler does.
    const cfg = await notificationsConfig(ctx, tenantId);
    const base = clock.nowMs() + 3 * DAY;
    const t0 = performance.now();
    for (let i = 0; i < SCHEDULING; i++) {
      await ctx.transaction((trx) => scheduleReminders(ctx, trx, tenantId, { id: crypto.randomUUID(), serviceId: service.id, start: new Date(base + i * 60_000).toISOString() }, cfg));
    }
    ratio({ bench: 'reminders', measure: "scheduling one booking's reminders", value: (performance.now() - t0) / SCHEDULING, reference: GOAL_SCHEDULE_MS, unit: 'ms', goal: { max: 1 } });

    // The rest of the 100,000: reminder jobs spread over the next days.
    const rest = SCHEDULED - SCHEDULING * cfg.reminderOffsetsMinutes.length - DUE;
    const tomorrow = new Date(clock.nowMs() + DAY);
    for (let i = 0; i < rest; i += 10_000) {
      const n = Math.min(10_000, rest - i);
      await sql`INSERT INTO plugin_jobs (tenant_id, plugin_id, name, key, data, run_at)
        SELECT ${tenantId}, 'notifications', 'remind', 'reminder:' || gen_random_uuid() || ':60', '{}'::jsonb, ${tomorrow}::timestamptz + (g * interval '7 seconds')
        FROM generate_series(1, ${n}) g`.execute(db);
    }

    await app.start();
    // 2,000 bookings an hour ahead whose 1 h reminders fall due within one minute, from 10 s on: written once the
    // runner is up, so a slow start is not counted as lateness.
    const firstDue = clock.nowMs() + 10_000;
    const bookings = await db.insertInto('booking_bookings').values(contacts.map((c, i) => {
      const start = new Date(firstDue + Math.floor((i * 60_000) / DUE) + HOUR);
      return { tenant_id: tenantId, service_id: service.id, client_id: c.id, start_at: start, end_at: new Date(start.getTime() + HOUR), status: 'confirmed', kind: 'regular', price: 1000, seats: 1, source: 'api', origin: 'public' };
    })).returning(['id', 'start_at']).execute();
    const dueAt = new Map(bookings.map((b) => [b.id, new Date(b.start_at).getTime() - HOUR]));
    await db.insertInto('plugin_jobs').values(bookings.map((b) => ({
      tenant_id: tenantId, plugin_id: 'notifications', name: 'remind', key: `reminder:${b.id}:60`, data: JSON.stringify({ bookingId: b.id, offset: 60, start: new Date(b.start_at).toISOString() }),
      run_at: new Date(dueAt.get(b.id)!),
    }))).execute();
    const { count } = await db.selectFrom('plugin_jobs').select((eb) => eb.fn.countAll<string>().as('count')).where('plugin_id', '=', 'notifications').where('status', '=', 'scheduled').executeTakeFirstOrThrow();
    console.log(`jobs scheduled: ${count} (notifications), due in one minute: ${DUE}`);

    // When each was handed to the outbox: its timeline line, on the app's clock. Waits up to a minute after the last due.
    const handedAt = new Map<string, number>();
    const giveUp = Math.max(...dueAt.values()) + 60_000;
    while (handedAt.size < DUE && clock.nowMs() < giveUp) {
      await sleep(500);
      const lines = await db.selectFrom('notifications_log').select(['booking_id', 'at']).where('tenant_id', '=', tenantId).where('kind', '=', 'reminder').execute();
      for (const l of lines) if (l.booking_id && dueAt.has(l.booking_id)) handedAt.set(l.booking_id, new Date(l.at).getTime());
    }
    const lateness = [...dueAt].map(([id, due]) => (handedAt.get(id) ?? Infinity) - due).sort((a, b) => a - b);
    const p99 = percentile(lateness, 99);
    console.log(`handed to the outbox: ${handedAt.size} of ${DUE}; never handed (counted as late): ${DUE - handedAt.size}`);
    console.log(`lateness to the outbox: p50 ${percentile(lateness, 50)} ms, p99 ${p99} ms, max ${lateness[lateness.length - 1]} ms`);
    ratio({ bench: 'reminders', measure: 'p99 lateness of a due reminder to the outbox', value: p99, reference: GOAL_LATENESS_MS, unit: 'ms', goal: { max: 1 } });

    // The outbox at the channel's limit: sends the stand-in accepted, over the first RATE_WINDOW after the first.
    const accepted = () => standin.calls.filter((c) => c.method === 'sendMessage' && c.status === 200);
    const rateDeadline = Date.now() + 60_000;
    while (accepted().length < RATE_WINDOW && Date.now() < rateDeadline) await sleep(250);
    const sends = accepted().map((c) => c.at).sort((a, b) => a - b).slice(0, RATE_WINDOW);
    const rate = sends.length > 1 ? (sends.length - 1) / ((sends[sends.length - 1] - sends[0]) / 1000) : NaN;
    const refused = standin.calls.filter((c) => c.status === 429).length;
    console.log(`outbox: ${sends.length} sends measured, ${refused} answered 429 by the stand-in (${standin.floodRefusals} of them its flood limits)`);
    ratio({ bench: 'reminders', measure: 'outbox send rate after the due minute', value: rate, reference: LIMIT, unit: 'msg/s', goal: { min: 0.9 } });
  } finally {
    await app.close();
    await standin.close();
    await pg.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
