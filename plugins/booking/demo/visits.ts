import { sql } from 'kysely';
import type { PluginContext, Tx } from '../../../plugin-sdk.js';
import { loadSlotContext } from '../lib/availability.js';
import type { BookingConfig } from '../lib/config.js';
import { computeSlots } from '../slots/engine.js';

const DAY = 86_400_000;
const MINUTE = 60_000;

/** [service key, days ago, which free slot of that weekday, status]: four weeks of visits, one cancelled a few hours ahead. */
const PAST: Array<[string, number, number, 'completed' | 'cancelled']> = [
  ['fullMassage', 26, 1, 'completed'], ['coloring', 25, 0, 'completed'], ['manicure', 23, 2, 'completed'], ['hammam', 22, 0, 'completed'],
  ['facial', 19, 1, 'completed'], ['backMassage', 18, 3, 'completed'], ['stone', 16, 0, 'completed'], ['womenCut', 15, 2, 'completed'],
  ['fullMassage', 12, 4, 'cancelled'], ['hammam', 11, 1, 'completed'], ['coloring', 9, 1, 'completed'], ['pedicure', 8, 0, 'completed'],
  ['fullMassage', 5, 2, 'completed'], ['facial', 4, 0, 'completed'], ['menCut', 3, 1, 'completed'], ['stone', 2, 1, 'completed'],
];

/**
 * Past visits of the demo clients, as history: written straight into booking's tables with no events, so nothing
 * is sent, accrued or asked about them when the demo is seeded. Each takes a free time of the same weekday a few
 * weeks on (the schedules are weekly) moved back; one overlapping another visit is skipped.
 */
export async function seedVisits(ctx: PluginContext, trx: Tx, tenantId: string, ids: Map<string, string>, clientIds: string[], cfg: BookingConfig): Promise<void> {
  if (!clientIds.length) return;
  const now = ctx.now().getTime();
  for (const [n, [service, daysAgo, pick, status]] of PAST.entries()) {
    const shift = 7 * Math.ceil((daysAgo + 1) / 7) * DAY;
    const from = now - daysAgo * DAY + shift;
    const sc = await loadSlotContext(ctx, trx, { tenantId, serviceId: ids.get(`svc:${service}`)!, from, to: from + DAY }, cfg);
    const slot = computeSlots(sc.input)[pick];
    if (!slot) continue;
    const start = new Date(slot.start - shift);
    const end = new Date(slot.end - shift);
    await sql`SAVEPOINT demo_visit`.execute(trx);
    try {
      const row = await trx.insertInto('booking_bookings').values({
        tenant_id: tenantId, service_id: ids.get(`svc:${service}`)!, client_id: clientIds[n % clientIds.length], start_at: start, end_at: end, status, kind: slot.kind, price: slot.price,
        source: n % 2 ? 'chat' : 'phone', origin: n % 2 ? 'flow' : 'desk', origin_channel: n % 2 ? 'telegram' : null, cancel_reason: status === 'cancelled' ? 'Клиентка заболела' : null,
        created_at: new Date(start.getTime() - 3 * DAY), updated_at: status === 'cancelled' ? new Date(start.getTime() - 5 * 60 * MINUTE) : end,
      }).returning('id').executeTakeFirstOrThrow();
      await trx.insertInto('booking_booking_resources').values(slot.resourceIds.map((resourceId) => ({
        tenant_id: tenantId, booking_id: row.id, resource_id: resourceId, session_key: row.id, active: status !== 'cancelled',
        busy: sql`tstzrange(${new Date(start.getTime() - sc.service.buffer_before_min * MINUTE)}, ${new Date(end.getTime() + sc.service.buffer_after_min * MINUTE)})`,
      }))).execute();
    } catch (e) {
      await sql`ROLLBACK TO SAVEPOINT demo_visit`.execute(trx);
      ctx.log.warn({ err: e, service }, 'demo visit skipped');
    }
  }
}
