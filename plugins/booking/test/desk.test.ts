/**
 * The desk's server side: a cancellation taken back from the card within the undo window or from the trash
 * (its time occupied again through the exclusion constraint, or refused when taken meanwhile), with history
 * and events; and the journal's live stream, fed by booking events over LISTEN, per business, on every instance.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../test/helpers/app.js';
import { makeSalon, nextMonday, type Salon } from './salon.js';

let t: TestApp;
let other: TestApp;
let s: Salon;
const day = nextMonday();
// Moscow: UTC+3 all year.
const at = (hh: number, mm = 0) => new Date(`${day}T${String(hh - 3).padStart(2, '0')}:${String(mm).padStart(2, '0')}:00.000Z`).toISOString();

/** Reads a journal stream's events as they come; `events` grows while the stream is open. */
async function openStream(app: TestApp, salon: Salon) {
  const aborter = new AbortController();
  const res = await fetch(`${app.url}/api/v1/booking/journal/live`, { headers: { authorization: `Bearer ${salon.token}`, 'x-tenant': salon.tenant, accept: 'text/event-stream' }, signal: aborter.signal });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe('text/event-stream');
  const events: string[] = [];
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  void (async () => {
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }));
      if (done) return;
      buffer += value;
      for (let i = buffer.indexOf('\n\n'); i >= 0; i = buffer.indexOf('\n\n')) {
        const name = /^event: (.+)$/m.exec(buffer.slice(0, i))?.[1];
        if (name) events.push(name);
        buffer = buffer.slice(i + 2);
      }
    }
  })();
  await expect.poll(() => events).toEqual(['ready']);
  return { events, close: () => aborter.abort() };
}

