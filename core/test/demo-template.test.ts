/**
 * The demo business is template data (templates/demo-salon) seeded by core, plus what each plugin's seedDemo
 * adds: a product without the booking plugin still starts and gets the flows it can run.
 */
import fs from 'node:fs';
import path from 'node:path';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_TEMPLATE_DIR } from '../seed/bootstrap.js';
import { readTemplate } from '../seed/template.js';
import { startTestApp, type TestApp } from '../../test/helpers/app.js';
import { tempPluginsDir } from '../../test/helpers/plugins.js';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const plugins = tempPluginsDir({ copy: ['example'] });
let t: TestApp;
beforeAll(async () => { t = await startTestApp({ pluginsDir: plugins.dir }); });
afterAll(async () => {
  await t?.close();
  plugins.remove();
});

describe('the demo business without the booking plugin', () => {
  it('starts healthy with the demo tenant, its bot and the flows its plugins can run', async () => {
    expect(t.app.host.plugins.map((p) => p.manifest.id)).toEqual(['example']);
    expect(await t.api('GET', '/health')).toMatchObject({ status: 200, body: { status: 'ok' } });
    const token = await t.login(t.owner.email, t.owner.password);
    expect((await t.api('GET', '/api/v1/tenant', { token, tenant: 'demo' })).body).toMatchObject({ slug: 'demo', id: t.demoTenantId });
    const flows = await t.api('GET', '/api/v1/flows', { token, tenant: 'demo' });
    // The booking flow needs booking.* node types: left out, the main menu is seeded and published.
    expect(flows.body.items.map((f: { key: string; publishedVersion: number }) => [f.key, f.publishedVersion])).toEqual([['main', 1]]);
    // Its optional steps that lead to the flows left out (booking, points, invite a friend) are dropped, so it stays valid.
    const main = await t.api('GET', `/api/v1/flows/${flows.body.items[0].id}`, { token, tenant: 'demo' });
    expect((await t.api('POST', '/api/v1/flows/validate', { token, tenant: 'demo', body: { graph: main.body.draft } })).body).toEqual({ valid: true, errors: [] });
  });

  it('its bot answers from the template\'s main flow, its menu without the entries of the missing plugins', async () => {
    const chat = await t.api('POST', '/api/v1/public/demo/webchat/sessions', { body: { locale: 'en' } });
    expect(chat.status).toBe(201);
    expect(chat.body.messages.map((m: { text: string }) => m.text)).toEqual([expect.stringContaining('Welcome to Demo Beauty & Spa'), 'How can we help you?']);
    const buttons = chat.body.messages[1].buttons.flat().map((b: { label: string }) => b.label);
    expect(buttons).toEqual(['💇‍♀️ Services & prices', '📞 Call me back', '📍 Address & hours', '💬 Talk to an administrator']);
  });
});

