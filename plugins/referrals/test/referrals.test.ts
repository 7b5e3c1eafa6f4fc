/**
 * Referrals over the bot (Bot API stand-in: the invite link with its share button, a friend arriving by it)
 * and the API (the desk, the web link, the widget's public booking), on the demo business.
 */
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../../../test/helpers/app.js';
import { startNodeTurnKit, type NodeTurnKit } from '../../../test/helpers/node-turn.js';

let kit: NodeTurnKit;
let t: TestApp;
const api = (method: string, path: string, body?: unknown) => t.api(method, path, { token: kit.token, tenant: 'demo', body });
let service: { id: string };

beforeAll(async () => {
  // Left as the demo business is seeded: its template switches loyalty and referrals on.
  kit = await startNodeTurnKit({ plugins: ['referrals'], enable: false });
  t = kit.t;
  const enabled = (await api('GET', '/api/v1/plugins')).body.items.filter((p: any) => p.enabled).map((p: any) => p.id);
  expect(enabled).toEqual(expect.arrayContaining(['booking', 'loyalty', 'referrals']));
  expect((await api('PUT', '/api/v1/plugins/referrals/config', { config: { botUsername: 'kit_salon_bot', webBookingUrl: 'https://salon.example/book' } })).status).toBe(200);
  service = (await t.api('GET', '/api/v1/public/demo/services')).body.items.find((x: any) => x.kind !== 'group' && x.price > 0);
});
afterAll(async () => { await kit?.close(); });

/** The first free start of the service in the coming week, asked afresh (earlier bookings took theirs). */
async function slot(): Promise<{ start: string; price: number }> {
  const from = new Date(t.clock.nowMs() + 2 * 86_400_000).toISOString();
  const to = new Date(t.clock.nowMs() + 9 * 86_400_000).toISOString();
  const [free] = (await t.api('GET', `/api/v1/public/demo/slots?serviceId=${service.id}&from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`)).body;
  return free;
}
const points = async (contactId: string) => (await api('GET', `/api/v1/loyalty/accounts/${contactId}`)).body.balance;
const setStatus = async (id: string, status: string) => expect((await api('PATCH', `/api/v1/bookings/${id}`, { status })).status).toBe(200);

