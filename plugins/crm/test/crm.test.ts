import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { startNodeTurnKit, type NodeTurnKit } from '../../../test/helpers/node-turn.js';
import { fillPath, walkedRoutes } from '../../../test/helpers/routes.js';
import type { TestApp } from '../../../test/helpers/app.js';
import { makeSalon, nextMonday, type Salon } from '../../booking/test/salon.js';

let kit: NodeTurnKit;
let t: TestApp;
let s: Salon;
let specialist: string;
let manager: string;
const day = nextMonday();
const at = (hhmm: string) => `${day}T${hhmm}:00.000Z`;
const SECRET = 'CONFIDENTIAL-7f3a';

beforeAll(async () => {
  kit = await startNodeTurnKit({ plugins: ['crm'] });
  t = kit.t;
});
afterAll(() => kit?.close());

/** The business's "today" becomes the test Monday, 08:00 in Moscow; sign-ins come after the move (sessions expire by the clock). */
async function mondaySalon() {
  t.clock.set(`${day}T05:00:00.000Z`);
  s = await makeSalon(t, { staffCount: 3 });
  const spec = await t.addMember(s.token, `spec-${s.tenant}@test.local`, 'specialist', { tenant: s.tenant, name: 'Мастер' });
  expect((await s.api('PATCH', `/api/v1/booking/resources/${s.staff[0]}`, { userId: spec.userId })).status).toBe(200);
  specialist = spec.token;
  manager = (await t.addMember(s.token, `man-${s.tenant}@test.local`, 'manager', { tenant: s.tenant, name: 'Менеджер' })).token;
}

const as = (token: string, method: string, path: string, body?: unknown) => t.api(method, path, { token, tenant: s.tenant, body });
async function book(start: string, client: { name: string; phone: string } | { id: string }, resourceIds?: string[]) {
  const res = await s.api('POST', '/api/v1/bookings', { serviceId: s.serviceId, start, ...(resourceIds ? { resourceIds } : {}), client });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}
async function complete(id: string) {
  expect((await s.api('PATCH', `/api/v1/bookings/${id}`, { status: 'arrived' })).status).toBe(200);
  expect((await s.api('PATCH', `/api/v1/bookings/${id}`, { status: 'completed' })).status).toBe(200);
}
const marks = async (ids: string[]) => (await s.api('GET', `/api/v1/crm/marks?contactIds=${ids.join(',')}`)).body;

describe('the demo spa', () => {
  it('has guests with statuses, colours, interests, notes and a prescribed course, and the morning makes their tasks', async () => {
    const demo = (method: string, path: string, body?: unknown) => t.api(method, path, { token: kit.token, body });
    const anna = (await demo('GET', '/api/v1/contacts?q=%2B79161234501')).body.items[0];
    const card = (await demo('GET', `/api/v1/crm/cards/${anna.id}`)).body;
    expect(card).toMatchObject({ status: 'repeat', color: 'guest', locked: true, survey: { spa: 5 }, publicNote: expect.stringContaining('чай') });
    expect(card.confidentialNote).toContain('похудения');
    expect(card.prescriptions).toEqual([expect.objectContaining({ name: 'Бархатный сезон: уход за лицом', count: 5, intervalDays: 7 })]);
    const run = await demo('POST', '/api/v1/crm/tasks/run');
    expect(run.status, JSON.stringify(run.body)).toBe(200);
    const tasks = (await demo('GET', '/api/v1/tasks?limit=200')).body.items as Array<{ kind: string; pluginId: string; contactId: string; title: { ru: string } }>;
    const kinds = new Set(tasks.filter((x) => x.pluginId === 'crm').map((x) => x.kind));
    for (const kind of ['sleeping', 'birthday', 'course-due', 'course-promotion']) expect(kinds, kind).toContain(kind);
    expect(tasks.find((x) => x.kind === 'course-due')!.title.ru).toContain('процедуры 1 из 5');
    // Idempotent: a second run makes no second task.
    await demo('POST', '/api/v1/crm/tasks/run');
    expect((await demo('GET', '/api/v1/tasks?limit=200')).body.items.length).toBe(tasks.length);
  });
});