describe('the demo business shows prepayment and hot windows with believable data', () => {
  const TOKEN_VAR = 'TELEGRAM_PAYMENT_PROVIDER_TOKEN';
  const saved = process.env[TOKEN_VAR];
  let full: TestApp;
  let token: string;
  const api = (app: TestApp, auth: string, method: string, url: string, body?: unknown) => app.api(method, url, { token: auth, tenant: 'demo', body });
  const day = (app: TestApp, offset: number) => DateTime.fromJSDate(app.clock.now(), { zone: 'Europe/Moscow' }).plus({ days: offset }).toISODate()!;
  const service = async (app: TestApp, name: string) => (await app.api('GET', '/api/v1/public/demo/services')).body.items.find((s: { name: string }) => s.name === name);
  /** What prepayment tells its dependents (hot windows) about taking money in the demo. */
  const readiness = (app: TestApp) => app.app.host.get('hot-windows').ctx.service('prepayment').readiness(app.demoTenantId);
  /** A client books the first free time of a prepaid service through the public API, as the widget does. */
  const bookOnline = async (app: TestApp, phone: string) => {
    const massage = await service(app, 'Общий массаж');
    const [slot] = (await app.api('GET', `/api/v1/public/demo/slots?serviceId=${massage.id}`)).body;
    return app.api('POST', '/api/v1/public/demo/bookings', { body: { serviceId: massage.id, start: slot.start, resourceIds: slot.resourceIds, client: { name: 'Гость', phone } } });
  };
  beforeAll(async () => {
    delete process.env[TOKEN_VAR];
    full = await startTestApp({ plugins: ['hot-windows'] });
    token = await full.login(full.owner.email, full.owner.password);
  });
  afterAll(async () => {
    await full?.close();
    if (saved === undefined) delete process.env[TOKEN_VAR];
    else process.env[TOKEN_VAR] = saved;
  });

  it('has prepayment on: 30 % of the dearer procedures, refunds 100 % a day ahead and 50 % later, no provider without the variable', async () => {
    // The seeded money is history only: nothing was sent and no payment announced (before any test books).
    const db = full.app.db.db;
    expect(await db.selectFrom('messages').select('id').where('tenant_id', '=', full.demoTenantId).execute()).toEqual([]);
    expect(await db.selectFrom('outbox').select('type').where('tenant_id', '=', full.demoTenantId).where('type', 'like', 'prepayment.%').execute()).toEqual([]);
    const prepayment = (await api(full, token, 'GET', '/api/v1/plugins')).body.items.find((p: { id: string }) => p.id === 'prepayment');
    expect(prepayment.enabled).toBe(true);
    const names = (await full.api('GET', '/api/v1/public/demo/services')).body.items.map((s: { id: string; name: string }) => [s.id, s.name]);
    const prepaid = prepayment.config.rules.map((r: { serviceId: string }) => new Map(names).get(r.serviceId)).sort();
    expect(prepaid).toEqual(['Общий массаж', 'Окрашивание волос', 'Стоун-терапия', 'Хаммам с пенным массажем', 'Чистка лица']);
    expect(prepayment.config.rules.every((r: { kind: string; percent: number }) => r.kind === 'percent' && r.percent === 30)).toBe(true);
    expect(prepayment.config).toMatchObject({ cancellation: { fullRefundHours: 24, laterPercent: 50 }, linkProvider: 'none' });
    expect(prepayment.config.telegram.providerToken).toEqual({ set: false });
    expect(await readiness(full)).toBe('no-provider');
    // No provider, so no money is asked: a client's booking of a prepaid service is made as before, not held.
    const booked = await bookOnline(full, '+79160007701');
    expect(booked.status).toBe(201);
    expect(['confirmed', 'pending']).toContain(booked.body.status);
    expect((await api(full, token, 'GET', `/api/v1/prepayment/bookings/${booked.body.id}/payments`)).body.payments).toEqual([]);
  });

  it('books a prepaid massage in the demo\'s chat as before: no provider, so no invoice and nothing held', async () => {
    type Msg = { text: string; buttons?: Array<Array<{ label: string; callback: string }>> };
    const started = await full.api('POST', '/api/v1/public/demo/webchat/sessions', { body: { locale: 'ru' } });
    let last: Msg[] = started.body.messages;
    const press = async (match: (label: string) => boolean | undefined, index = 0) => {
      const options = (last.at(-1)?.buttons ?? []).flat().filter((b) => match(b.label));
      expect(options.length, JSON.stringify(last)).toBeGreaterThan(index);
      await send({ callback: options[index].callback });
    };
    const send = async (body: Record<string, unknown>) => {
      const r = await full.api('POST', `/api/v1/public/demo/webchat/sessions/${started.body.sessionId}/messages`, { body });
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      last = r.body.messages;
    };
    await press((l) => l === '📅 Записаться');
    await press((l) => l === 'Массаж');
    await press((l) => l.startsWith('Общий массаж'));
    await press((l) => l.startsWith('👥'));
    await press((l) => !l.startsWith('✕'), 1);
    await press(() => true);
    await send({ text: 'Гостья Чата' });
    await send({ contact: { phone: '+79160007703' } });
    await press((l) => l.startsWith('✅'));
    expect(last.map((m) => m.text).join(' ')).toContain('Вы записаны');
    const [made] = (await api(full, token, 'GET', '/api/v1/bookings?q=0007703')).body.items;
    expect(['confirmed', 'pending']).toContain(made.status);
    expect((await api(full, token, 'GET', `/api/v1/prepayment/bookings/${made.id}/payments`)).body).toMatchObject({ summary: { state: 'none' }, payments: [] });
  });

  it('has four weeks of payment history in the finance report: deposits, a refund by the policy, tips, a deposit held', async () => {
    const report = (await api(full, token, 'GET', `/api/v1/prepayment/finance?from=${day(full, -28)}&to=${day(full, 0)}`)).body;
    expect(report.currency).toBe('RUB');
    const { totals } = report;
    expect(totals.payments).toBeGreaterThan(0);
    expect(totals.revenue).toBe(totals.payments - totals.refunds);
    expect(report.byDay.filter((d: { payments: number }) => d.payments > 0).length).toBeGreaterThanOrEqual(5);
    expect(report.byService.map((s: { name: string }) => s.name)).toEqual(expect.arrayContaining(['Общий массаж', 'Хаммам с пенным массажем']));
    expect(report.byMethod.map((m: { method: string }) => m.method)).toEqual(['telegram']);
    // Tips for two specialists, kept out of revenue.
    expect(report.bySpecialist.filter((s: { tips: number; name: string | null }) => s.tips > 0 && s.name).length).toBe(2);
    expect(totals.tips).toBeGreaterThan(0);
    // The late cancellation got half of its deposit back, as the policy says.
    const [refund] = (await api(full, token, 'GET', '/api/v1/prepayment/refunds')).body.items;
    expect(refund).toMatchObject({ status: 'succeeded', percent: 50 });
    expect(totals.refunds).toBe(refund.amount);
    const payments = (await api(full, token, 'GET', `/api/v1/prepayment/bookings/${refund.booking_id}/payments`)).body;
    expect(payments.summary.state).toBe('partially_refunded');
    expect(payments.summary.refunded.amount).toBe(Math.round(payments.summary.paid.amount / 2));
    expect(totals.held).toBeGreaterThan(0);
    // The desk opens those past visits like any booking: the cancelled one's card, and the last weeks' journal with completed visits.
    expect((await api(full, token, 'GET', `/api/v1/bookings/${refund.booking_id}`)).body).toMatchObject({ status: 'cancelled' });
    const journal = (await api(full, token, 'GET', `/api/v1/booking/journal?date=${day(full, -27)}&days=28`));
    expect(journal.status).toBe(200);
    expect(JSON.stringify(journal.body)).toContain('"completed"');
  });

  it('has hot windows ahead, a plain discount while no provider can take a prepayment, orange in the calendar', async () => {
    const { items } = (await api(full, token, 'GET', '/api/v1/hot-windows')).body;
    expect(items.length).toBeGreaterThanOrEqual(1);
    const tomorrow = items.find((w: { dateFrom: string }) => w.dateFrom === day(full, 1));
    expect(tomorrow).toMatchObject({ discountPercent: 20, prepayment: { amount: 0, currency: 'RUB' }, expired: false });
    const back = await service(full, 'Массаж спины');
    expect(tomorrow.serviceIds).toContain(back.id);
    const { slots } = (await api(full, token, 'GET', `/api/v1/hot-windows/calendar?serviceId=${back.id}&days=3`)).body;
    const hot = slots.filter((s: { kind: string }) => s.kind === 'hot');
    expect(hot.length).toBeGreaterThan(0);
    expect(hot[0]).toMatchObject({ color: '#f57c00', windowId: tomorrow.id, pay: { amount: Math.round(back.price * 100 * 0.8) } });
  });

  it('with the variable set, the demo takes money through Telegram: its hot windows ask the prepayment, a client\'s booking waits for it', async () => {
    process.env[TOKEN_VAR] = '381764678:TEST:demo-provider';
    const paid = await startTestApp({ plugins: ['hot-windows'] });
    try {
      const auth = await paid.login(paid.owner.email, paid.owner.password);
      expect(await readiness(paid)).toBe('ready');
      const { items } = (await api(paid, auth, 'GET', '/api/v1/hot-windows')).body;
      expect(items.map((w: { prepayment: { amount: number } }) => w.prepayment.amount)).toEqual(items.map(() => 50_000));
      const booked = await bookOnline(paid, '+79160007702');
      expect(booked).toMatchObject({ status: 201, body: { status: 'held' } });
    } finally {
      await paid.close();
    }
  });
});

