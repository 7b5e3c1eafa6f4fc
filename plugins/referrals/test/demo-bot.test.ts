/**
 * The demo business's own published bot, through the Bot API stand-in: a client finds "Invite a friend" in the
 * main menu, a friend arrives by the t.me deep link exactly as Telegram delivers it (`/start ref_<code>`), books
 * in the bot at 10% off, and once that visit is completed (the app clock moved past it) the referrer has 300 points.
 */
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../test/helpers/app.js';
import { BotApiStandIn, inlineButtons, type SentMessage } from '../../../test/helpers/bot-api-standin.js';

const TOKEN = '700913:referrals-demo-token-aaaaaaaaaaaa';
const BOT_USERNAME = 'bot700913_bot';
const REFERRER = 9101;
const FRIEND = 9102;
let standin: BotApiStandIn;
let t: TestApp;
let token: string;
const api = (method: string, path: string, body?: unknown) => t.api(method, path, { token, tenant: 'demo', body });

const readers = new Map<number, (count: number) => Promise<SentMessage[]>>();
/** The next `count` messages the bot sends to the chat. */
function next(chat: number, count: number): Promise<SentMessage[]> {
  if (!readers.has(chat)) readers.set(chat, standin.reader(chat));
  return readers.get(chat)!(count);
}
const press = (chat: number, m: SentMessage, label: (text: string) => boolean) => standin.pressWhere(TOKEN, chat, m, label);
const menuOf = (messages: SentMessage[]) => messages.find((m) => m.text === 'Чем можем помочь?')!;
const points = async (contactId: string) => (await api('GET', `/api/v1/loyalty/accounts/${contactId}`)).body.balance;

beforeAll(async () => {
  standin = await BotApiStandIn.start();
  // The clock moves past the friend's visit: sign-ins made now must outlive it.
  t = await startTestApp({ plugins: ['referrals'], config: { telegramApiRoot: standin.url, telegramBotToken: TOKEN, secretKey: crypto.randomBytes(32).toString('hex'), sessionTtlHours: 24 * 365 } });
  token = await t.login(t.owner.email, t.owner.password);
  // No botUsername in the settings: t.me links name the business's connected bot, as getMe reported it.
});
afterAll(async () => {
  await t?.close();
  await standin?.close();
});