describe('the desk: undoing a cancellation, live journal', () => {
  beforeAll(async () => {
    t = await startTestApp({ plugins: ['booking'] });
    s = await makeSalon(t, { staffCount: 1 });
    // A second instance of the app on the same database, as behind a load balancer.
    other = await startTestApp({ plugins: ['booking'], databaseUrl: t.databaseUrl, seedDemo: false });
  }, 120_000);
  afterAll(async () => {
    await other?.close();
    await t?.close();
  });

  const book = async (hh: number, name: string, phone: string) => {
    const made = await s.api('POST', '/api/v1/bookings', { serviceId: s.serviceId, start: at(hh), resourceIds: [s.staff[0], s.roomId], client: { name, phone }, source: 'phone' });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    return made.body as { id: string; status: string };
  };
  const cancel = async (id: string, reason: string) => expect((await s.api('PATCH', `/api/v1/bookings/${id}`, { status: 'cancelled', cancelReason: reason })).body).toMatchObject({ status: 'cancelled', cancelReason: reason });

  it('undoes a cancellation from the card: the old status, the time held again, history and events', async () => {
    const b = await book(11, 'Анна Отмена', '+79160000001');
    await cancel(b.id, 'Перепутала день');
    const restored = await s.api('POST', `/api/v1/bookings/${b.id}/restore`, {});
    expect(restored.status, JSON.stringify(restored.body)).toBe(200);
    expect(restored.body).toMatchObject({ id: b.id, status: 'confirmed', cancelReason: null, start: at(11) });
    // The time is occupied again: nobody else gets it.
    const taken = await s.api('POST', '/api/v1/bookings', { serviceId: s.serviceId, start: at(11), resourceIds: [s.staff[0], s.roomId], client: { name: 'Другой', phone: '+79160000002' } });
    expect(taken.body.code).toBe('BF_ERR_SLOT_TAKEN');
    const history = (await s.api('GET', `/api/v1/bookings/${b.id}/history`)).body.items;
    expect(history.map((h: { action: string }) => h.action)).toEqual(['created', 'cancelled', 'restored']);
    expect(history[2]).toMatchObject({ actor: { kind: 'user', email: t.owner.email }, before: { status: 'cancelled', cancelReason: 'Перепутала день' }, after: { status: 'confirmed', cancelReason: null } });
    const events = await t.app.db.db.selectFrom('outbox').select(['type', 'payload']).where('tenant_id', '=', s.tenantId).where('type', 'in', ['booking.restored', 'booking.status-changed']).orderBy('id').execute();
    expect(events.filter((e) => (e.payload as { bookingId: string }).bookingId === b.id).map((e) => [e.type, (e.payload as { to?: string; status?: string; from: unknown }).from])).toEqual([
      ['booking.status-changed', 'confirmed'], ['booking.restored', 'undo'], ['booking.status-changed', 'cancelled'],
    ]);
    // Not cancelled any more: nothing to undo.
    expect((await s.api('POST', `/api/v1/bookings/${b.id}/restore`, {})).body).toMatchObject({ code: 'BF_ERR_BOOKING_BAD_TRANSITION' });
  });

  it('refuses to restore a booking whose time was taken meanwhile, and it stays cancelled', async () => {
    const b = await book(12, 'Борис Поздний', '+79160000003');
    await cancel(b.id, 'Заболел');
    const newcomer = await book(12, 'Вера Быстрая', '+79160000004');
    const refused = await s.api('POST', `/api/v1/bookings/${b.id}/restore`, {});
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ code: 'BF_ERR_SLOT_TAKEN' });
    expect((await s.api('GET', `/api/v1/bookings/${b.id}`)).body).toMatchObject({ status: 'cancelled', cancelReason: 'Заболел' });
    expect((await s.api('GET', `/api/v1/bookings/${newcomer.id}`)).body.status).toBe('confirmed');
  });

  it('after the undo window only the trash restores', async () => {
    const b = await book(16, 'Галина Корзина', '+79160000005');
    await cancel(b.id, 'Передумала');
    t.clock.advance(16 * 60_000);
    const late = await s.api('POST', `/api/v1/bookings/${b.id}/restore`, { from: 'undo' });
    expect(late.status).toBe(409);
    expect(late.body).toMatchObject({ code: 'BF_ERR_BOOKING_UNDO_EXPIRED', details: { minutes: 15 } });
    const fromTrash = await s.api('POST', `/api/v1/bookings/${b.id}/restore`, { from: 'trash' });
    expect(fromTrash.body).toMatchObject({ status: 'confirmed' });
    expect((await s.api('POST', `/api/v1/bookings/${b.id}/restore`, { from: 'elsewhere' })).body).toMatchObject({ code: 'BF_ERR_VALIDATION_FAILED' });
  });

  it('draws the two-week staff sheet: hours by day, a vacation as a day off, in the business\'s zone', async () => {
    const wed = new Date(Date.parse(`${day}T00:00:00Z`) + 2 * 86_400_000).toISOString().slice(0, 10);
    const thu = new Date(Date.parse(`${day}T00:00:00Z`) + 3 * 86_400_000).toISOString().slice(0, 10);
    // Moscow's midnight of Wednesday to Thursday's.
    const vacation = await s.api('POST', '/api/v1/booking/exceptions', { resourceId: s.staff[0], kind: 'vacation', start: `${wed}T00:00:00+03:00`, end: `${thu}T00:00:00+03:00`, reason: 'Отпуск' });
    expect(vacation.status, JSON.stringify(vacation.body)).toBe(201);
    const sheet = (await s.api('GET', `/api/v1/booking/journal/sheet?date=${day}`)).body;
    expect(sheet.days).toHaveLength(14);
    expect(sheet.days[0]).toBe(day);
    expect(sheet.rows.map((r: { name: string; departmentName: string }) => [r.name, r.departmentName])).toEqual([['Мастер 1', 'Массаж']]);
    const [row] = sheet.rows;
    expect(row.days[0]).toEqual({ date: day, hours: ['10:00–14:00', '15:00–19:00'], absence: null });
    expect(row.days[2]).toEqual({ date: wed, hours: [], absence: 'vacation' });
    expect(row.days[3].hours).toEqual(['10:00–14:00', '15:00–19:00']);
    expect((await s.api('GET', `/api/v1/booking/journal/sheet?days=40`)).body).toMatchObject({ code: 'BF_ERR_VALIDATION_FAILED' });
  });

  it('streams a change to every instance\'s open journals of the business, and only of that business', async () => {
    const elsewhere = await makeSalon(t, { staffCount: 1 });
    // Not asked as a stream: refused at once rather than left hanging.
    const plain = await t.api('GET', '/api/v1/booking/journal/live', { token: s.token, tenant: s.tenant });
    expect(plain.status).toBe(406);
    expect(plain.body.code).toBe('BF_ERR_BOOKING_STREAM_ONLY');
    const here = await openStream(t, s);
    const there = await openStream(other, s);
    const stranger = await openStream(other, elsewhere);
    try {
      const b = await book(17, 'Дина Живая', '+79160000006');
      await expect.poll(() => there.events).toContain('change');
      await expect.poll(() => here.events).toContain('change');
      const moved = await s.api('PATCH', `/api/v1/bookings/${b.id}`, { start: at(18) });
      expect(moved.status, JSON.stringify(moved.body)).toBe(200);
      await expect.poll(() => there.events.filter((e) => e === 'change').length).toBeGreaterThanOrEqual(2);
      // The other business's stream heard nothing until its own booking: its first change is that one.
      const own = await elsewhere.api('POST', '/api/v1/bookings', { serviceId: elsewhere.serviceId, start: at(11), resourceIds: [elsewhere.staff[0], elsewhere.roomId], client: { name: 'Чужой', phone: '+79160000007' } });
      expect(own.status).toBe(201);
      await expect.poll(() => stranger.events).toEqual(['ready', 'change']);
    } finally {
      here.close();
      there.close();
      stranger.close();
    }
  });
});
