import { sql } from 'kysely';
import { DateTime } from 'luxon';
import type { PluginContext, Tx } from '../../../plugin-sdk.js';
import { loadSlotContext } from '../lib/availability.js';
import { bookingConfig } from '../lib/config.js';
import { createBookingIn } from '../lib/bookings.js';
import { computeSlots } from '../slots/engine.js';
import { DEPARTMENTS, ROOMS, SERVICES, STAFF } from './catalog.js';
import { seedVisits } from './visits.js';

const DEMO_CLIENTS = [
  { name: 'Анна Ковалёва', phone: '+79161234501' },
  { name: 'Екатерина Иванова', phone: '+79161234502' },
  { name: 'Мария Петренко', phone: '+380671234503' },
  { name: 'Ольга Сидорова', phone: '+79161234504' },
  { name: 'Дарья Михайлова', phone: '+79161234505' },
  { name: 'Алексей Григорьев', phone: '+79161234506' },
];

/** The demo salon & spa: departments, staff with weekly schedules, rooms, a device, services, some bookings in the coming days and past visits. */
export async function seedDemo(ctx: PluginContext, trx: Tx, tenantId: string): Promise<void> {
  const ids = new Map<string, string>();
  for (const [i, d] of DEPARTMENTS.entries()) {
    const row = await trx.insertInto('booking_departments').values({ tenant_id: tenantId, name: d.name, description: d.description, sort: i }).returning('id').executeTakeFirstOrThrow();
    ids.set(`dep:${d.key}`, row.id);
  }
  for (const [i, s] of Object.values(STAFF).entries()) {
    const row = await trx.insertInto('booking_resources').values({ tenant_id: tenantId, department_id: ids.get(`dep:${s.department}`), kind: 'staff', name: s.name, title: s.title, color: s.color, sort: i }).returning('id').executeTakeFirstOrThrow();
    ids.set(s.key, row.id);
    const intervals = s.days.flatMap((weekday) => (s.breakAt ? [[s.from, s.breakAt], [s.breakAt + 60, s.to]] : [[s.from, s.to]]).map(([startMin, endMin]) => ({ tenant_id: tenantId, resource_id: row.id, weekday, start_min: startMin, end_min: endMin })));
    await trx.insertInto('booking_schedules').values(intervals).execute();
  }
  for (const [i, r] of ROOMS.entries()) {
    const row = await trx.insertInto('booking_resources').values({ tenant_id: tenantId, department_id: ids.get(`dep:${r.department}`), kind: r.kind, name: r.name, sort: i }).returning('id').executeTakeFirstOrThrow();
    ids.set(r.key, row.id);
  }
  for (const [i, s] of SERVICES.entries()) {
    const row = await trx.insertInto('booking_services').values({
      tenant_id: tenantId, department_id: ids.get(`dep:${s.department}`), name: s.name, description: s.description, kind: s.kind ?? 'regular', duration_min: s.durationMin, price: s.price,
      buffer_before_min: s.bufferBeforeMin ?? 0, buffer_after_min: s.bufferAfterMin ?? 0, capacity: s.capacity ?? 1, color: s.color, requires_contract: s.requiresContract ?? false, sort: i,
    }).returning('id').executeTakeFirstOrThrow();
    ids.set(`svc:${s.key}`, row.id);
    await trx.insertInto('booking_competencies').values(s.staff.map((x) => (typeof x === 'string' ? { key: x } : x)).map((x) => ({
      tenant_id: tenantId, service_id: row.id, resource_id: ids.get(x.key), price: 'price' in x ? x.price ?? null : null, duration_min: 'durationMin' in x ? x.durationMin ?? null : null,
    }))).execute();
    if (s.resources?.length) await trx.insertInto('booking_service_resources').values(s.resources.map((r) => ({ tenant_id: tenantId, service_id: row.id, resource_id: ids.get(r) }))).execute();
  }
  await seedBookings(ctx, trx, tenantId, ids);
  const clients = await Promise.all(DEMO_CLIENTS.map((c) => ctx.contacts.findByPhone(trx, tenantId, c.phone)));
  await seedVisits(ctx, trx, tenantId, ids, clients.flatMap((c) => (c ? [c.id] : [])), await bookingConfig(ctx, tenantId, trx));
}

/**
 * A few bookings over the next days so the calendar looks lived in; one that cannot be placed is skipped. Each is
 * among the first free times of its day, so the demo looks the same whatever the hour it is seeded at (and the
 * evenings stay free for the hot windows other plugins' demos open).
 */
async function seedBookings(ctx: PluginContext, trx: Tx, tenantId: string, ids: Map<string, string>): Promise<void> {
  const cfg = await bookingConfig(ctx, tenantId);
  const day = 86_400_000;
  const today = DateTime.fromJSDate(ctx.now(), { zone: (await ctx.business(tenantId, trx)).timezone }).startOf('day');
  const plan: Array<[string, number, number]> = [['fullMassage', 1, 2], ['backMassage', 1, 5], ['womenCut', 1, 1], ['manicure', 2, 0], ['facial', 2, 3], ['lpg', 2, 4], ['aqua', 3, 0], ['aqua', 3, 0], ['hammam', 3, 1], ['coloring', 4, 2], ['menCut', 5, 6], ['pedicure', 6, 1]];
  for (const [n, [service, dayOffset, pick]] of plan.entries()) {
    const from = today.plus({ days: dayOffset }).toMillis();
    const { input } = await loadSlotContext(ctx, trx, { tenantId, serviceId: ids.get(`svc:${service}`)!, from, to: from + day }, cfg);
    const slot = computeSlots(input)[pick];
    if (!slot) continue;
    await sql`SAVEPOINT demo_booking`.execute(trx);
    try {
      await createBookingIn(ctx, trx, {
        tenantId, serviceId: ids.get(`svc:${service}`)!, start: new Date(slot.start), resourceIds: slot.resourceIds, client: DEMO_CLIENTS[n % DEMO_CLIENTS.length],
        source: n % 3 === 0 ? 'phone' : 'chat', origin: { source: n % 3 === 0 ? 'desk' : 'flow', channel: n % 3 === 0 ? null : 'telegram' }, comment: n === 0 ? 'Просит массаж средней интенсивности' : '', actor: { kind: 'system', id: null },
      }, cfg);
    } catch (e) {
      await sql`ROLLBACK TO SAVEPOINT demo_booking`.execute(trx);
      ctx.log.warn({ err: e, service }, 'demo booking skipped');
    }
  }
}
