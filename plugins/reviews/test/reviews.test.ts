/**
 * The reviews plugin through the real app, one boot: a completed visit → the request 2 h later on the moved
 * clock (never at night) → ⭐ taps in Telegram over the Bot API stand-in → the low-rating task, the thanks and
 * prepayment's tip offer (paid through the Telegram test provider, recorded for the specialist), consent,
 * publishing, the public list without the phone, the link page of emails, the inbox and stats, the rating next to
 * the specialist in booking's picker, and — notifications switched on at the end — the low-rating alert in a
 * linked manager's Telegram chat.
 */
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inlineButtons } from '../../../test/helpers/bot-api-standin.js';
import { startSmtp, type TestSmtp } from '../../../test/helpers/smtp.js';
import { startNodeTurnKit, type NodeTurnKit } from '../../../test/helpers/node-turn.js';
import { until } from '../../../test/helpers/wait.js';
import type { PluginContext } from '../../../plugin-sdk.js';
import { outsideQuietHours } from '../lib/send-time.js';
import { moveToEleven, reviewedService, visitMaker } from './visits.js';

let kit: NodeTurnKit;
let token: string;
let botId: string;
let botToken: string;
let ctx: PluginContext;
let serviceId: string;
let smtp: TestSmtp;
const ZONE = 'Europe/Moscow';
const MIN = 60_000;
const TIP_OFFER = 'leave a tip for your specialist';

const t = () => kit.t;
const api = (method: string, url: string, body?: unknown, as = token) => t().api(method, url, { token: as, tenant: 'demo', body });
const db = () => t().app.db.db;

beforeAll(async () => {
  [kit, smtp] = await Promise.all([startNodeTurnKit({ plugins: ['reviews', 'prepayment', 'notifications'], config: { smtpAllowPrivate: true } }), startSmtp({ starttls: false })]);
  token = kit.token;
  // Notifications stays off until its own case at the end: until then the task alone tells the managers, and no
  // booking confirmations crowd the clients' chats.
  expect((await api('PUT', '/api/v1/plugins/notifications/enabled', { enabled: false })).status).toBe(200);
  // Prepayment takes money through Telegram's test provider (as its own tests do): the tip offer needs a way to pay.
  expect((await api('PUT', '/api/v1/plugins/prepayment/config', { config: { telegram: { providerToken: '381764678:TEST:100500', refundVia: 'none' } } })).status).toBe(200);
  const bot = await db().selectFrom('bots').select(['id']).where('tenant_id', '=', t().demoTenantId).where('name', '=', 'Kit bot').executeTakeFirstOrThrow();
  botId = bot.id;
  botToken = kit.standin.calls.find((c) => c.method === 'setWebhook')!.token;
  ctx = t().app.host.get('reviews').ctx;
  serviceId = await reviewedService(kit);
  completedVisit = visitMaker(kit, { botId, serviceId, firstChat: 777_000 });
});
afterAll(async () => { await kit?.close(); await smtp?.close(); });

let completedVisit: ReturnType<typeof visitMaker>;

const elevenInTheMorning = () => moveToEleven(kit);

/**
 * The first message to the chat after its first `since` whose text contains `text`: a reply to a tap and what
 * the outbox sends in the same transaction (the tip offer) may arrive in either order.
 */
const sentAfter = (chatId: number, since: number, text: string) =>
  until(`"${text}" in chat ${chatId}`, () => kit.standin.sent(chatId).slice(since).find((m) => m.text?.includes(text)));

const press = async (chatId: number, label: string) => {
  const button = kit.standin.sent(chatId).flatMap((m) => inlineButtons(m)).reverse().find((b) => b.text === label);
  if (!button) throw new Error(`no button ${label} in ${JSON.stringify(kit.standin.sent(chatId).map((m) => m.text))}`);
  const before = kit.standin.sent(chatId).length;
  expect((await kit.standin.press(botToken, chatId, button.callback_data)).status).toBe(200);
  return (await kit.standin.waitForSent(chatId, before + 1)).at(-1)!;
};

