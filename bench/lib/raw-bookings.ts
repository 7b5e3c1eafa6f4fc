/**
 * The database's own pace for what a booking writes: the same rows straight into the same tables — the client's
 * contact, the booking, its resource under the exclusion constraint, history, audit and the outbox event with its
 * NOTIFY — one transaction per booking, over `connections` connections. bench/booking.ts divides by it.
 */
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { cpuMeter, type CpuSpent } from './cpu.js';

export interface RawBooking { serviceId: string; staffId: string; start: Date; end: Date; price: number }

export async function rawInsertRate(databaseUrl: string, tenantId: string, jobs: RawBooking[], connections: number): Promise<{ created: number; seconds: number; rate: number; cpu: CpuSpent }> {
  const db = new Kysely<any>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: databaseUrl, max: connections }) }) });
  try {
    let next = 0;
    let created = 0;
    const meter = cpuMeter(databaseUrl);
    const t0 = performance.now();
    await Promise.all(Array.from({ length: connections }, async () => {
      while (next < jobs.length) {
        const j = jobs[next++];
        const n = next;
        await db.transaction().execute(async (trx) => {
          const contact = await trx.insertInto('contacts').values({ tenant_id: tenantId, name: `Raw client ${n}` }).returning('id').executeTakeFirstOrThrow();
          const booking = await trx.insertInto('booking_bookings').values({ tenant_id: tenantId, service_id: j.serviceId, client_id: contact.id, start_at: j.start, end_at: j.end, status: 'confirmed', price: j.price, source: 'phone', origin: 'desk' }).returning('id').executeTakeFirstOrThrow();
          await trx.insertInto('booking_booking_resources').values({ tenant_id: tenantId, booking_id: booking.id, resource_id: j.staffId, busy: sql`tstzrange(${j.start}, ${j.end})`, session_key: booking.id }).execute();
          const view = JSON.stringify({ id: booking.id, serviceId: j.serviceId, start: j.start, end: j.end, resourceIds: [j.staffId], status: 'confirmed' });
          await trx.insertInto('booking_history').values({ tenant_id: tenantId, booking_id: booking.id, actor_id: null, actor_kind: 'user', action: 'created', before: null, after: view }).execute();
          await trx.insertInto('audit_log').values({ tenant_id: tenantId, actor_id: null, entity: 'booking', entity_id: booking.id, action: 'created', before: null, after: view }).execute();
          const event = await trx.insertInto('outbox').values({ tenant_id: tenantId, type: 'booking.created', payload: JSON.stringify({ bookingId: booking.id }) }).returning('id').executeTakeFirstOrThrow();
          await sql`SELECT pg_notify('bench_raw', ${String(event.id)})`.execute(trx);
        });
        created++;
      }
    }));
    const seconds = (performance.now() - t0) / 1000;
    return { created, seconds, rate: created / seconds, cpu: meter() };
  } finally {
    await db.destroy();
  }
}