describe('templates are data', () => {
  it('core imports nothing from templates/', () => {
    const files = fs.readdirSync(path.join(ROOT, 'core'), { recursive: true, withFileTypes: true }).filter((f) => f.isFile() && f.name.endsWith('.ts'));
    const importers = files.filter((f) => /from\s+['"][./]*templates\//.test(fs.readFileSync(path.join(f.parentPath, f.name), 'utf8'))).map((f) => f.name);
    expect(importers).toEqual([]);
    expect(fs.readdirSync(DEMO_TEMPLATE_DIR).filter((f) => !f.endsWith('.json'))).toEqual([]);
  });

  it('a malformed template fails loudly, naming the file', () => {
    const dir = fs.mkdtempSync(path.join(ROOT, '.tmp', 'template-'));
    try {
      fs.writeFileSync(path.join(dir, 'template.json'), JSON.stringify({ bot: { name: 'Bot', flow: 'main' }, flows: ['main.flow.json'] }));
      fs.writeFileSync(path.join(dir, 'main.flow.json'), JSON.stringify({ key: 'main', name: 'Main', schemaVersion: 1, nodes: 'none', edges: [], variables: [] }));
      expect(() => readTemplate(dir)).toThrow(/main\.flow\.json/);
      const start = { id: 'start', type: 'trigger.command', position: { x: 0, y: 0 }, settings: { command: '/start' } };
      fs.writeFileSync(path.join(dir, 'main.flow.json'), JSON.stringify({ key: 'main', name: 'Main', optional: ['gone'], schemaVersion: 1, nodes: [start], edges: [], variables: [] }));
      expect(() => readTemplate(dir)).toThrow(/main\.flow\.json: optional names no node gone/);
      fs.writeFileSync(path.join(dir, 'template.json'), JSON.stringify({ bot: { name: 'Bot' }, flows: [] }));
      expect(() => readTemplate(dir)).toThrow(/template\.json.*flow/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