describe('reviews', () => {
  it('keeps a request out of the night, in the zone\'s wall clock across DST', () => {
    const business = { timezone: 'Europe/Berlin', quietHours: null };
    // 20:30 on the night clocks go forward (29 March 2026): asked at 10:00 local, now UTC+2.
    expect(outsideQuietHours(new Date('2026-03-28T21:30:00+01:00'), business).toISOString()).toBe('2026-03-29T08:00:00.000Z');
    expect(outsideQuietHours(new Date('2026-03-29T03:00:00+02:00'), business).toISOString()).toBe('2026-03-29T08:00:00.000Z');
    expect(outsideQuietHours(new Date('2026-03-29T12:00:00+02:00'), business).toISOString()).toBe('2026-03-29T10:00:00.000Z');
    const own = { timezone: 'Europe/Berlin', quietHours: { from: '22:00', to: '08:00' } };
    expect(outsideQuietHours(new Date('2026-10-25T21:00:00+01:00'), own).toISOString()).toBe('2026-10-25T20:00:00.000Z');
    expect(outsideQuietHours(new Date('2026-10-25T23:00:00+01:00'), own).toISOString()).toBe('2026-10-26T07:00:00.000Z');
  });

  it('the specialist picker shows each specialist\'s rating (the demo\'s reviews)', async () => {
    await until('the demo reviews', async () => (await db().selectFrom('reviews_reviews').select('id').where('tenant_id', '=', t().demoTenantId).execute()).length > 0);
    const turn = await kit.runNodeTurn({ nodeType: 'booking.pick-specialist', vars: { bookingServiceId: serviceId } });
    const labels = turn.messages.flatMap((m) => inlineButtons(m)).map((b) => b.text);
    expect(labels.some((l) => /★ \d\.\d · \d+ reviews/.test(l))).toBe(true);
  });

  let low: Awaited<ReturnType<typeof completedVisit>>;
  it('sends the one-tap rating 2 hours after the visit is completed, not before', async () => {
    elevenInTheMorning();
    token = await t().login(t().owner.email, t().owner.password);
    low = await completedVisit('Anna Petrova');
    const completedAt = t().clock.nowMs();
    expect(low.request.status).toBe('scheduled');
    expect(Math.abs(low.request.due_at.getTime() - (completedAt + 120 * MIN))).toBeLessThan(MIN);
    expect(kit.standin.sent(low.chatId)).toHaveLength(0);
    t().clock.advance(121 * MIN);
    const [request] = await kit.standin.waitForSent(low.chatId, 1);
    expect(request.text).toContain('how was your visit');
    expect(inlineButtons(request).map((b) => b.text)).toEqual(['⭐1', '⭐2', '⭐3', '⭐4', '⭐5']);
    expect((await db().selectFrom('reviews_requests').select('status').where('id', '=', low.request.id).executeTakeFirstOrThrow()).status).toBe('sent');
  });

  it('⭐2 opens the "call the client" task at once and tells the client someone will call; a second tap changes nothing', async () => {
    const reply = await press(low.chatId, '⭐2');
    expect(reply.text).toContain('A manager will get in touch');
    expect(inlineButtons(reply).map((b) => b.text)).toEqual(['Add a comment']);
    const tasks = (await api('GET', `/api/v1/tasks?contactId=${low.contactId}`)).body.items;
    expect(tasks).toMatchObject([{ kind: 'call-client', pluginId: 'reviews', bookingId: low.bookingId, status: 'open', data: { rating: 2 } }]);
    expect(tasks[0].title.en).toContain('2 ★ from Anna Petrova');
    expect(tasks[0].body.en).toMatch(/Low rating 2 ★ from Anna Petrova: .+ with .+/);
    // The request message still shows its buttons in the chat history the stand-in keeps: tapping ⭐5 later is stale.
    const again = await press(low.chatId, '⭐5');
    expect(again.text).toContain('already rated this visit: 2 ★');
    expect(await db().selectFrom('reviews_reviews').select('rating').where('booking_id', '=', low.bookingId).execute()).toEqual([{ rating: 2 }]);
    expect((await api('GET', `/api/v1/tasks?contactId=${low.contactId}`)).body.items).toHaveLength(1);
    // Rated: the reminder is off.
    expect(await db().selectFrom('plugin_jobs').select('id').where('plugin_id', '=', 'reviews').where('key', '=', `remind:${low.bookingId}`).execute()).toEqual([]);
  });

  let high: Awaited<ReturnType<typeof completedVisit>>;
  it('⭐5 thanks the client and asks to publish; with consent staff publish it and it appears publicly without the phone', async () => {
    high = await completedVisit('Boris Sidorov');
    t().clock.advance(121 * MIN);
    await kit.standin.waitForSent(high.chatId, 1);
    const since = kit.standin.sent(high.chatId).length;
    await press(high.chatId, '⭐5');
    const thanks = await sentAfter(high.chatId, since, 'Thank you for the rating');
    expect(inlineButtons(thanks).map((b) => b.text)).toEqual(['Yes, publish it', 'Add a comment']);
    const review = await db().selectFrom('reviews_reviews').selectAll().where('booking_id', '=', high.bookingId).executeTakeFirstOrThrow();
    expect(review).toMatchObject({ rating: 5, author: 'Boris S.', publish_consent: false, status: 'new' });
    const refused = await api('PATCH', `/api/v1/reviews/${review.id}`, { status: 'published' });
    expect(refused).toMatchObject({ status: 409, body: { code: 'BF_ERR_REVIEWS_NO_CONSENT', details: { id: review.id } } });

    const consentAsked = kit.standin.sent(high.chatId).length;
    await press(high.chatId, 'Yes, publish it');
    await sentAfter(high.chatId, consentAsked, 'may now appear');
    expect((await api('PATCH', `/api/v1/reviews/${review.id}`, { status: 'published' })).body).toMatchObject({ status: 'published', publishConsent: true });
    const pub = await t().api('GET', '/api/v1/public/demo/reviews?limit=100');
    expect(pub.status).toBe(200);
    const mine = pub.body.items.find((r: any) => r.id === review.id);
    expect(mine).toMatchObject({ rating: 5, author: 'Boris S.', specialists: [expect.any(String)] });
    const raw = JSON.stringify(pub.body);
    for (const secret of [`+7916${high.chatId}`, `7916${high.chatId}`, high.contactId, 'Sidorov', String(high.chatId)]) expect(raw).not.toContain(secret);
    expect(pub.body.items.some((r: any) => r.rating === 2 && r.author === 'Anna P.')).toBe(false);
  });

  it('⭐5 brings prepayment\'s tip offer (⭐2 does not); paying it in the chat records the tip for the visit\'s specialist', async () => {
    const offer = await sentAfter(high.chatId, 0, TIP_OFFER);
    const options = inlineButtons(offer);
    expect(options.map((b) => b.text)).toEqual([expect.stringMatching(/^5% — /), expect.stringMatching(/^10% — /), expect.stringMatching(/^15% — /)]);
    // Anna rated before Boris: had her ⭐2 brought an offer, it would be in her chat by now.
    expect(kit.standin.sent(low.chatId).some((m) => m.text?.includes(TIP_OFFER))).toBe(false);
    // Once per visit: the desk's own button finds the offer reviews made.
    expect((await api('POST', `/api/v1/prepayment/bookings/${high.bookingId}/tip-offer`)).body).toEqual({ offered: false });

    const visit = (await ctx.service('booking').getBooking(t().demoTenantId, high.bookingId))!;
    const tenPercent = Math.round((visit.price.amount * 10) / 100);
    expect(tenPercent).toBeGreaterThan(0);
    const invoices = kit.standin.invoices(high.chatId).length;
    expect((await kit.standin.press(botToken, high.chatId, options[1].callback_data)).status).toBe(200);
    const invoice = await until('the tip invoice', () => kit.standin.invoices(high.chatId)[invoices]);
    expect(invoice).toMatchObject({ currency: visit.price.currency, prices: [{ amount: tenPercent }], provider_token: '381764678:TEST:100500' });
    // The demo's seeded history has tips of its own: the report is compared with itself before this one.
    const day = DateTime.fromJSDate(t().clock.now(), { zone: ZONE });
    const finance = async () => (await api('GET', `/api/v1/prepayment/finance?from=${day.minus({ days: 7 }).toISODate()}&to=${day.plus({ days: 7 }).toISODate()}`)).body;
    const earlier = await finance();
    const since = kit.standin.sent(high.chatId).length;
    expect((await kit.standin.checkout(botToken, high.chatId, invoice)).ok).toBe(true);
    await sentAfter(high.chatId, since, 'Thank you for the tip');

    const report = await until('the tip in the finance report', async () => {
      const body = await finance();
      return body.totals?.tips > earlier.totals.tips && body;
    });
    const specialist = (await ctx.service('booking').resources(t().demoTenantId, high.staffId)).find((r) => r.kind === 'staff')!;
    const tipsOf = (r: any) => r.bySpecialist.find((s: any) => s.specialistId === specialist.id)?.tips ?? 0;
    expect(report.totals.tips - earlier.totals.tips).toBe(tenPercent);
    expect(tipsOf(report) - tipsOf(earlier)).toBe(tenPercent);
  });

  it('the embeddable block: HTML and CSS only, framable by any site, no cookies', async () => {
    const res = await fetch(`${t().url}/api/v1/public/demo/reviews/embed`);
    const body = await res.text();
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toContain('frame-ancestors *');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(res.headers.get('x-frame-options')).toBeNull();
    expect(res.headers.get('set-cookie')).toBeNull();
    expect(body).toContain('Boris S.');
    expect(body).not.toMatch(/<script/i);
    expect((await t().api('GET', '/api/v1/public/no-such-business/reviews')).status).toBe(404);
  });

  it('no request for a client who opted out; an unanswered request is reminded once', async () => {
    const out = await completedVisit('Olga Out', { marketing: false });
    expect(out.request).toMatchObject({ status: 'skipped', skip_reason: 'opted-out' });
    const quiet = await completedVisit('Clara Quiet');
    t().clock.advance(121 * MIN);
    await kit.standin.waitForSent(quiet.chatId, 1);
    t().clock.advance(24 * 60 * MIN);
    const [, reminder] = await kit.standin.waitForSent(quiet.chatId, 2);
    expect(reminder.text).toContain('we would love to hear');
    await until('the reminder to be noted', async () => (await db().selectFrom('reviews_requests').select('reminded_at').where('id', '=', quiet.request.id).executeTakeFirstOrThrow()).reminded_at);
    t().clock.advance(48 * 60 * MIN);
    token = await t().login(t().owner.email, t().owner.password);
    expect(kit.standin.sent(out.chatId)).toHaveLength(0);
    const jobs = await db().selectFrom('plugin_jobs').select('status').where('plugin_id', '=', 'reviews').where('key', 'in', [`remind:${quiet.bookingId}`, `request:${out.bookingId}`]).execute();
    expect(jobs.every((j) => j.status === 'done')).toBe(true);
    expect(kit.standin.sent(quiet.chatId)).toHaveLength(2);
  });

  it('the link page of emails and SMS: opening rates nothing, the form rates once with a comment and consent', async () => {
    const visit = await completedVisit('Dana Mail', { telegram: false });
    const row = await db().selectFrom('reviews_requests').select('token_sealed').where('id', '=', visit.request.id).executeTakeFirstOrThrow();
    const link = `${t().url}/api/v1/public/demo/reviews/rate/${ctx.secrets.decrypt(row.token_sealed)}`;
    const opened = await fetch(`${link}?rating=4`);
    expect(opened.status).toBe(200);
    expect(await opened.text()).toContain('name="rating" value="4" autofocus');
    expect(await db().selectFrom('reviews_reviews').select('id').where('booking_id', '=', visit.bookingId).execute()).toHaveLength(0);
    const form = (fields: Record<string, string>) => fetch(link, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields).toString() });
    const posted = await form({ rating: '4', comment: 'Lovely <b>place</b>', publish: 'on' });
    const page = await posted.text();
    expect(posted.status).toBe(200);
    expect(page).toContain('Lovely &lt;b&gt;place&lt;/b&gt;');
    expect((await form({ rating: '1', comment: 'changed my mind' })).status).toBe(200);
    expect(await db().selectFrom('reviews_reviews').select(['rating', 'comment', 'publish_consent']).where('booking_id', '=', visit.bookingId).execute())
      .toEqual([{ rating: 4, comment: 'changed my mind', publish_consent: false }]);
    // A 4 from a client no chat reaches brings no tip offer: its amounts are buttons to tap, which email and SMS drop.
    expect(await db().selectFrom('messages').select('status').where('tenant_id', '=', t().demoTenantId).where('idempotency_key', 'like', `%tip-offer:${visit.bookingId}`).execute()).toEqual([]);
    expect((await fetch(link.replace(/.{4}$/, 'AAAA'))).status).toBe(404);
    expect((await form({ rating: '9' })).status).toBe(400);
  });

  it('an email carries the five stars as links to the page', async () => {
    const saved = await api('PUT', '/api/v1/channels/email', { host: '127.0.0.1', port: smtp.port, security: 'none', fromAddress: 'hello@salon.test', fromName: 'Demo' });
    expect(saved.status).toBe(200);
    await completedVisit('Eva Email', { telegram: false, email: 'eva@client.test' });
    t().clock.advance(121 * MIN);
    const mail = await until('the rating email', () => smtp.received.find((m) => m.to.includes('eva@client.test')));
    const links = [...String(mail.mail.html).matchAll(/href="([^"]+\/reviews\/rate\/[^"]+)"/g)].map((m) => m[1].replace(/&amp;/g, '&'));
    expect(links.map((l) => new URL(l).searchParams.get('rating'))).toEqual(['1', '2', '3', '4', '5']);
    expect(links[0]).toMatch(/^https:\/\/kit\.example\.test\/api\/v1\/public\/demo\/reviews\/rate\//);
    const page = await fetch(`${t().url}${new URL(links[4]).pathname}?rating=5`);
    expect(await page.text()).toContain('name="rating" value="5" autofocus');
  });

  it('the inbox filters by rating, specialist, service and period; staff reply through the outbox; a specialist may not', async () => {
    const byRating = (await api('GET', '/api/v1/reviews?rating=1,2')).body;
    expect(byRating.items.map((r: any) => r.clientName)).toContain('Anna Petrova');
    expect(byRating.items.every((r: any) => r.rating <= 2)).toBe(true);
    const bySpecialist = (await api('GET', `/api/v1/reviews?resourceId=${high.staffId[0]}&serviceId=${serviceId}`)).body;
    expect(bySpecialist.items.map((r: any) => r.bookingId)).toContain(high.bookingId);
    const future = new Date(t().clock.nowMs() + 30 * 86_400_000).toISOString();
    // Broadcasts is not loaded here: there is nobody to share a review with.
    expect((await api('GET', `/api/v1/reviews?from=${encodeURIComponent(future)}`)).body).toEqual({ total: 0, items: [], canShare: false, canPostToChannel: false });
    expect((await api('GET', '/api/v1/reviews?rating=0')).status).toBe(400);

    const review = byRating.items.find((r: any) => r.clientName === 'Anna Petrova');
    const sent = await api('POST', `/api/v1/reviews/${review.id}/reply`, { text: 'We are so sorry, Anna. Your next visit is on us.' });
    expect(sent.body).toMatchObject({ status: 'queued' });
    expect((await api('POST', `/api/v1/reviews/${review.id}/reply`, { text: 'We are so sorry, Anna. Your next visit is on us.' })).body.id).toBe(sent.body.id);
    await until('the reply to reach the chat', () => kit.standin.sent(low.chatId).some((m) => m.text.includes('next visit is on us')));
    const specialist = await t().addMember(token, 'spec@reviews.test', 'specialist');
    expect((await api('GET', '/api/v1/reviews', undefined, specialist.token)).status).toBe(403);
    expect((await api('POST', '/api/v1/reviews/00000000-0000-4000-8000-000000000000/post')).body.code).toBe('BF_ERR_REVIEWS_NOT_FOUND');
  });

  it('averages per specialist and service with a weekly trend', async () => {
    const from = new Date(t().clock.nowMs() - 90 * 86_400_000).toISOString();
    const to = new Date(t().clock.nowMs() + 30 * 86_400_000).toISOString();
    const stats = (await api('GET', `/api/v1/reviews/stats?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`)).body;
    const service = stats.services.find((s: any) => s.id === serviceId);
    expect(service.count).toBeGreaterThanOrEqual(3);
    expect(service.trend.length).toBeGreaterThanOrEqual(1);
    expect(stats.specialists.length).toBeGreaterThan(0);
    expect(stats.specialists[0]).toMatchObject({ name: expect.any(String), average: expect.any(Number), trend: expect.any(Array) });
    expect((await api('GET', `/api/v1/reviews/stats?from=${encodeURIComponent(to)}&to=${encodeURIComponent(from)}`)).status).toBe(400);

  });

  it('the demo business has reviews, most of them public', async () => {
    const pub = await until('the demo reviews', async () => ((await t().api('GET', '/api/v1/public/demo/reviews')).body.count >= 5 ? (await t().api('GET', '/api/v1/public/demo/reviews')).body : null));
    expect(pub.average).toBeGreaterThan(4);
  });

  it('⭐4 brings the tip offer too', async () => {
    elevenInTheMorning();
    token = await t().login(t().owner.email, t().owner.password);
    const four = await completedVisit('Vera Chetverikova');
    t().clock.advance(121 * MIN);
    await sentAfter(four.chatId, 0, 'how was your visit');
    await press(four.chatId, '⭐4');
    await sentAfter(four.chatId, 1, 'Thank you for the rating');
    expect(inlineButtons(await sentAfter(four.chatId, 1, TIP_OFFER))).toHaveLength(3);
  });

  // Last: from here on notifications is on for the business.
  it('with notifications on, ⭐2 alerts a manager\'s linked Telegram within seconds, naming the client, the service and the specialist', async () => {
    expect((await api('PUT', '/api/v1/plugins/notifications/enabled', { enabled: true })).status).toBe(200);
    const manager = await t().addMember(token, 'manager@reviews.test', 'manager', { name: 'Mila Manager' });
    // The member links their Telegram as the studio has them do: a one-time code in the bot's deep link. The demo's
    // own staff flow answers the demo bot only; this one, like it, answers the kit's bot.
    const flow = await api('POST', '/api/v1/flows', { key: 'staff-link', name: 'Staff', graph: {
      schemaVersion: 1, variables: [{ name: 'startPayload', type: 'string' }],
      nodes: [
        { id: 'start', type: 'trigger.deeplink', position: { x: 0, y: 0 }, settings: { prefix: 'staff-', saveAs: 'startPayload' } },
        { id: 'link', type: 'notifications.link-staff', position: { x: 0, y: 0 }, settings: {} },
      ],
      edges: [{ id: 'e1', source: 'start', sourcePort: 'next', target: 'link' }],
    } });
    expect((await api('POST', `/api/v1/flows/${flow.body.id}/publish`)).status).toBe(200);
    const code = await api('POST', '/api/v1/notifications/staff/link-code', undefined, manager.token);
    expect(code.status).toBe(201);
    const managerChat = 990_001;
    await kit.standin.text(botToken, managerChat, `/start ${code.body.start}`);
    expect((await kit.standin.waitForSent(managerChat, 1))[0].text).toContain('Mila Manager');
    expect((await api('GET', '/api/v1/notifications/staff/me', undefined, manager.token)).body).toMatchObject({ linked: true });

    const visit = await completedVisit('Lev Lowe');
    t().clock.advance(121 * MIN);
    await sentAfter(visit.chatId, 0, 'how was your visit');
    const since = kit.standin.sent(visit.chatId).length;
    const tappedAt = Date.now();
    await press(visit.chatId, '⭐2');
    await sentAfter(visit.chatId, since, 'A manager will get in touch');
    const alert = await until('the alert in the manager\'s chat', () => kit.standin.calls.find((c) => c.method === 'sendMessage' && c.status === 200
      && String(c.payload.chat_id) === String(managerChat) && c.payload.text.includes('Lev Lowe') && c.payload.text.includes('2 ★')));
    // "Within seconds" (the words): a bound for a loaded machine, not a timing goal.
    expect(alert.at - tappedAt).toBeLessThan(10_000);
    // A tap opens the client's card in the studio (the demo business speaks Russian).
    expect(alert.payload.reply_markup.inline_keyboard.flat()).toContainEqual({ text: '🔗 Открыть в студии', url: `https://kit.example.test/studio/contacts/${visit.contactId}` });
    const names = await ctx.service('booking').names(t().demoTenantId, { serviceIds: [serviceId], resourceIds: visit.staffId });
    expect(alert.payload.text).toContain(names.services[0].name);
    for (const r of names.resources.filter((x) => x.kind === 'staff')) expect(alert.payload.text).toContain(r.name);
    const tasks = (await api('GET', `/api/v1/tasks?contactId=${visit.contactId}`)).body.items;
    expect(tasks).toMatchObject([{ kind: 'call-client', pluginId: 'reviews', bookingId: visit.bookingId, status: 'open', data: { rating: 2 } }]);
  });
});