describe('the guest card', () => {
  beforeAll(mondaySalon);

  it('turns первичный into повторный on the second completed visit, in the register marks', async () => {
    const first = await book(at('07:00'), { name: 'Вера Статусная', phone: '+79160000101' });
    const clientId = first.client.id;
    expect((await marks([clientId])).items[0]).toMatchObject({ status: 'first', color: null, locked: false });
    await complete(first.id);
    await expect.poll(async () => (await s.api('GET', `/api/v1/crm/cards/${clientId}`)).body.visits).toBe(1);
    expect((await marks([clientId])).items[0].status).toBe('first');
    await complete((await book(at('09:00'), { id: clientId })).id);
    await expect.poll(async () => (await marks([clientId])).items[0].status).toBe('repeat');
    const event = await sql<{ payload: any }>`SELECT payload FROM outbox WHERE tenant_id = ${s.tenantId} AND type = 'crm.status-changed'`.execute(t.app.db.db);
    expect(event.rows.map((r) => r.payload)).toEqual([{ contactId: clientId, from: 'first', to: 'repeat' }]);
  });

  it('keeps colours, the earlier-date wish, privileges, interests and the contract; refuses bad input by field', async () => {
    const c = (await s.api('POST', '/api/v1/contacts', { name: 'Жёлтая Клиентка', phone: '+79160000102' })).body;
    const patched = await s.api('PATCH', `/api/v1/crm/cards/${c.id}`, {
      color: 'earlier', earlierThan: '2031-05-01', earlierComment: 'Перед отпуском', survey: { spa: 4, nail: 2 }, parking: true, bonusPercent: 5, privileges: ['Персональный шкафчик'], contractNumber: 'Д-17', contractDate: '2031-01-10',
    });
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);
    expect(patched.body).toMatchObject({ color: 'earlier', earlierThan: '2031-05-01', earlierComment: 'Перед отпуском', survey: { spa: 4, nail: 2 }, privileges: { parking: true, bonusPercent: 5, custom: ['Персональный шкафчик'] }, contractNumber: 'Д-17', contract: true });
    const badColor = await s.api('PATCH', `/api/v1/crm/cards/${c.id}`, { color: 'purple' });
    expect([badColor.status, badColor.body.code]).toEqual([400, 'BF_ERR_VALIDATION']);
    const badCategory = await s.api('PATCH', `/api/v1/crm/cards/${c.id}`, { survey: { astrology: 3 } });
    expect([badCategory.status, badCategory.body.code]).toEqual([400, 'BF_ERR_CRM_CATEGORY_UNKNOWN']);
    const unknown = await s.api('PATCH', '/api/v1/crm/cards/00000000-0000-4000-8000-000000000000', { color: 'guest' });
    expect([unknown.status, unknown.body.code]).toEqual([404, 'BF_ERR_CRM_CONTACT_NOT_FOUND']);
    const freed = await book(at('11:00'), { name: 'Уходящий', phone: '+79160000103' });
    expect((await s.api('PATCH', `/api/v1/bookings/${freed.id}`, { status: 'cancelled' })).status).toBe(200);
    await expect.poll(async () => (await s.api('GET', `/api/v1/tasks?contactId=${c.id}`)).body.items.map((x: { kind: string }) => x.kind)).toContain('earlier-time');
  });

  it('a closed lock: the desk books only the fixed specialist', async () => {
    const c = (await s.api('POST', '/api/v1/contacts', { name: 'Постоянная', phone: '+79160000104' })).body;
    expect((await s.api('PATCH', `/api/v1/crm/cards/${c.id}`, { fixedResourceId: s.staff[1], locked: true })).status).toBe(200);
    const other = await s.api('POST', '/api/v1/bookings', { serviceId: s.serviceId, start: at('12:00'), resourceIds: [s.staff[0]], client: { id: c.id } });
    expect([other.status, other.body.code]).toEqual([409, 'BF_ERR_CRM_SPECIALIST_LOCKED']);
    expect(other.body.message).toContain('Мастер 2');
    expect((await book(at('12:00'), { id: c.id }, [s.staff[1]])).resourceIds).toContain(s.staff[1]);
    expect((await marks([c.id])).items[0]).toMatchObject({ locked: true, fixedResourceId: s.staff[1] });
    const stranger = await s.api('PATCH', `/api/v1/crm/cards/${c.id}`, { fixedResourceId: '00000000-0000-4000-8000-000000000000' });
    expect([stranger.status, stranger.body.code]).toEqual([400, 'BF_ERR_CRM_RESOURCE_NOT_FOUND']);
  });

  it('a medical service without a contract is marked and listed in today\'s tasks', async () => {
    const med = (await s.api('POST', '/api/v1/booking/services', { departmentId: s.departmentId, name: 'Пилинг врача', durationMin: 30, price: 2000, requiresContract: true })).body;
    await s.api('PUT', `/api/v1/booking/services/${med.id}/staff`, { items: [{ resourceId: s.staff[2] }] });
    const b = await s.api('POST', '/api/v1/bookings', { serviceId: med.id, start: at('13:00'), client: { name: 'Без Договора', phone: '+79160000105' } });
    expect(b.status, JSON.stringify(b.body)).toBe(201);
    const m = await marks([b.body.client.id]);
    expect(m.contractServiceIds).toEqual([med.id]);
    expect(m.items[0].contract).toBe(false);
    const list = (await s.api('GET', '/api/v1/crm/contracts')).body;
    expect(list).toMatchObject({ date: day, items: [{ bookingId: b.body.id, name: 'Без Договора', serviceName: 'Пилинг врача' }] });
    await s.api('POST', '/api/v1/crm/tasks/run');
    const tasks = (await s.api('GET', `/api/v1/tasks?bookingId=${b.body.id}`)).body.items;
    expect(tasks).toEqual([expect.objectContaining({ kind: 'contract', title: expect.objectContaining({ ru: 'Подготовить договор на платные медуслуги: Без Договора, Пилинг врача' }) })]);
    await s.api('PATCH', `/api/v1/crm/cards/${b.body.client.id}`, { contractNumber: 'М-1', contractDate: day });
    expect((await s.api('GET', '/api/v1/crm/contracts')).body.items).toEqual([]);
  });
});