describe('referrals', () => {
  let referrer: string;
  let code: string;

  it('shows the client\'s t.me link with a share button in the bot', async () => {
    const made = await api('POST', '/api/v1/contacts', { name: 'Ольга', phone: '+79161110001' });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    referrer = made.body.id;
    const link = await api('GET', `/api/v1/referrals/contacts/${referrer}/link`);
    code = link.body.code;
    expect(link.body).toEqual({ code, telegram: `https://t.me/kit_salon_bot?start=ref_${code}`, web: `https://salon.example/book?ref=${code}` });

    const turn = await kit.runNodeTurn({ nodeType: 'referrals.invite', language: 'ru' });
    expect(turn.port).toBe('next');
    const [shown] = await kit.standin.waitForSent(turn.chatId, 1);
    expect(shown.text).toContain('https://t.me/kit_salon_bot?start=ref_');
    expect(shown.reply_markup.inline_keyboard[0][0]).toMatchObject({ text: 'Поделиться', url: expect.stringMatching(/^https:\/\/t\.me\/share\/url\?url=https%3A%2F%2Ft\.me%2Fkit_salon_bot/) });
  });

  it('a friend through the link gets 10% off the first visit; the referrer gets 300 points when it completes, taken back if undone', async () => {
    const turn = await kit.runNodeTurn({ nodeType: 'referrals.accept', vars: { startPayload: `ref_${code}` }, language: 'ru' });
    expect(turn.messages.map((m) => m.text)).toEqual(['Добро пожаловать! На первый визит у вас скидка 10%.']);
    expect(turn.vars.referralAccepted).toBe(true);
    const friend = (await api('GET', '/api/v1/referrals/report')).body.items[0].friend.id;
    expect(friend).toEqual(expect.any(String));

    const first = await slot();
    const booked = await api('POST', '/api/v1/bookings', { serviceId: service.id, start: first.start, client: { id: friend } });
    expect(booked.status, JSON.stringify(booked.body)).toBe(201);
    expect(booked.body.price).toBe(Math.round(first.price * 0.9 * 100) / 100);
    // Only the first visit is discounted.
    const second = await slot();
    expect((await api('POST', '/api/v1/bookings', { serviceId: service.id, start: second.start, client: { id: friend } })).body.price).toBe(second.price);

    expect(await points(referrer)).toBe(0);
    await setStatus(booked.body.id, 'arrived');
    await setStatus(booked.body.id, 'completed');
    await expect.poll(() => points(referrer), { timeout: 10_000 }).toBe(300);
    expect((await api('GET', '/api/v1/referrals/report')).body).toMatchObject({ invited: 1, converted: 1, pointsPaid: 300, items: [{ referrer: { id: referrer, name: 'Ольга' }, converted: true, points: 300 }] });

    await setStatus(booked.body.id, 'arrived');
    await expect.poll(() => points(referrer), { timeout: 10_000 }).toBe(0);
    await setStatus(booked.body.id, 'completed');
    await expect.poll(() => points(referrer), { timeout: 10_000 }).toBe(300);

    const again = await kit.runNodeTurn({ nodeType: 'referrals.accept', vars: { startPayload: `ref_${code}` }, language: 'ru' });
    expect(again.vars.referralAccepted).toBe(true);
  });

  it('self-referral, a second referrer and a client who already booked get nothing', async () => {
    const self = await t.api('POST', '/api/v1/public/demo/referrals/claim', { body: { code, name: 'Ольга', phone: '8 916 111-00-01' } });
    expect(self).toMatchObject({ status: 409, body: { code: 'BF_ERR_REFERRALS_SELF' } });

    const regular = await api('POST', '/api/v1/contacts', { name: 'Пётр', phone: '+79161110002' });
    expect((await api('POST', '/api/v1/bookings', { serviceId: service.id, start: (await slot()).start, client: { id: regular.body.id } })).status).toBe(201);
    expect((await t.api('POST', '/api/v1/public/demo/referrals/claim', { body: { code, name: 'Пётр', phone: '+79161110002' } })).body.code).toBe('BF_ERR_REFERRALS_NOT_NEW');

    const web = await t.api('POST', '/api/v1/public/demo/referrals/claim', { body: { code, name: 'Ира', phone: '+79161110003' } });
    expect(web).toMatchObject({ status: 201, body: { discountPercent: 10 } });
    const other = (await api('GET', `/api/v1/referrals/contacts/${regular.body.id}/link`)).body.code;
    expect((await t.api('POST', '/api/v1/public/demo/referrals/claim', { body: { code: other, name: 'Ира', phone: '+79161110003' } })).body.code).toBe('BF_ERR_REFERRALS_ALREADY_REFERRED');
    expect((await t.api('POST', '/api/v1/public/demo/referrals/claim', { body: { code: 'nosuchcode', name: 'Ира', phone: '+79161110004' } })).body.code).toBe('BF_ERR_REFERRALS_CODE_NOT_FOUND');

    // The web friend's first booking through the widget is discounted too.
    const s = await slot();
    const widget = await t.api('POST', '/api/v1/public/demo/bookings', { body: { serviceId: service.id, start: s.start, client: { name: 'Ира', phone: '+79161110003' } } });
    expect(widget.status, JSON.stringify(widget.body)).toBe(201);
    expect(widget.body.price).toBe(Math.round(s.price * 0.9 * 100) / 100);
  });

  it('exports the report (who invited whom, converted, points paid) as CSV and XLSX', async () => {
    const file = (format: string) => fetch(`${t.url}/api/v1/referrals/report?format=${format}`, { headers: { authorization: `Bearer ${kit.token}`, 'x-tenant': 'demo' } });
    const csv = await file('csv');
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const lines = (await csv.text()).replace(/^\ufeff/, '').trim().split('\r\n');
    expect(lines[0]).toBe('referrer,referrerId,friend,friendPhone,friendId,invitedAt,converted,convertedAt,points');
    const report = (await api('GET', '/api/v1/referrals/report')).body;
    expect(lines).toHaveLength(report.items.length + 1);
    // Ира came by the web link (a phone, no contact yet: the leading + is quoted so a spreadsheet does not run it) and has
    // not visited; the bot's friend converted and paid Ольга 300 points.
    expect(lines).toContainEqual(expect.stringMatching(/^Ольга,[0-9a-f-]{36},,'\+79161110003,,[^,]+,no,,0$/));
    expect(lines.filter((l) => /^Ольга,[0-9a-f-]{36},[^,]*,[^,]*,[0-9a-f-]{36},[^,]+,yes,[^,]+,300$/.test(l))).toHaveLength(1);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(Buffer.from(await (await file('xlsx')).arrayBuffer()) as any);
    const sheet = book.worksheets[0];
    expect(sheet.getRow(1).values).toEqual([undefined, 'referrer', 'referrerId', 'friend', 'friendPhone', 'friendId', 'invitedAt', 'converted', 'convertedAt', 'points']);
    expect(sheet.rowCount).toBe(report.items.length + 1);
    const paid = report.items.findIndex((i: any) => i.converted);
    expect(sheet.getRow(paid + 2).getCell(9).value).toBe(300);
    expect(sheet.getRow(paid + 2).getCell(7).value).toBe('yes');
    expect((await api('GET', '/api/v1/referrals/report?format=pdf')).body.details.errors[0].path).toBe('/querystring/format');
  });

  it('names the bad field', async () => {
    const bad = await t.api('POST', '/api/v1/public/demo/referrals/claim', { body: { code: 'X', name: '', phone: '1' } });
    expect(bad.status).toBe(400);
    expect(bad.body.details.errors.map((e: any) => e.path).sort()).toEqual(['/body/code', '/body/name', '/body/phone']);
  });
});
