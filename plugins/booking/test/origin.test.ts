import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../test/helpers/app.js';
import { BotApiStandIn, inlineButtons, type SentMessage } from '../../../test/helpers/bot-api-standin.js';

// Where a booking came from: the demo bot's booking flow, with a question put before it, books over the Bot API
// stand-in; the desk and the public API book over HTTP; GET /bookings/:id tells each apart.
const TOKEN = '700778:origin-token-aaaaaaaaaaaaaaaaaaa';
const CHAT = 7101;
const WISH = 'Хочу массаж помягче, болит плечо';
let standin: BotApiStandIn;
let t: TestApp;
let token: string;
let next: (count: number) => Promise<SentMessage[]>;
const api = (method: string, path: string, body?: unknown) => t.api(method, path, { token, tenant: 'demo', body });
const press = (m: SentMessage, match: (label: string) => boolean) => standin.pressWhere(TOKEN, CHAT, m, match);

beforeAll(async () => {
  standin = await BotApiStandIn.start();
  next = standin.reader(CHAT);
  t = await startTestApp({ plugins: ['booking'], config: { telegramApiRoot: standin.url, telegramBotToken: TOKEN, secretKey: crypto.randomBytes(32).toString('hex') } });
  token = await t.login(t.owner.email, t.owner.password);
  // The owner asks the client's wish before the service: an input step saving `wish`.
  const flow = (await api('GET', '/api/v1/flows')).body.items.find((f: any) => f.key === 'booking');
  const graph = (await api('GET', `/api/v1/flows/${flow.id}`)).body.draft;
  graph.nodes.push({ id: 'wish', type: 'input', position: { x: 150, y: -150 }, settings: { text: { ru: 'Что нам учесть?', en: 'Anything we should know?' }, kind: 'text', saveAs: 'wish' } });
  const first = graph.edges.find((e: any) => e.source === 'book-command');
  graph.edges.push({ id: 'e-wish-next', source: 'wish', sourcePort: 'next', target: first.target });
  first.target = 'wish';
  graph.variables.push({ name: 'wish', type: 'string' });
  expect((await api('PUT', `/api/v1/flows/${flow.id}/draft`, { graph })).status).toBe(200);
  expect((await api('POST', `/api/v1/flows/${flow.id}/publish`)).status).toBe(200);
});
afterAll(async () => {
  await t?.close();
  await standin?.close();
});

/** A free start of a demo service two days ahead, from the staff slots route. */
async function freeSlot(nth: number) {
  const services = (await api('GET', '/api/v1/booking/services')).body.items;
  const service = services.find((s: any) => s.name.startsWith('Общий массаж'));
  const from = new Date(t.clock.now().getTime() + 2 * 86_400_000);
  const slots = (await api('GET', `/api/v1/booking/slots?serviceId=${service.id}&from=${from.toISOString()}&to=${new Date(from.getTime() + 3 * 86_400_000).toISOString()}`)).body.items;
  expect(slots.length).toBeGreaterThan(nth);
  return { serviceId: service.id, slot: slots[nth] };
}

describe('where a booking came from', () => {
  it('a Telegram chat booking carries the flow, the channel and the answers the client gave', async () => {
    await standin.text(TOKEN, CHAT, '/book', { language: 'ru' });
    const [ask] = await next(1);
    expect(ask.text).toBe('Что нам учесть?');
    await standin.text(TOKEN, CHAT, WISH);
    const [departments] = await next(1);
    await press(departments, (l) => l === 'Массаж');
    const [services] = await next(1);
    await press(services, (l) => l.startsWith('Общий массаж'));
    const [specialists] = await next(1);
    await press(specialists, (l) => l.startsWith('👥'));
    const [calendar] = await next(1);
    await standin.press(TOKEN, CHAT, inlineButtons(calendar).filter((b) => !b.text.startsWith('✕'))[1].callback_data);
    const [times] = await next(1);
    await standin.press(TOKEN, CHAT, inlineButtons(times)[0].callback_data);
    const [askName] = await next(1);
    expect(askName.text).toContain('Как к вам обращаться');
    await standin.text(TOKEN, CHAT, 'Вера');
    await next(1);
    await standin.contact(TOKEN, CHAT, '+7 (916) 555-66-01');
    const [summary] = await next(1);
    await press(summary, (l) => l.startsWith('✅'));
    const [booked] = await next(1);
    expect(booked.text).toContain('Вы записаны');

    const [row] = (await api('GET', '/api/v1/bookings?q=5556601')).body.items;
    const details = await api('GET', `/api/v1/bookings/${row.id}`);
    expect(details.status).toBe(200);
    expect(details.body).toMatchObject({ id: row.id, source: 'chat', client: { name: 'Вера', phone: '+79165556601' }, status: 'confirmed' });
    expect(details.body.origin).toEqual({ source: 'flow', channel: 'telegram', answers: [{ variable: 'wish', label: 'Что нам учесть?', value: WISH }] });
    // The client's words stay in the details: not in the list, the history or the booking's events.
    expect(row).not.toHaveProperty('origin');
    const history = await api('GET', `/api/v1/bookings/${row.id}/history`);
    expect(JSON.stringify(history.body)).not.toContain(WISH);
  });

  it('a desk booking carries source desk (and how the caller came), no channel, no answers', async () => {
    const { serviceId, slot } = await freeSlot(0);
    const made = await api('POST', '/api/v1/bookings', { serviceId, start: slot.start, resourceIds: slot.resourceIds, client: { name: 'Гость со стойки', phone: '+79165556602' }, source: 'phone' });
    expect(made.status).toBe(201);
    const details = await api('GET', `/api/v1/bookings/${made.body.id}`);
    expect(details.body).toMatchObject({ source: 'phone', origin: { source: 'desk', channel: null, answers: [] } });
  });

  it('a public booking says public to staff, and its own answer carries no origin', async () => {
    const { serviceId, slot } = await freeSlot(1);
    const made = await t.api('POST', '/api/v1/public/demo/bookings', { body: { serviceId, start: slot.start, resourceIds: slot.resourceIds, client: { name: 'С сайта', phone: '+79165556603' } } });
    expect(made.status).toBe(201);
    expect(made.body).not.toHaveProperty('origin');
    expect(made.body).not.toHaveProperty('client');
    const details = await api('GET', `/api/v1/bookings/${made.body.id}`);
    expect(details.body.origin).toEqual({ source: 'public', channel: null, answers: [] });
  });

  it('a specialist sees the details of their own bookings only', async () => {
    const specialist = await t.addMember(token, 'origin-specialist@test.local', 'specialist');
    const [row] = (await api('GET', '/api/v1/bookings?q=5556601')).body.items;
    const theirs = await t.api('GET', `/api/v1/bookings/${row.id}`, { token: specialist.token, tenant: 'demo' });
    expect(theirs.status).toBe(404);
    expect(JSON.stringify(theirs.body)).not.toContain(WISH);
    // Linked to the booking's specialist, they see it with the client's answers, as the booking's other viewers do.
    const staffId = row.resourceIds[0];
    expect((await api('PATCH', `/api/v1/booking/resources/${staffId}`, { userId: specialist.userId })).status).toBe(200);
    const own = await t.api('GET', `/api/v1/bookings/${row.id}`, { token: specialist.token, tenant: 'demo' });
    expect(own.status).toBe(200);
    expect(own.body.origin.answers).toEqual([{ variable: 'wish', label: 'Что нам учесть?', value: WISH }]);
  });
});
