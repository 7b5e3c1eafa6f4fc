/**
 * Booking bench: a business with 50 staff × 30 services and 5,000 bookings over the next 14 days.
 * Prints slot-query p50/p99 in-process (the full findSlots call: its queries on the real database plus
 * the engine; and the engine alone), then bookings per second over HTTP (POST /api/v1/bookings, 16 clients).
 * Run by `npm run bench booking` (bench/run.ts sets BENCH_DATABASE_URL to an empty database).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DateTime } from 'luxon';
import { sql } from 'kysely';
import { pino } from 'pino';
import { createApp } from '../core/app.js';
import { loadConfig } from '../core/config.js';
import { startEmbeddedPostgres } from '../core/db/embedded.js';
import { ensureDatabase } from '../core/db/provision.js';
import { ensureOwner } from '../core/seed/bootstrap.js';
import { findSlots, loadSlotContext } from '../plugins/booking/lib/availability.js';
import { computeSlots } from '../plugins/booking/slots/engine.js';
import type { BookingConfig } from '../plugins/booking/lib/config.js';
import { cpuMeter, perOne } from './lib/cpu.js';
import { jsonClient } from './lib/http-client.js';
import { rawInsertRate } from './lib/raw-bookings.js';
import { ratio } from './lib/ratios.js';

const STAFF = 50;
const SERVICES = 30;
const BOOKINGS = 5_000;
const DAYS = 14;
const TZ = 'Europe/Moscow';
const QUERIES = 400;

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
const fmt = (ms: number) => `${ms.toFixed(2)} ms`;

async function database(): Promise<{ url: string; stop(): Promise<void> }> {
  if (process.env.BENCH_DATABASE_URL) return { url: process.env.BENCH_DATABASE_URL, stop: async () => {} };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bookflow-bench-booking-'));
  fs.chmodSync(dir, 0o755);
  const server = await startEmbeddedPostgres({ dataDir: dir });
  return { url: await ensureDatabase(server.url, 'bench_booking'), stop: async () => { await server.stop(); fs.rmSync(dir, { recursive: true, force: true }); } };
}

export default async function run(): Promise<void> {
  const pg = await database();
  const app = await createApp({ config: { ...loadConfig({}), dataDir: os.tmpdir(), secretKey: crypto.randomBytes(32).toString('hex') }, databaseUrl: pg.url, logger: pino({ level: 'silent' }) });
  let closed = false;
  try {
    const { db } = app.db;
    const owner = await ensureOwner(db, 'bench@bookflow.local', 'bench-password-1');
    const tenant = await db.insertInto('tenants').values({ slug: 'bench', name: 'Bench spa', timezone: TZ }).returning('id').executeTakeFirstOrThrow();
    const tenantId = tenant.id as string;
    await db.insertInto('memberships').values({ tenant_id: tenantId, user_id: owner.userId, role: 'owner' }).execute();
    const config = { minNoticeMinutes: 0, slotStepMinutes: 15, horizonDays: 120, publicRateLimitPerMinute: 100000 };
    await db.insertInto('tenant_plugins').values({ tenant_id: tenantId, plugin_id: 'booking', enabled: true, config: JSON.stringify(config) }).execute();

    // Catalog: 50 staff working 09:00–21:00 every day, 30 services; each service done by 10 staff, every third needs one of 5 rooms.
    const dep = await db.insertInto('booking_departments').values({ tenant_id: tenantId, name: 'Bench' }).returning('id').executeTakeFirstOrThrow();
    const staff = await db.insertInto('booking_resources').values(Array.from({ length: STAFF }, (_, i) => ({ tenant_id: tenantId, department_id: dep.id, kind: 'staff', name: `Staff ${i}`, sort: i }))).returning('id').execute();
    const rooms = await db.insertInto('booking_resources').values(Array.from({ length: 5 }, (_, i) => ({ tenant_id: tenantId, department_id: dep.id, kind: 'room', name: `Room ${i}` }))).returning('id').execute();
    await db.insertInto('booking_schedules').values(staff.flatMap((s) => [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ tenant_id: tenantId, resource_id: s.id, weekday, start_min: 540, end_min: 1260 })))).execute();
    const services = await db.insertInto('booking_services').values(Array.from({ length: SERVICES }, (_, i) => ({
      tenant_id: tenantId, department_id: dep.id, name: `Service ${i}`, duration_min: [30, 45, 60, 90][i % 4], price: 1000 + i * 100, buffer_after_min: i % 2 ? 10 : 0,
    }))).returning(['id', 'duration_min']).execute();
    const competent = (si: number) => Array.from({ length: 10 }, (_, k) => staff[(si * 7 + k * 5) % STAFF].id);
    await db.insertInto('booking_competencies').values(services.flatMap((s, si) => [...new Set(competent(si))].map((resource_id) => ({ tenant_id: tenantId, service_id: s.id, resource_id })))).execute();
    const roomServices = services.filter((_, si) => si % 3 === 0);
    await db.insertInto('booking_service_resources').values(roomServices.flatMap((s) => rooms.map((r) => ({ tenant_id: tenantId, service_id: s.id, resource_id: r.id })))).execute();

    // 5,000 one-hour bookings over the next 14 days, hour by hour per staff member, written directly.
    const client = await db.insertInto('contacts').values({ tenant_id: tenantId, name: 'Bench client' }).returning('id').executeTakeFirstOrThrow();
    const today = DateTime.now().setZone(TZ).startOf('day').plus({ days: 1 });
    const rows: Array<{ staff: string; start: Date; end: Date }> = [];
    for (let n = 0; rows.length < BOOKINGS; n++) {
      const s = n % STAFF;
      const slot = Math.floor(n / STAFF);
      const day = slot % DAYS;
      const hour = 9 + Math.floor(slot / DAYS);
      const start = today.plus({ days: day }).set({ hour });
      rows.push({ staff: staff[s].id, start: start.toJSDate(), end: start.plus({ hours: 1 }).toJSDate() });
    }
    for (let i = 0; i < rows.length; i += 1000) {
      const chunk = rows.slice(i, i + 1000);
      const booked = await db.insertInto('booking_bookings').values(chunk.map((r) => ({ tenant_id: tenantId, service_id: services[0].id, client_id: client.id, start_at: r.start, end_at: r.end, status: 'confirmed', price: 1000, source: 'admin', origin: 'desk' })))
        .returning('id').execute();
      await db.insertInto('booking_booking_resources').values(chunk.map((r, k) => ({ tenant_id: tenantId, booking_id: booked[k].id, resource_id: r.staff, busy: sql`tstzrange(${r.start}, ${r.end})`, session_key: booked[k].id }))).execute();
    }
    await sql`ANALYZE`.execute(db);

    const ctx = app.host.get('booking').ctx;
    const cfg = await ctx.config<BookingConfig>(tenantId);
    const from = Date.now();
    const to = from + DAYS * 86_400_000;
    const query = (i: number) => ({ tenantId, serviceId: services[i % SERVICES].id, from, to, resourceIds: i % 4 === 3 ? [competent(i % SERVICES)[0]] : undefined });
    for (let i = 0; i < 20; i++) await findSlots(ctx, query(i), cfg); // warm-up
    const full: number[] = [];
    let offered = 0;
    for (let i = 0; i < QUERIES; i++) {
      const t0 = performance.now();
      offered += (await findSlots(ctx, query(i), cfg)).slots.length;
      full.push(performance.now() - t0);
    }
    const engine: number[] = [];
    const contexts = await Promise.all(Array.from({ length: SERVICES }, (_, i) => loadSlotContext(ctx, ctx.db, query(i), cfg)));
    for (let i = 0; i < QUERIES; i++) {
      const t0 = performance.now();
      computeSlots(contexts[i % SERVICES].input);
      engine.push(performance.now() - t0);
    }
    full.sort((a, b) => a - b);
    engine.sort((a, b) => a - b);
    console.log(`business: ${STAFF} staff, ${SERVICES} services, ${rows.length} bookings over ${DAYS} days; slot step ${cfg.slotStepMinutes} min; ${QUERIES} queries of 14 days (every 4th for one specialist), ${Math.round(offered / QUERIES)} slots each on average`);
    console.log(`slot query in-process (findSlots: database reads + engine): p50 ${fmt(percentile(full, 50))}, p99 ${fmt(percentile(full, 99))}, max ${fmt(full[full.length - 1])}  (goal p99 < 20 ms)`);
    console.log(`slot engine alone (computeSlots, data in memory):        p50 ${fmt(percentile(engine, 50))}, p99 ${fmt(percentile(engine, 99))}`);
    ratio({ bench: 'booking', measure: 'slot query p99 / engine alone p99', value: percentile(full, 99), reference: percentile(engine, 99), unit: 'ms', goal: { max: 5 } });

    // Bookings per second over HTTP: free hours beyond the busy fortnight, one (staff, hour) each, 16 clients at once.
    await app.start();
    await app.http.listen({ port: 0, host: '127.0.0.1' });
    const address = app.http.server.address();
    const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    const api = jsonClient(base, 16);
    const login = (await api.post('/api/v1/auth/login', { email: 'bench@bookflow.local', password: 'bench-password-1' })).body as { token: string };
    const auth = { authorization: `Bearer ${login.token}`, 'x-tenant': 'bench' };
    const plainServices = services.map((s, si) => ({ ...s, si })).filter((s) => s.si % 3 !== 0 && s.duration_min <= 60);
    const jobs: Array<{ serviceId: string; staffId: string; start: string }> = [];
    // The raw-insert reference gets hours of its own, on the days after the ones booked over HTTP.
    const jobsFrom = (firstDay: number) => {
      const list: Array<{ serviceId: string; staffId: string; start: string }> = [];
      for (let d = firstDay; list.length < 1000; d++) {
        for (const svc of plainServices) {
          for (const staffId of [...new Set(competent(svc.si))]) {
            for (let h = 9; h < 20; h += 2) {
              const start = today.plus({ days: d }).set({ hour: h }).toUTC().toISO()!;
              if (list.some((j) => j.staffId === staffId && j.start === start)) continue;
              list.push({ serviceId: svc.id, staffId, start });
              if (list.length >= 1000) return list;
            }
          }
        }
      }
      return list;
    };
    for (let d = DAYS + 1; jobs.length < 1000; d++) {
      for (const svc of plainServices) {
        for (const staffId of [...new Set(competent(svc.si))]) {
          for (let h = 9; h < 20; h += 2) {
            if (jobs.some((j) => j.staffId === staffId && j.start === today.plus({ days: d }).set({ hour: h }).toUTC().toISO())) continue;
            jobs.push({ serviceId: svc.id, staffId, start: today.plus({ days: d }).set({ hour: h }).toUTC().toISO()! });
            if (jobs.length >= 1000) break;
          }
          if (jobs.length >= 1000) break;
        }
        if (jobs.length >= 1000) break;
      }
    }
    let created = 0;
    let conflicts = 0;
    let failed = 0;
    let next = 0;
    const meter = cpuMeter(pg.url);
    const t0 = performance.now();
    await Promise.all(Array.from({ length: 16 }, async () => {
      while (next < jobs.length) {
        const j = jobs[next++];
        const res = await api.post('/api/v1/bookings', { serviceId: j.serviceId, start: j.start, resourceIds: [j.staffId], client: { name: `Client ${next}`, phone: `+7916${String(1_000_000 + next)}` }, source: 'phone' }, auth);
        if (res.status === 201) created++;
        else if (res.status === 409) conflicts++;
        else failed++;
      }
    }));
    const seconds = (performance.now() - t0) / 1000;
    const spent = meter();
    console.log(`bookings over HTTP (POST /api/v1/bookings, 16 concurrent clients): ${created} created, ${conflicts} conflicts, ${failed} failed in ${seconds.toFixed(1)} s → ${(created / seconds).toFixed(0)} bookings/s`);
    // The 16 clients run in this process: node's figure includes them, and the app's event handlers meanwhile.
    console.log(`  CPU per booking: ${perOne(spent, created)}`);
    // 200 racing requests for one slot: exactly one may win.
    const race = jobsFrom(DAYS + 80)[0];
    const racers = jsonClient(base, 200);
    const answers = await Promise.all(Array.from({ length: 200 }, (_, i) => racers.post('/api/v1/bookings', {
      serviceId: race.serviceId, start: race.start, resourceIds: [race.staffId], client: { name: `Racer ${i}`, phone: `+7917${String(1_000_000 + i)}` }, source: 'phone',
    }, auth).then((r) => ({ status: r.status, code: r.status === 201 ? '' : String((r.body as { code?: string }).code) }))));
    racers.close();
    api.close();
    const wins = answers.filter((a) => a.status === 201).length;
    const codes = [...new Set(answers.filter((a) => a.status !== 201).map((a) => `${a.status} ${a.code}`))].join(', ');
    console.log(`200 racing requests for one slot: ${wins} × 201, ${answers.filter((a) => a.status === 409).length} × 409, ${answers.filter((a) => a.status !== 201 && a.status !== 409).length} other (${codes})`);
    if (wins !== 1) throw new Error(`${wins} bookings won one slot`);

    // The reference on a quiet machine: the app closed, so its event handlers do not work through its bookings meanwhile.
    await app.close();
    closed = true;
    const rawJobs = jobsFrom(DAYS + 40).map((j) => ({ serviceId: j.serviceId, staffId: j.staffId, start: new Date(j.start), end: new Date(new Date(j.start).getTime() + 3_600_000), price: 1000 }));
    const raw = await rawInsertRate(pg.url, tenantId, rawJobs, 16);
    console.log(`raw inserts of the same rows (contact, booking, resource under the exclusion constraint, history, audit, outbox + NOTIFY), 16 connections: ${raw.created} in ${raw.seconds.toFixed(1)} s → ${raw.rate.toFixed(0)}/s`);
    console.log(`  CPU per booking: ${perOne(raw.cpu, raw.created)}`);
    ratio({ bench: 'booking', measure: 'bookings/s over HTTP / raw inserts/s', value: created / seconds, reference: raw.rate, unit: '/s', goal: { min: 0.5 } });
  } finally {
    if (!closed) await app.close();
    await pg.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