describe('referrals in the demo bot', () => {
  it('seeds the loyalty and referrals flows, published and valid, and the main menu leads to them', async () => {
    const flows = (await api('GET', '/api/v1/flows')).body.items;
    expect(flows.map((f: any) => f.key)).toEqual(expect.arrayContaining(['main', 'booking', 'loyalty', 'referrals']));
    for (const key of ['main', 'booking', 'loyalty', 'referrals']) {
      const flow = (await api('GET', `/api/v1/flows/${flows.find((f: any) => f.key === key).id}`)).body;
      expect(flow.publishedVersion).toBe(1);
      expect((await api('POST', '/api/v1/flows/validate', { graph: flow.draft })).body, key).toEqual({ valid: true, errors: [] });
    }
  });

  let referrer: string;
  let code: string;

  it('a client\'s "Invite a friend" shows the t.me link with a share button; "My points" shows none yet', async () => {
    await standin.text(TOKEN, REFERRER, '/start', { language: 'ru' });
    const menu = menuOf(await next(REFERRER, 2));
    expect(inlineButtons(menu).map((b) => b.text)).toEqual(['💇‍♀️ Услуги и цены', '📅 Записаться', '⭐ Мои баллы', '🎁 Пригласить друга', '📞 Перезвоните мне', '📍 Адрес и часы работы', '💬 Связаться с администратором']);

    await press(REFERRER, menu, (l) => l === '⭐ Мои баллы');
    const [none, ...back] = await next(REFERRER, 3);
    expect(none.text).toBe('У вас пока нет баллов: они начисляются после первого визита.');

    await press(REFERRER, menuOf(back), (l) => l === '🎁 Пригласить друга');
    const shown = await next(REFERRER, 3);
    const invite = shown.find((m) => m.text.startsWith('Пригласите друга'))!;
    const link = new RegExp(`https://t\\.me/${BOT_USERNAME}\\?start=ref_([a-z0-9]+)`).exec(invite.text);
    expect(link, invite.text).not.toBeNull();
    code = link![1];
    expect(invite.text).toContain('скидка 10%');
    expect(invite.text).toContain('300 баллов');
    expect(invite.reply_markup.inline_keyboard[0][0]).toMatchObject({ text: 'Поделиться', url: `https://t.me/share/url?url=${encodeURIComponent(link![0])}&text=${encodeURIComponent('Запишитесь по моей ссылке и получите скидку 10% на первый визит')}` });
    expect(menuOf(shown)).toBeDefined();
    // The code is the referrer's, as the desk sees it.
    const owner = await t.app.db.db.selectFrom('referrals_codes').select('contact_id').where('tenant_id', '=', t.demoTenantId).where('code', '=', code).executeTakeFirstOrThrow();
    referrer = owner.contact_id;
    expect((await api('GET', `/api/v1/referrals/contacts/${referrer}/link`)).body.telegram).toBe(link![0]);
  });

  it('a friend by the deep link is recorded, books in the bot at 10% off, and the referrer gets 300 points when the visit completes', async () => {
    await standin.text(TOKEN, FRIEND, `/start ref_${code}`, { language: 'ru' });
    const arrived = await next(FRIEND, 3);
    expect(arrived[0].text).toBe('Добро пожаловать! На первый визит у вас скидка 10%.');
    const report = (await api('GET', '/api/v1/referrals/report')).body;
    expect(report).toMatchObject({ invited: 1, converted: 0, items: [{ referrer: { id: referrer }, converted: false }] });

    await press(FRIEND, menuOf(arrived), (l) => l === '📅 Записаться');
    await press(FRIEND, (await next(FRIEND, 1))[0], (l) => l === 'Массаж');
    await press(FRIEND, (await next(FRIEND, 1))[0], (l) => l.startsWith('Общий массаж'));
    // A specialist at the service's own price: "any" may be Наталья at her 4,200 ₽, depending on the hour.
    await press(FRIEND, (await next(FRIEND, 1))[0], (l) => l.startsWith('Ольга Смирнова'));
    await press(FRIEND, (await next(FRIEND, 1))[0], (l) => !l.startsWith('✕'));
    await press(FRIEND, (await next(FRIEND, 1))[0], (l) => /^\d\d:\d\d$/.test(l));
    await next(FRIEND, 1);
    await standin.text(TOKEN, FRIEND, 'Марина');
    await next(FRIEND, 1);
    await standin.contact(TOKEN, FRIEND, '+7 (916) 555-90-12');
    await press(FRIEND, (await next(FRIEND, 1))[0], (l) => l.startsWith('✅'));
    // The friend holds no points, so the points offer after the confirmation goes on at once.
    const [booked] = await next(FRIEND, 1);
    expect(booked.text).toContain('Вы записаны');

    const service = (await t.api('GET', '/api/v1/public/demo/services')).body.items.find((s: any) => s.name.startsWith('Общий массаж'));
    const [booking] = (await api('GET', '/api/v1/bookings?q=5559012')).body.items;
    // The chat's contact, made when the friend arrived by the link (it keeps the Telegram name it got then).
    expect(booking).toMatchObject({ source: 'chat', status: 'confirmed', client: { id: report.items[0].friend.id, phone: '+79165559012' } });
    expect(booking.price).toBe(Math.round(service.price * 0.9 * 100) / 100);
    expect(booking.price).toBeLessThan(service.price);

    // The visit happens: the clock moves past its end before the desk completes it.
    t.clock.set(new Date(new Date(booking.end).getTime() + 10 * 60_000));
    expect(await points(referrer)).toBe(0);
    for (const status of ['arrived', 'completed']) expect((await api('PATCH', `/api/v1/bookings/${booking.id}`, { status })).status).toBe(200);
    await expect.poll(() => points(referrer), { timeout: 10_000 }).toBe(300);
    expect((await api('GET', `/api/v1/loyalty/accounts/${referrer}`)).body.entries[0]).toMatchObject({ kind: 'referral-bonus', points: 300, balanceAfter: 300 });
    expect((await api('GET', '/api/v1/referrals/report')).body).toMatchObject({ invited: 1, converted: 1, pointsPaid: 300, items: [{ referrer: { id: referrer }, friend: { id: booking.client.id }, converted: true, points: 300 }] });

    // The referrer sees them in "My points".
    await standin.text(TOKEN, REFERRER, '/points', { language: 'ru' });
    const [mine] = await next(REFERRER, 3);
    expect(mine.text).toContain('Ваши баллы: 300');
    expect(mine.text).toContain('+300 · визит друга');
  });

  it('the booking flow offers the referrer\'s points after the confirmation and holds them on "pay"', async () => {
    await standin.text(TOKEN, REFERRER, '/book', { language: 'ru' });
    await press(REFERRER, (await next(REFERRER, 1))[0], (l) => l === 'Массаж');
    await press(REFERRER, (await next(REFERRER, 1))[0], (l) => l.startsWith('Общий массаж'));
    await press(REFERRER, (await next(REFERRER, 1))[0], (l) => l.startsWith('👥'));
    await press(REFERRER, (await next(REFERRER, 1))[0], (l) => !l.startsWith('✕'));
    await press(REFERRER, (await next(REFERRER, 1))[0], (l) => /^\d\d:\d\d$/.test(l));
    await next(REFERRER, 1);
    await standin.text(TOKEN, REFERRER, 'Ольга');
    await next(REFERRER, 1);
    await standin.contact(TOKEN, REFERRER, '+7 (916) 555-90-13');
    await press(REFERRER, (await next(REFERRER, 1))[0], (l) => l.startsWith('✅'));
    const [booked, offer] = await next(REFERRER, 2);
    expect(booked.text).toContain('Вы записаны');
    const [booking] = (await api('GET', '/api/v1/bookings?q=5559013')).body.items;
    const offered = Math.min(300, Math.floor(booking.price / 2));
    expect(offer.text).toBe(`Оплатить ${offered} баллами из 300 доступных?`);
    await press(REFERRER, offer, (l) => l === `Оплатить ${offered} баллами`);
    expect((await next(REFERRER, 1))[0].text).toContain(`${offered} баллов отложено на этот визит`);
    expect((await api('GET', `/api/v1/loyalty/bookings/${booking.id}/tenders`)).body.items).toEqual([{ kind: 'points', status: 'held', amount: offered, points: offered, certificateNumber: null }]);
    expect(await points(referrer)).toBe(300 - offered);
  });
});
