/**
 * The booking card at the desk in Chromium against the real server: a client's 30 % prepayment paid through the Bot
 * API stand-in shows in the card's price breakdown (booking.details zone) — the price, what was prepaid and what
 * the desk collects at the visit — and a manager at the desk sees the same.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../test/helpers/app.js';
import { BotApiStandIn } from '../../../test/helpers/bot-api-standin.js';
import { openStudio, type StudioBrowser } from '../../../test/helpers/studio-browser.js';
import type { BookingService } from '../../booking/contract.js';

const TOKEN = '700890:breakdown-token-ccccccccccccccccc';
const CHAT = 9951;
let standin: BotApiStandIn;
let t: TestApp;
let s: StudioBrowser;
let owner: string;
let booking: BookingService;

const ok = async (method: string, path: string, body?: unknown) => {
  const res = await t.api(method, path, { token: owner, tenant: 'demo', body });
  expect(res.status, `${method} ${path}: ${JSON.stringify(res.body)}`).toBeLessThan(300);
  return res.body;
};
const rub = (kopecks: number) => new Intl.NumberFormat('en-US', { style: 'currency', currency: 'RUB', minimumFractionDigits: 0, maximumFractionDigits: 2 }).format(kopecks / 100);

beforeAll(async () => {
  standin = await BotApiStandIn.start();
  t = await startTestApp({ plugins: ['prepayment'], config: { telegramApiRoot: standin.url, publicUrl: 'https://bots.example.test' } });
  standin.webhookTarget = t.url;
  owner = await t.login(t.owner.email, t.owner.password);
  const botId = (await ok('POST', '/api/v1/bots', { name: 'Breakdown bot', token: TOKEN })).id;
  await ok('PUT', '/api/v1/plugins/prepayment/enabled', { enabled: true });
  booking = t.app.host.get('prepayment').ctx.service('booking');
  const massageId = (await booking.services(t.demoTenantId)).find((x) => x.name === 'Общий массаж')!.id;
  const config = (await ok('GET', '/api/v1/plugins')).items.find((p: { id: string }) => p.id === 'prepayment').config;
  await ok('PUT', '/api/v1/plugins/prepayment/config', { config: { ...config, rules: [{ serviceId: massageId, kind: 'percent', percent: 30 }], telegram: { providerToken: '381764678:TEST:100502' } } });
  const c = await t.app.db.db.insertInto('contacts').values({ tenant_id: t.demoTenantId, name: 'Ева Разбивкина' }).returning('id').executeTakeFirstOrThrow();
  await t.app.db.db.insertInto('contact_identities').values({ tenant_id: t.demoTenantId, contact_id: c.id, kind: 'telegram', value: String(CHAT), bot_id: botId, verified: true }).execute();
  const from = new Date(t.clock.nowMs() + 2 * 86_400_000);
  const [slot] = await booking.slots(t.demoTenantId, { serviceId: massageId, from, to: new Date(from.getTime() + 5 * 86_400_000) });
  await booking.create(t.demoTenantId, { serviceId: massageId, start: new Date(slot.start), resourceIds: slot.resourceIds, client: { id: c.id }, source: 'chat', actor: { kind: 'client', id: c.id } });
  s = await openStudio(t);
}, 120_000);
afterAll(async () => {
  await s?.close();
  await t?.close();
  await standin?.close();
});

describe('the booking card at the desk', () => {
  it('shows the price, the prepayment and what is left to pay at the visit; a manager sees it too', async () => {
    await expect.poll(() => standin.invoices(CHAT).length, { timeout: 20_000 }).toBe(1);
    expect((await standin.checkout(TOKEN, CHAT, standin.invoices(CHAT)[0])).ok).toBe(true);
    const found = await ok('GET', '/api/v1/bookings?q=Разбивкина');
    expect(found.items).toHaveLength(1);
    const b = found.items[0];
    await expect.poll(async () => (await booking.getBooking(t.demoTenantId, b.id))!.status, { timeout: 20_000 }).toBe('confirmed');
    const price = Math.round(b.price * 100);
    const prepaid = standin.invoices(CHAT)[0].prices[0].amount;
    expect(prepaid).toBe(Math.round(price * 0.3));
    const manager = await t.addMember(owner, 'desk-breakdown@test.local', 'manager');
    for (const [email, password] of [[t.owner.email, t.owner.password], [manager.email, manager.password]]) {
      await s.signIn(email, password);
      await s.page.getByRole('navigation').getByRole('link', { name: 'Bookings', exact: true }).click();
      await s.page.getByLabel('Search').fill('Разбивкина');
      // The search is debounced: until it answers, the first row is another client's booking.
      const row = s.page.getByRole('row').filter({ hasText: 'Разбивкина' });
      await row.getByRole('button', { name: /^Details: / }).click();
      const card = s.page.getByRole('dialog').getByTestId('booking-breakdown');
      await card.getByRole('heading', { name: 'Price and payments' }).waitFor();
      await expect.poll(() => card.getByTestId('breakdown-price').innerText()).toBe(`Price\t${rub(price)}`);
      expect(await card.getByTestId('breakdown-prepaid').innerText()).toBe(`Prepaid\t−${rub(prepaid)}`);
      expect(await card.getByTestId('breakdown-due').innerText()).toBe(`To pay at the visit\t${rub(price - prepaid)}`);
      await s.page.getByRole('dialog').getByRole('button', { name: /Close/ }).click();
      await s.page.context().clearCookies();
    }
    expect(s.errors).toEqual([]);
  });
});
