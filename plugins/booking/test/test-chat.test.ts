/**
 * A studio test chat with the draft of the demo booking flow books without side effects: the booking is marked
 * test, holds its time for TEST_HOLD_MINUTES only, is listed as test but left out of exports and of the service's
 * range (reports), and is cancelled when the chat closes. An old button answers "no longer current".
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../test/helpers/app.js';
import { TEST_HOLD_MINUTES } from '../lib/bookings.js';
import { bookingService } from '../lib/service.js';

type Msg = { text: string; buttons?: Array<Array<{ label: string; callback: string }>> };
let t: TestApp;
let token: string;
let flowId: string;

const chat = (path: string, body: unknown) => t.api('POST', `/api/v1/webchat/sessions${path}`, { token, tenant: 'demo', body });
const buttons = (m: Msg | undefined) => (m?.buttons ?? []).flat();
const pick = (m: Msg | undefined, match: (label: string) => boolean) => {
  const b = buttons(m).find((x) => match(x.label));
  if (!b) throw new Error(`no button in ${JSON.stringify(buttons(m).map((x) => x.label))}`);
  return b.callback;
};

/** Goes through the draft's booking steps in a new test chat; returns the chat and the summary's buttons. */
async function bookInTestChat(): Promise<{ sessionId: string; summary: Msg; departments: Msg }> {
  const started = await chat('', { flowId, draft: true, locale: 'ru' });
  expect(started.status).toBe(201);
  const { sessionId } = started.body;
  let last: Msg[] = started.body.messages;
  const send = async (body: Record<string, unknown>) => {
    const r = await chat(`/${sessionId}/messages`, body);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    last = r.body.messages;
    return last;
  };
  const departments = last.at(-1)!;
  await send({ callback: pick(departments, (l) => l === 'Массаж') });
  await send({ callback: pick(last.at(-1), (l) => l.startsWith('Общий массаж')) });
  await send({ callback: pick(last.at(-1), (l) => l.startsWith('👥')) });
  const days = buttons(last.at(-1)).filter((b) => !b.label.startsWith('✕'));
  await send({ callback: days[1].callback });
  await send({ callback: buttons(last.at(-1))[0].callback });
  await send({ text: 'Тест Тестович' });
  await send({ contact: { phone: '+79990000000' } });
  return { sessionId, summary: last.at(-1)!, departments };
}

beforeAll(async () => {
  t = await startTestApp({ plugins: ['booking'] });
  token = await t.login(t.owner.email, t.owner.password);
  const flows = await t.api('GET', '/api/v1/flows', { token, tenant: 'demo' });
  flowId = flows.body.items.find((f: { key: string }) => f.key === 'booking').id;
});
afterAll(async () => { await t?.close(); });

describe('a booking from the studio test chat', () => {
  it('is marked test, held briefly, listed as test, out of exports and reports, and cancelled when the chat closes', async () => {
    const { sessionId, summary, departments } = await bookInTestChat();
    const booked = await chat(`/${sessionId}/messages`, { callback: pick(summary, (l) => l.startsWith('✅')) });
    expect(booked.body.messages[0].text).toContain('Вы записаны');

    // Listed, and marked: the desk sees it is not a client's.
    const listed = await t.api('GET', '/api/v1/bookings?test=true', { token, tenant: 'demo' });
    expect(listed.body.items).toHaveLength(1);
    const b = listed.body.items[0];
    expect(b).toMatchObject({ test: true, status: 'held', source: 'chat', client: { name: 'Тест Тестович' } });
    expect(new Date(b.holdExpiresAt).getTime() - t.clock.now().getTime()).toBeLessThanOrEqual(TEST_HOLD_MINUTES * 60_000);
    expect(new Date(b.holdExpiresAt).getTime() - t.clock.now().getTime()).toBeGreaterThan((TEST_HOLD_MINUTES - 2) * 60_000);
    expect((await t.api('GET', '/api/v1/bookings', { token, tenant: 'demo' })).body.items.map((x: { id: string }) => x.id)).toContain(b.id);
    expect((await t.api('GET', '/api/v1/bookings?test=false', { token, tenant: 'demo' })).body.items.map((x: { id: string }) => x.id)).not.toContain(b.id);

    // Exports and other plugins' reports (the service's range) leave it out.
    const csv = await t.api('GET', '/api/v1/bookings/export?format=csv', { token, tenant: 'demo' });
    expect(csv.status).toBe(200);
    expect(String(csv.body)).not.toContain('Тест Тестович');
    const service = bookingService(t.app.host.get('booking').ctx);
    const range = await service.bookings(t.demoTenantId, { from: new Date(b.start), to: new Date(b.end) });
    expect(range.map((x) => x.id)).not.toContain(b.id);

    // An old button (the departments' message) is answered, not ignored.
    const stale = await chat(`/${sessionId}/messages`, { callback: pick(departments, (l) => l === 'Массаж') });
    expect(stale.status).toBe(200);
    expect(stale.body).toMatchObject({ stale: true, messages: [{ text: 'Этот выбор уже неактуален' }] });

    // Closing the chat cancels it and frees its time.
    expect((await t.api('DELETE', `/api/v1/webchat/sessions/${sessionId}`, { token, tenant: 'demo' })).status).toBe(204);
    await expect.poll(async () => (await t.api('GET', `/api/v1/bookings/${b.id}`, { token, tenant: 'demo' })).body.status, { timeout: 10_000 }).toBe('cancelled');
    expect((await t.api('GET', `/api/v1/bookings/${b.id}`, { token, tenant: 'demo' })).body.cancelReason).toBe('test chat closed');
    // Only its editor closes a test chat; a closed one stays closed.
    const other = await t.addMember(token, 'manager@test.local', 'manager');
    expect((await t.api('DELETE', `/api/v1/webchat/sessions/${sessionId}`, { token: other.token, tenant: 'demo' })).status).toBe(404);
  });

  it('holds the time no longer than the test hold: the slot is free again once it runs out', async () => {
    const { sessionId, summary } = await bookInTestChat();
    await chat(`/${sessionId}/messages`, { callback: pick(summary, (l) => l.startsWith('✅')) });
    const held = (await t.api('GET', '/api/v1/bookings?test=true&status=held', { token, tenant: 'demo' })).body.items;
    expect(held).toHaveLength(1);
    t.clock.advance((TEST_HOLD_MINUTES + 1) * 60_000);
    await expect.poll(async () => (await t.api('GET', `/api/v1/bookings/${held[0].id}`, { token, tenant: 'demo' })).body.status, { timeout: 10_000 }).toBe('expired');
  });
});
