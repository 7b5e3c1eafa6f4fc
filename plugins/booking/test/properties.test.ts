import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../test/helpers/app.js';
import { makeSalon, nextMonday, type Salon } from './salon.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ plugins: ['booking'] });
});
afterAll(() => t?.close());

const day = nextMonday();
/** 10:00 Moscow = 07:00 UTC; starts every 15 minutes over the working day and a bit outside it. */
const startAt = (quarter: number) => new Date(Date.parse(`${day}T06:00:00.000Z`) + quarter * 15 * 60_000).toISOString();

type Command =
  | { kind: 'create'; quarter: number; staff: number | null; force: boolean }
  | { kind: 'reschedule'; target: number; quarter: number; force: boolean }
  | { kind: 'cancel'; target: number };

const command: fc.Arbitrary<Command> = fc.oneof(
  fc.record({ kind: fc.constant('create' as const), quarter: fc.integer({ min: 0, max: 48 }), staff: fc.option(fc.integer({ min: 0, max: 1 }), { nil: null }), force: fc.boolean() }),
  fc.record({ kind: fc.constant('reschedule' as const), target: fc.nat(), quarter: fc.integer({ min: 0, max: 48 }), force: fc.boolean() }),
  fc.record({ kind: fc.constant('cancel' as const), target: fc.nat() }),
);

async function overlapsInDatabase(tenantId: string): Promise<number> {
  const { rows } = await sql<{ n: string }>`
    SELECT count(*) AS n FROM booking_booking_resources a JOIN booking_booking_resources b
      ON a.tenant_id = b.tenant_id AND a.resource_id = b.resource_id AND a.booking_id < b.booking_id AND a.busy && b.busy AND a.session_key <> b.session_key
    WHERE a.tenant_id = ${tenantId} AND a.active AND b.active`.execute(t.app.db.db);
  return Number(rows[0].n);
}

describe('properties', () => {
  it('no sequence of creates, reschedules and cancels yields two overlapping bookings on a resource', async () => {
    await fc.assert(fc.asyncProperty(fc.array(command, { minLength: 5, maxLength: 25 }), fc.integer({ min: 0, max: 30 }), async (commands, buffer) => {
      const s: Salon = await makeSalon(t, { staffCount: 2, bufferAfter: buffer, config: { slotStepMinutes: 15 } });
      const ids: string[] = [];
      for (const c of commands) {
        let res;
        if (c.kind === 'create') {
          // Forced bookings skip the schedule checks, so only the database constraint stands between them.
          const resourceIds = c.staff === null ? undefined : c.force ? [s.staff[c.staff], s.roomId] : [s.staff[c.staff]];
          res = await s.api('POST', '/api/v1/bookings', { serviceId: s.serviceId, start: startAt(c.quarter), resourceIds: c.force && !resourceIds ? [s.staff[0], s.roomId] : resourceIds, force: c.force, client: { name: 'P', phone: `+7916${1000000 + ids.length}` } });
          if (res.status === 201) ids.push(res.body.id);
        } else if (ids.length && c.kind === 'reschedule') {
          res = await s.api('PATCH', `/api/v1/bookings/${ids[c.target % ids.length]}`, { start: startAt(c.quarter), force: c.force });
        } else if (ids.length && c.kind === 'cancel') {
          res = await s.api('PATCH', `/api/v1/bookings/${ids[c.target % ids.length]}`, { status: 'cancelled', cancelReason: 'p' });
        }
        if (res) expect(res.status, JSON.stringify(res.body)).toBeLessThan(500);
      }
      expect(await overlapsInDatabase(s.tenantId)).toBe(0);
    }), { numRuns: 25 });
  });

  it('every offered slot can be booked', async () => {
    await fc.assert(fc.asyncProperty(fc.array(fc.tuple(fc.nat(), fc.option(fc.integer({ min: 0, max: 2 }), { nil: null })), { minLength: 1, maxLength: 12 }), fc.integer({ min: 0, max: 20 }), async (picks, buffer) => {
      const s = await makeSalon(t, { staffCount: 3, bufferAfter: buffer, config: { slotStepMinutes: 15 } });
      for (const [i, [pick, staff]] of picks.entries()) {
        const resource = staff === null ? '' : `&resourceId=${s.staff[staff]}`;
        const slots = await t.api('GET', `/api/v1/public/${s.tenant}/slots?serviceId=${s.serviceId}&from=${day}T00:00:00Z&to=${day}T23:00:00Z${resource}`);
        if (!slots.body.length) continue;
        const slot = slots.body[pick % slots.body.length];
        const res = await t.api('POST', `/api/v1/public/${s.tenant}/bookings`, { body: { serviceId: s.serviceId, start: slot.start, resourceIds: slot.resourceIds, client: { name: 'P', phone: `+7917${1000000 + i}` } } }); // one phone each: a phone has at most 3 upcoming public bookings
        expect(res.status, JSON.stringify({ slot, body: res.body })).toBe(201);
        expect(res.body.resourceIds.sort()).toEqual([...slot.resourceIds].sort());
      }
      expect(await overlapsInDatabase(s.tenantId)).toBe(0);
    }), { numRuns: 25 });
  });
});
