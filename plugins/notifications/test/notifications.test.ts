/**
 * The notifications plugin through the real app, one boot: bookings made over HTTP, the app's clock moved to each
 * reminder's time, clients and staff pressing buttons in the Bot API stand-in, SMS through the SMS.ru stand-in, email
 * through a real SMTP server in the process.
 * The clock only moves forward, through one day D (a Monday at least a week ahead) of a salon in Moscow (UTC+3).
 */
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../test/helpers/app.js';
import { BotApiStandIn, inlineButtons, type SentMessage } from '../../../test/helpers/bot-api-standin.js';
import { SmsRuStandIn } from '../../../test/helpers/sms-standin.js';
import { startSmtp, type TestSmtp } from '../../../test/helpers/smtp.js';
import { makeContact } from '../../../test/helpers/contacts.js';
import { until } from '../../../test/helpers/wait.js';
import { processClock } from '../../../test/helpers/app.js';
import { quietStart, reminderTimes } from '../lib/reminder-times.js';
import { notificationsService } from '../lib/staff-alerts.js';

const HOUR = 3_600_000;
const SMS_KEY = 'B1C2D3E4-0000-1111-2222-333344445555';
let t: TestApp;
let tg: BotApiStandIn;
let sms: SmsRuStandIn;
let smtp: TestSmtp;
interface Salon {
  tenant: string;
  tenantId: string;
  staff: string[];
  roomId: string;
  serviceId: string;
  api: (method: string, path: string, body?: unknown) => Promise<{ status: number; body: any }>;
}
let s: Salon;
let botToken: string;
let botId: string;
/** A Monday at least a week after the process clock's today: surely ahead, whatever the date of the run. */
const D = (() => {
  const now = processClock.now();
  const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 7));
  while (d.getUTCDay() !== 1) d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
})();
const at = (day: string, hhmm: string) => new Date(`${day}T${hhmm}:00.000Z`);
const dayAfter = (day: string, n = 1) => new Date(Date.parse(`${day}T00:00:00Z`) + n * 24 * HOUR).toISOString().slice(0, 10);
const Dm1 = dayAfter(D, -1);

beforeAll(async () => {
  tg = await BotApiStandIn.start();
  tg.limits = null;
  sms = await SmsRuStandIn.start();
  sms.apiIds.add(SMS_KEY);
  sms.approvedSenders.add('Salon');
  smtp = await startSmtp();
  t = await startTestApp({ plugins: ['notifications'], config: { telegramApiRoot: tg.url, publicUrl: 'https://notif.example.test', smsRuApiRoot: sms.url, smtpAllowPrivate: true } });
  tg.webhookTarget = t.url;
  // 30 hours before the first visit of the day, at 11:00 Moscow.
  t.clock.set(at(Dm1, '02:00'));
  s = await salon();
  botToken = `${700000 + Math.floor(Math.random() * 99999)}:notif-${crypto.randomBytes(12).toString('hex')}`;
  const bot = await s.api('POST', '/api/v1/bots', { name: 'Salon bot', token: botToken });
  expect(bot.status, JSON.stringify(bot.body)).toBe(201);
  botId = bot.body.id;
  expect((await s.api('PUT', '/api/v1/channels/sms', { provider: 'smsru', apiId: SMS_KEY, sender: 'Salon' })).status).toBe(200);
  expect((await s.api('PUT', '/api/v1/channels/email', { host: '127.0.0.1', port: smtp.port, security: 'none', fromAddress: 'hello@salon.test', fromName: 'Test salon' })).status).toBe(200);
  // Night-time reminders are the quiet-hours test's; here every reminder keeps its exact time.
  expect((await s.api('PUT', '/api/v1/plugins/notifications/config', { config: { quietHours: null, businessPhone: '+7 495 000-00-00' } })).status).toBe(200);
});
afterAll(async () => {
  if (process.env.NF_DEBUG) console.log(JSON.stringify(await t.app.db.db.selectFrom('messages').select(['conversation_key', 'contact_id', 'status', 'reason', 'channel', 'idempotency_key', 'not_before']).where('tenant_id', '=', s.tenantId).orderBy('seq').execute(), null, 0).replace(/},/g, '},\n'));
  if (process.env.NF_DEBUG) console.log(JSON.stringify(await t.app.db.db.selectFrom('plugin_jobs').select(['name', 'key', 'status', 'run_at', 'attempts', 'last_error']).where('tenant_id', '=', s.tenantId).execute(), null, 0).replace(/},/g, '},\n'));
  await t?.close();
  await tg?.close();
  await sms?.close();
  await smtp?.close();
});

/** A salon in Moscow: two therapists working 10:00–19:00 (break 14–15) every day, one room, a 60-minute massage. */
async function salon(): Promise<Salon> {
  await signIn();
  const tenant = `n-${crypto.randomBytes(4).toString('hex')}`;
  const created = await t.api('POST', '/api/v1/tenants', { token, body: { slug: tenant, name: 'Test salon', timezone: 'Europe/Moscow', locale: 'ru', currency: 'RUB' } });
  expect(created.status).toBe(201);
  const api: Salon['api'] = (method, path, body) => t.api(method, path, { token, tenant, body });
  const ok = async (method: string, path: string, body?: unknown) => {
    const res = await api(method, path, body);
    expect(res.status, `${method} ${path}: ${JSON.stringify(res.body)}`).toBeLessThan(300);
    return res.body;
  };
  await ok('PUT', '/api/v1/plugins/booking/config', { config: { minNoticeMinutes: 0, slotStepMinutes: 30 } });
  const dep = await ok('POST', '/api/v1/booking/departments', { name: 'Массаж' });
  const staff: string[] = [];
  for (const name of ['Мастер 1', 'Мастер 2']) {
    const r = await ok('POST', '/api/v1/booking/resources', { departmentId: dep.id, kind: 'staff', name });
    await ok('PUT', `/api/v1/booking/resources/${r.id}/schedule`, { intervals: [1, 2, 3, 4, 5, 6, 7].flatMap((weekday) => [{ weekday, startMin: 600, endMin: 840 }, { weekday, startMin: 900, endMin: 1140 }]) });
    staff.push(r.id);
  }
  const room = await ok('POST', '/api/v1/booking/resources', { departmentId: dep.id, kind: 'room', name: 'Кабинет 1' });
  const service = await ok('POST', '/api/v1/booking/services', { departmentId: dep.id, name: 'Классический массаж', durationMin: 60, price: 3000, resourceIds: [room.id] });
  await ok('PUT', `/api/v1/booking/services/${service.id}/staff`, { items: staff.map((resourceId) => ({ resourceId })) });
  return { tenant, tenantId: created.body.id, staff, roomId: room.id, serviceId: service.id, api };
}

let chats = 5000;
async function client(name: string, extra: Array<{ kind: 'phone'; value: string }> = []) {
  const chat = ++chats;
  const c = await makeContact(t.app.db.db, s.tenantId, { name, locale: 'en', identities: [{ kind: 'telegram', value: String(chat), botId }, ...extra] });
  return { id: c.id, chat };
}
const book = async (clientId: string, start: Date, resourceIds?: string[]) => {
  const res = await s.api('POST', '/api/v1/bookings', { serviceId: s.serviceId, start: start.toISOString(), client: { id: clientId }, ...(resourceIds ? { resourceIds } : {}) });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { id: string; start: string; resourceIds: string[] };
};
const reminders = (bookingId: string) => t.app.db.db.selectFrom('notifications_reminders').select(['offset_min', 'run_at']).where('tenant_id', '=', s.tenantId).where('booking_id', '=', bookingId).orderBy('run_at').execute();
/** Waits until the chat has `n` messages from the bot, and answers the last. */
const nth = async (chat: number, n: number): Promise<SentMessage> => (await tg.waitForSent(chat, n))[n - 1];
const press = async (chat: number, m: SentMessage, label: RegExp) => {
  const button = inlineButtons(m).find((b) => label.test(b.text));
  if (!button) throw new Error(`no button ${label} in ${JSON.stringify(inlineButtons(m).map((b) => b.text))}`);
  const res = await tg.press(botToken, chat, button.callback_data);
  expect(res.status).toBe(200);
};
const status = async (id: string) => (await t.app.host.get('notifications').ctx.service('booking').getBooking(s.tenantId, id))!;
/** Moves the app's clock, then lets the due jobs run. */
const moveTo = (when: Date) => t.clock.set(when);
/** The mails that reached an address, as plain text. */
const mailsTo = (address: string) => smtp.received.filter((m) => m.to.includes(address)).map((m) => ({ subject: m.mail.subject ?? '', text: m.mail.text ?? '' }));
let token = '';
/** A fresh sign-in after the clock moved past the last one's lifetime. */
const signIn = async () => {
  token = await t.login(t.owner.email, t.owner.password);
};

describe('reminder times', () => {
  it('skips offsets already past, moves night ones earlier (never later), across DST', () => {
    const start = at(D, '08:00');
    expect(reminderTimes(start, [1440, 480, 240, 60], at(Dm1, '02:00'), null, 'Europe/Moscow').map((r) => r.offset)).toEqual([1440, 480, 240, 60]);
    expect(reminderTimes(start, [1440, 480, 240, 60], at(D, '05:00'), null, 'Europe/Moscow').map((r) => r.offset)).toEqual([60]);
    expect(reminderTimes(start, [60], at(D, '07:30'), null, 'Europe/Moscow')).toEqual([]);
    // 8 h before 11:00 is 03:00 Moscow, in 22:00–09:00: it goes at 22:00 the evening before.
    const night = reminderTimes(start, [480], at(Dm1, '02:00'), { from: '22:00', to: '09:00' }, 'Europe/Moscow');
    expect(night).toEqual([{ offset: 480, at: at(Dm1, '19:00') }]);
    // Berlin's spring DST night (29 March 2026): 01:30 local is quiet since 22:00 CET, 21:00 UTC.
    expect(new Date(quietStart(Date.parse('2026-03-29T00:30:00Z'), { from: '22:00', to: '09:00' }, 'Europe/Berlin')!).toISOString()).toBe('2026-03-28T21:00:00.000Z');
    expect(quietStart(Date.parse('2026-03-29T08:00:00Z'), { from: '22:00', to: '09:00' }, 'Europe/Berlin')).toBeNull();
  });
});

describe('notifications', () => {
  let anna: { id: string; chat: number };
  let boris: { id: string; chat: number };
  let vera: { id: string; chat: number };
  let owner: { chat: number };
  let b1: { id: string };
  let b2: { id: string };
  let b3: { id: string };

  it('is on with its defaults for a business, and refuses a bad preview naming the field', async () => {
    const demo = (await t.api('GET', '/api/v1/plugins', { token, tenant: 'demo' })).body.items.find((p: any) => p.id === 'notifications');
    expect(demo).toMatchObject({ enabled: true, config: { reminderOffsetsMinutes: [1440, 480, 240, 60], quietHours: { from: '22:00', to: '09:00' }, channelOrder: ['telegram', 'phone', 'email'] } });
    const bad = await s.api('POST', '/api/v1/notifications/preview', { kind: 'gossip' });
    expect(bad.status).toBe(400);
    expect(bad.body.details.errors[0].path).toBe('/body/kind');
    const preview = await s.api('POST', '/api/v1/notifications/preview', { kind: 'reminder', text: { en: 'See you {{date}} at {{time}} for {{service}}, call {{phone}}' } });
    expect(preview.body.text.en).toMatch(/^See you \w+day, \d+ \w+ at 11:00 for \S+, call \+7 495 000-00-00$/);
    expect(preview.body.text.ru).toContain('Напоминаем');
    expect(preview.body.buttons.map((b: any) => b.en)).toEqual(['✅ I will come', '✖ Cancel', '🔁 Move']);
  });

  it("links the owner's Telegram through a one-time deep link code", async () => {
    const flow = await s.api('POST', '/api/v1/flows', { key: 'staff', name: 'Staff', graph: {
      schemaVersion: 1, variables: [{ name: 'startPayload', type: 'string' }],
      nodes: [
        { id: 'start', type: 'trigger.deeplink', position: { x: 0, y: 0 }, settings: { prefix: 'staff-', saveAs: 'startPayload' } },
        { id: 'link', type: 'notifications.link-staff', position: { x: 0, y: 0 }, settings: {} },
      ],
      edges: [{ id: 'e1', source: 'start', sourcePort: 'next', target: 'link' }],
    } });
    expect(flow.status, JSON.stringify(flow.body)).toBe(201);
    expect((await s.api('POST', `/api/v1/flows/${flow.body.id}/publish`)).status).toBe(200);
    const code = await s.api('POST', '/api/v1/notifications/staff/link-code');
    expect(code.status).toBe(201);
    owner = { chat: 9001 };
    await tg.text(botToken, owner.chat, '/start staff-not-a-code');
    expect((await nth(owner.chat, 1)).text).toMatch(/unknown or has expired/);
    await tg.text(botToken, owner.chat, `/start ${code.body.start}`);
    const linked = await nth(owner.chat, 2);
    expect(linked.text).toMatch(/^Здравствуйте, .*! В этот чат теперь приходят ваши уведомления/);
    expect(inlineButtons(linked).map((b) => b.text)).toContain('📅 Сегодня');
    expect((await s.api('GET', '/api/v1/notifications/staff/me')).body).toMatchObject({ linked: true });
    // Used once: the same code again links nobody.
    await tg.text(botToken, owner.chat + 1, `/start ${code.body.start}`);
    expect((await nth(owner.chat + 1, 1)).text).toMatch(/unknown or has expired/);
  });

  it('a booking 30 hours ahead is confirmed at once with the buttons and gets reminders 24, 8, 4 and 1 h before', async () => {
    anna = await client('Anna');
    b1 = await book(anna.id, at(D, '08:00'), [s.staff[0], s.roomId]);
    const created = await nth(anna.chat, 1);
    expect(created.text).toMatch(/^You are booked: Классический массаж with Мастер 1, Monday, \d+ \w+ at 11:00\./);
    expect(inlineButtons(created).map((b) => b.text)).toEqual(['✅ I will come', '✖ Cancel', '🔁 Move']);
    await until('its reminders', async () => (await reminders(b1.id)).length === 4);
    expect((await reminders(b1.id)).map((r) => [r.offset_min, r.run_at.toISOString()])).toEqual([
      [1440, at(Dm1, '08:00').toISOString()], [480, at(D, '00:00').toISOString()], [240, at(D, '04:00').toISOString()], [60, at(D, '07:00').toISOString()],
    ]);
    // The owner (an admin) hears of the new booking in Telegram.
    await until('the staff alert', () => tg.sent(owner.chat).some((m) => /^Новая запись: Классический массаж/.test(m.text)));
  });

  it('a booking whose client blocked the bot reaches them by SMS', async () => {
    const gleb = await client('Gleb', [{ kind: 'phone', value: '+79161112233' }]);
    tg.blocked.add(String(gleb.chat));
    await book(gleb.id, at(D, '12:00'), [s.staff[1], s.roomId]);
    const text = await until('the SMS', () => sms.sent.find((m) => m.to === '79161112233')?.msg);
    expect(text).toMatch(/^You are booked: Классический массаж with Мастер 2/);
    expect(tg.sent(gleb.chat)).toEqual([]);
  });

  it('a message that failed (the SMS key was refused) is listed for staff and sent again by a retry', async () => {
    const hanna = await makeContact(t.app.db.db, s.tenantId, { name: 'Hanna', locale: 'en', identities: [{ kind: 'phone', value: '+79162223344', verified: true }] });
    sms.apiIds.delete(SMS_KEY);
    await book(hanna.id, at(D, '15:00'), [s.staff[1], s.roomId]);
    const failed = await until('the failure', async () => (await s.api('GET', '/api/v1/messages/failed')).body.items.find((m: any) => m.contactId === hanna.id));
    expect(failed).toMatchObject({ status: 'failed', contactId: hanna.id });
    sms.apiIds.add(SMS_KEY);
    expect((await s.api('POST', `/api/v1/messages/${failed.id}/retry`)).body).toEqual({ id: failed.id, status: 'queued' });
    await until('the SMS sent again', () => sms.sent.some((m) => m.to === '79162223344'));
    expect((await s.api('GET', `/api/v1/messages/${failed.id}`)).body.status).toBe('sent');
    // Retrying what is not failed changes nothing.
    expect((await s.api('POST', `/api/v1/messages/${failed.id}/retry`)).body).toEqual({ id: failed.id, status: 'sent' });
  });

  it('"Confirm" pressed in Telegram confirms the booking: clientConfirmedAt in the API, the timeline', async () => {
    boris = await client('Boris');
    b2 = await book(boris.id, at(D, '09:00'), [s.staff[0], s.roomId]);
    vera = await client('Vera');
    b3 = await book(vera.id, at(D, '13:00'), [s.staff[0], s.roomId]);
    await nth(boris.chat, 1);
    await nth(vera.chat, 1);

    moveTo(at(Dm1, '08:00'));
    const reminder = await nth(anna.chat, 2);
    expect(reminder.text).toMatch(/^Reminder: Классический массаж with Мастер 1, Monday, \d+ \w+ at 11:00\.\n.*\nQuestions: \+7 495 000-00-00/s);
    await press(anna.chat, reminder, /I will come/);
    expect((await nth(anna.chat, 3)).text).toMatch(/^Thank you! See you Monday, \d+ \w+ at 11:00\.$/);
    const api = await s.api('GET', `/api/v1/bookings/${b1.id}`);
    expect(api.body.status).toBe('confirmed');
    expect(Date.parse(api.body.clientConfirmedAt)).toBeGreaterThanOrEqual(at(Dm1, '08:00').getTime());
    const history = await s.api('GET', `/api/v1/bookings/${b1.id}/history`);
    expect(history.body.items.map((h: any) => h.action)).toContain('client-confirmed');
    const timeline = await s.api('GET', `/api/v1/notifications/bookings/${b1.id}/timeline`);
    expect(timeline.body.items.map((i: any) => i.kind)).toEqual(['created', 'reminder', 'reaction:confirmed']);
    expect(timeline.body.items[1]).toMatchObject({ messageId: expect.any(String), detail: { offset: 1440, needsConfirmation: true } });
  });

  let waiter: { id: string; chat: number };
  it('"Cancel" cancels and frees the time; the waitlist offers it with a working "take it"; no reminder follows the cancel', async () => {
    waiter = await client('Wanda');
    const wait = await s.api('POST', '/api/v1/booking/waitlist', { clientId: waiter.id, serviceId: s.serviceId, resourceId: s.staff[0], day: D });
    expect(wait.status, JSON.stringify(wait.body)).toBe(201);
    // A second waiter for the same day, later in the queue: the first one is offered the time, not her.
    const later = await client('Xenia');
    expect((await s.api('POST', '/api/v1/booking/waitlist', { clientId: later.id, serviceId: s.serviceId, resourceId: s.staff[0], day: D })).status).toBe(201);
    moveTo(at(Dm1, '09:00'));
    const reminder = await nth(boris.chat, 2);
    await press(boris.chat, reminder, /Cancel/);
    expect((await nth(boris.chat, 3)).text).toMatch(/Your booking is cancelled/);
    expect((await status(b2.id)).status).toBe('cancelled');
    await until('its reminders removed', async () => (await reminders(b2.id)).length === 0);

    const offer = await nth(waiter.chat, 1);
    expect(offer.text).toMatch(/^The time you waited for is free: Классический массаж with Мастер 1, Monday, \d+ \w+ at 12:00\. It is kept for you until 12:\d\d\.$/);
    await press(waiter.chat, offer, /Take it/);
    expect((await nth(waiter.chat, 2)).text).toMatch(/^Done! You are booked: Классический массаж, Monday, \d+ \w+ at 12:00\.$/);
    const taken = (await s.api('GET', '/api/v1/booking/waitlist?status=booked')).body.items[0];
    expect(taken).toMatchObject({ id: wait.body.id, status: 'booked' });
    expect(['confirmed', 'pending']).toContain((await status(taken.offer.bookingId)).status);
    expect(tg.sent(later.chat)).toEqual([]);
    expect((await s.api('GET', '/api/v1/booking/waitlist?status=waiting')).body.items.map((w: any) => w.clientId)).toEqual([later.id]);
    // The booking it became is the client's now: its own reminders.
    await until('the taken booking\'s reminders', async () => (await reminders(taken.offer.bookingId)).length === 3);
  });

  it('no reaction to the 24 h reminder: a second reminder, then a task for the admins and an alert in their Telegram', async () => {
    moveTo(at(Dm1, '13:00'));
    const first = await nth(vera.chat, 2);
    expect(first.text).toMatch(/^Reminder:/);
    moveTo(at(D, '00:00'));
    await until("Anna's 8 h reminder", () => tg.sent(anna.chat).length === 4);
    moveTo(at(D, '04:00'));
    await until("Anna's 4 h reminder", () => tg.sent(anna.chat).length === 5);
    moveTo(at(D, '05:00'));
    await until("Vera's 8 h reminder", () => tg.sent(vera.chat).length === 3);
    // Cancelled, Boris got nothing more.
    expect(tg.sent(boris.chat)).toHaveLength(3);
    // Anna's 1 h one is not due yet (the 4 h one is her fifth message), then goes at 07:00.
    expect(tg.sent(anna.chat)).toHaveLength(5);
    moveTo(at(D, '07:00'));
    await until("Anna's 1 h reminder", () => tg.sent(anna.chat).length === 6);
    // Vera's: the 4 h one and the second reminder, at 09:00 Moscow both.
    moveTo(at(D, '09:00'));
    const second = await until('the second reminder', () => tg.sent(vera.chat).find((m) => /^We have not heard from you/.test(m.text)));
    expect(inlineButtons(second).map((b) => b.text)).toEqual(['✅ I will come', '✖ Cancel', '🔁 Move']);
    moveTo(at(D, '11:00'));
    await signIn();
    // Boris's 1 h reminder (08:00) never came either: his timeline has the 24 h one only.
    expect(tg.sent(boris.chat)).toHaveLength(3);
    const borisLog = (await s.api('GET', `/api/v1/notifications/bookings/${b2.id}/timeline`)).body;
    expect(borisLog.items.filter((i: any) => i.kind === 'reminder').map((i: any) => i.detail.offset)).toEqual([1440]);
    expect(borisLog.scheduled).toEqual([]);
    const tasks = await until('the task', async () => (await s.api('GET', '/api/v1/tasks')).body.items?.find((x: any) => x.kind === 'call-client' && x.bookingId === b3.id));
    expect(tasks).toMatchObject({ bookingId: b3.id, contactId: vera.id, status: 'open', title: { en: expect.stringMatching(/^Call Vera: confirm Классический массаж/) } });
    const alert = await until('the call alert', () => tg.sent(owner.chat).find((m) => /^Vera не подтвердил\(а\)/.test(m.text)));
    await press(owner.chat, alert, /Дозвонились/);
    await until('the reply', () => tg.sent(owner.chat).some((m) => m.text === 'Thank you, noted.'));
    const [closed] = await t.app.host.get('notifications').ctx.tasks.find(t.app.db.db, s.tenantId, { bookingId: b3.id });
    expect(closed).toMatchObject({ id: tasks.id, status: 'done', result: 'called' });
    const timeline = (await s.api('GET', `/api/v1/notifications/bookings/${b3.id}/timeline`)).body.items.map((i: any) => i.kind);
    // The 4 h reminder and the second one fall due at one moment: either may be written first.
    expect([timeline[0], timeline.at(-1)]).toEqual(['created', 'escalated']);
    expect([...timeline].sort()).toEqual(['created', 'escalated', 'reminder', 'reminder', 'reminder', 'second']);
  });

  it('a booking made 3 hours ahead gets only the 1 h reminder', async () => {
    moveTo(at(D, '11:00'));
    // Anna's booking 30 hours ahead has had all four by now: 24, 8, 4 and 1 h before.
    const annaReminders = () => tg.sent(anna.chat).filter((m) => /^Reminder: Классический массаж/.test(m.text));
    await until("Anna's 1 h reminder", () => annaReminders().length === 4);
    await signIn();
    // Each went at its own time (the clock stood at each due time until it was sent): 24, 8, 4 and 1 h before 08:00.
    const sent: Array<{ offset: number; before: number }> = (await s.api('GET', `/api/v1/notifications/bookings/${b1.id}/timeline`)).body.items
      .filter((i: any) => i.kind === 'reminder').map((i: any) => ({ offset: i.detail.offset, before: (at(D, '08:00').getTime() - Date.parse(i.at)) / 60_000 }));
    expect(sent.map((r) => r.offset)).toEqual([1440, 480, 240, 60]);
    for (const r of sent) expect(r.before, `the ${r.offset} min reminder`).toBeLessThanOrEqual(r.offset);
    for (const r of sent) expect(r.before, `the ${r.offset} min reminder`).toBeGreaterThan(r.offset - 10);
    const dina = await client('Dina');
    const b = await book(dina.id, at(D, '14:00'), [s.staff[1], s.roomId]);
    await until('its reminder', async () => (await reminders(b.id)).length === 1);
    expect((await reminders(b.id))[0]).toMatchObject({ offset_min: 60, run_at: at(D, '13:00') });
    await nth(dina.chat, 1);
    moveTo(at(D, '13:00'));
    expect((await nth(dina.chat, 2)).text).toMatch(/^Reminder: Классический массаж with Мастер 2, Monday, \d+ \w+ at 17:00\./);
    const log = (await s.api('GET', `/api/v1/notifications/bookings/${b.id}/timeline`)).body.items;
    expect(log.map((i: any) => [i.kind, i.detail.offset])).toEqual([['created', undefined], ['reminder', 60]]);
  });

  it('a specialist linked to the bot sees today and marks a booking completed from Telegram', async () => {
    const spec = await t.addMember(token, `spec-${crypto.randomUUID()}@test.local`, 'specialist', { tenant: s.tenant, name: 'Мастер 1' });
    expect((await s.api('PATCH', `/api/v1/booking/resources/${s.staff[0]}`, { userId: spec.userId })).status).toBeLessThan(300);
    const code = await t.api('POST', '/api/v1/notifications/staff/link-code', { token: spec.token, tenant: s.tenant });
    const chat = 9101;
    await tg.text(botToken, chat, `/start ${code.body.start}`);
    await press(chat, await nth(chat, 1), /Сегодня/);
    const day = await nth(chat, 2);
    expect(day.text).toMatch(/^Your bookings on Monday, \d+ \w+:\n11:00 · Классический массаж · Anna · confirmed\n12:00 · Классический массаж · Wanda · confirmed\n16:00 · Классический массаж · Vera · confirmed$/);
    await press(chat, day, /^🏁 11:00 done$/);
    expect((await nth(chat, 3)).text).toBe('Marked: 11:00 Anna — completed.');
    expect((await status(b1.id)).status).toBe('completed');
    // Dina's visit is on another specialist's calendar: not listed, not theirs to mark.
    expect(inlineButtons(day).map((b) => b.text)).not.toContain('🏁 17:00 done');
  });

  it('a blocked vacation sends each affected client alternatives, and a tap moves the booking', async () => {
    const ella = await client('Ella');
    const next = dayAfter(D);
    const b = await book(ella.id, at(next, '08:00'), [s.staff[0], s.roomId]);
    await nth(ella.chat, 1);
    const blocked = await s.api('POST', '/api/v1/booking/exceptions', { resourceId: s.staff[0], kind: 'vacation', start: at(next, '00:00').toISOString(), end: at(dayAfter(next), '00:00').toISOString() });
    expect(blocked.body.affectedBookings.map((x: any) => x.id)).toEqual([b.id]);
    const offer = await nth(ella.chat, 2);
    expect(offer.text).toMatch(/^Sorry, Мастер 1 cannot see you on Tuesday, \d+ \w+ at 11:00\./);
    const labels = inlineButtons(offer).map((x) => x.text);
    expect(labels[0]).toMatch(/^Tuesday, \d+ \w+ 11:00 · Мастер 2$/);
    expect(labels.slice(1).every((l) => /· Мастер 1$/.test(l) && !l.startsWith('Tuesday'))).toBe(true);
    await press(ella.chat, offer, /11:00 · Мастер 2/);
    expect((await nth(ella.chat, 3)).text).toMatch(/^Done! Your booking is moved to Tuesday, \d+ \w+ at 11:00\.$/);
    expect((await status(b.id)).resourceIds).toContain(s.staff[1]);
    await until('the move told', () => tg.sent(ella.chat).some((m) => /^Your booking is moved/.test(m.text)));
  });

  it('alertStaff reaches only linked members who keep the topic', async () => {
    const ctx = t.app.host.get('notifications').ctx;
    const alerts = notificationsService(ctx);
    const send = (key: string) => ctx.transaction((trx) => alerts.alertStaff(trx, s.tenantId, { topic: 'review.low', key, text: { en: 'A low review' } }));
    expect(await send('r1')).toEqual({ queued: 1 });
    await until('the alert', () => tg.sent(owner.chat).some((m) => m.text === 'A low review'));
    expect((await s.api('PUT', '/api/v1/notifications/staff/me', { topics: ['booking.new'] })).body.topics).toEqual(['booking.new']);
    expect(await send('r2')).toEqual({ queued: 0 });
  });

  it('a cancel taken back (trash, then undo) gets the reminders still ahead on the clock, and they go at their times', async () => {
    await signIn();
    const fedor = await client('Fedor');
    const day = dayAfter(D, 2);
    const b = await book(fedor.id, at(day, '10:00'), [s.staff[1], s.roomId]);
    await nth(fedor.chat, 1);
    await until('its reminders', async () => (await reminders(b.id)).length === 4);
    const cancel = async () => expect((await s.api('PATCH', `/api/v1/bookings/${b.id}`, { status: 'cancelled', cancelReason: 'Ошибка' })).body.status).toBe('cancelled');
    await cancel();
    await until('its reminders removed', async () => (await reminders(b.id)).length === 0);

    // A day later, past the 24 h mark: from the trash it gets the 8, 4 and 1 h ones only.
    moveTo(at(dayAfter(D), '12:00'));
    await signIn();
    expect((await s.api('POST', `/api/v1/bookings/${b.id}/restore`, { from: 'trash' })).body.status).toBe('confirmed');
    const ahead = [[480, at(day, '02:00').toISOString()], [240, at(day, '06:00').toISOString()], [60, at(day, '09:00').toISOString()]];
    const scheduled = async () => (await reminders(b.id)).map((r) => [r.offset_min, r.run_at.toISOString()]);
    await until('the reminders back', async () => (await reminders(b.id)).length === 3);
    expect(await scheduled()).toEqual(ahead);
    const told = (re: RegExp) => tg.sent(fedor.chat).filter((m) => re.test(m.text));
    const cancelledText = /^Sorry, your booking Классический массаж on \w+day, \d+ \w+ at 13:00 is cancelled by us: Ошибка\./;
    const backText = /^Good news: your booking is back — Классический массаж with Мастер 2, \w+day, \d+ \w+ at 13:00\./;
    await until('told it is back', () => told(backText).length === 1);
    expect(inlineButtons(told(backText)[0]).map((m) => m.text)).toEqual(['✅ I will come', '✖ Cancel', '🔁 Move']);
    expect(told(cancelledText)).toHaveLength(1);
    // Cancelled again and undone from the card at once: the same three; each cancel and each restore is told.
    await cancel();
    await until('removed again', async () => (await reminders(b.id)).length === 0);
    await until('the second cancel told', () => told(cancelledText).length === 2);
    expect((await s.api('POST', `/api/v1/bookings/${b.id}/restore`, { from: 'undo' })).body.status).toBe('confirmed');
    await until('back again', async () => (await reminders(b.id)).length === 3);
    expect(await scheduled()).toEqual(ahead);
    await until('told it is back again', () => told(backText).length === 2);

    const reminded = () => tg.sent(fedor.chat).filter((m) => /^Reminder: Классический массаж with Мастер 2/.test(m.text));
    expect(reminded()).toEqual([]);
    moveTo(at(day, '02:00'));
    await until('the 8 h reminder', () => reminded().length === 1);
    await signIn();
    const timeline = (await s.api('GET', `/api/v1/notifications/bookings/${b.id}/timeline`)).body.items;
    expect(timeline.filter((i: any) => i.kind === 'reminder').map((i: any) => i.detail.offset)).toEqual([480]);
    expect(timeline.map((i: any) => i.kind).filter((k: string) => k !== 'reminder')).toEqual(['created', 'cancelled', 'restored', 'cancelled', 'restored']);
  });

  it("a Cancel past the business's cut-off (booking's clientCancelNoticeMinutes, 2 h) is refused in the client's language, with the phone; nothing changes", async () => {
    const olga = await makeContact(t.app.db.db, s.tenantId, { name: 'Ольга', locale: 'ru', identities: [{ kind: 'telegram', value: String(++chats), botId }] });
    const chat = chats;
    const day = dayAfter(D, 2);
    const b = await book(olga.id, at(day, '08:00'), [s.staff[0], s.roomId]);
    expect((await nth(chat, 1)).text).toMatch(/^Вы записаны/);
    // An hour before: the 1 h reminder (the 4 h one fell due with it).
    moveTo(at(day, '07:00'));
    const reminder = await nth(chat, 3);
    expect(reminder.text).toMatch(/^Напоминаем: Классический массаж/);
    await press(chat, reminder, /Отменить/);
    expect((await nth(chat, 4)).text).toBe('До визита осталось слишком мало времени, чтобы отменить запись здесь, — она остаётся в силе. Позвоните нам, пожалуйста: +7 495 000-00-00.');
    await signIn();
    const after = (await s.api('GET', `/api/v1/bookings/${b.id}`)).body;
    expect(after.status).toBe('confirmed');
    expect((await s.api('GET', `/api/v1/bookings/${b.id}/history`)).body.items.map((h: any) => h.action)).not.toContain('cancelled');
    expect((await s.api('GET', `/api/v1/notifications/bookings/${b.id}/timeline`)).body.items.map((i: any) => i.kind)).not.toContain('reaction:cancelled');
    // The buttons stay on the reminder (no markup edited), and the business's own cancel still works.
    expect(tg.calls.filter((c) => c.method === 'editMessageReplyMarkup' && String(c.payload.chat_id) === String(chat))).toEqual([]);
    expect((await s.api('PATCH', `/api/v1/bookings/${b.id}`, { status: 'cancelled', cancelReason: 'Клиент позвонил' })).body.status).toBe('cancelled');
  });

  it("sends the daily agenda once per the business's day, not the process's (Moscow 01:00 is the day before in UTC), by email too when chosen", async () => {
    const day = dayAfter(D, 2);
    const agendas = () => tg.sent(owner.chat).filter((m) => m.text === 'У вас нет своего календаря в этом бизнесе.');
    const before = agendas().length;
    await signIn();
    expect((await s.api('PUT', '/api/v1/notifications/staff/me', { agendaTime: '23:30' })).body.agendaTime).toBe('23:30');
    moveTo(at(day, '20:30'));
    await until('the 23:30 agenda', () => agendas().length === before + 1);
    // Moved to 01:00: the next one goes at 01:00 Moscow of the next day, still the same day in UTC.
    await signIn();
    // With email chosen, the agenda goes to the owner's address too.
    expect((await s.api('PUT', '/api/v1/notifications/staff/me', { agendaTime: '01:00', email: true })).body).toMatchObject({ agendaTime: '01:00', email: true });
    moveTo(at(day, '22:00'));
    await until('the 01:00 agenda', () => agendas().length === before + 2);
    const mailed = await until('the agenda mail', () => mailsTo(t.owner.email).find((m) => m.subject === 'Ваши записи на сегодня'));
    expect(mailed.text).toContain('У вас нет своего календаря в этом бизнесе.');
  });

  it("a client's own channel comes first: with Telegram and email, the one who chose email gets email; erasure forgets it", async () => {
    await signIn();
    const kira = await makeContact(t.app.db.db, s.tenantId, { name: 'Kira', locale: 'en', identities: [{ kind: 'telegram', value: String(++chats), botId }, { kind: 'email', value: 'kira@client.test', verified: true }] });
    const kiraChat = chats;
    expect((await s.api('GET', `/api/v1/notifications/contacts/${kira.id}/channel`)).body).toEqual({ channel: null });
    const bad = await s.api('PUT', `/api/v1/notifications/contacts/${kira.id}/channel`, { channel: 'pigeon' });
    expect(bad.status).toBe(400);
    expect([bad.body.code, bad.body.details.errors[0].path]).toEqual(['BF_ERR_VALIDATION_FAILED', '/body/channel']);
    const unknown = await s.api('PUT', `/api/v1/notifications/contacts/${crypto.randomUUID()}/channel`, { channel: 'email' });
    expect([unknown.status, unknown.body.code]).toEqual([404, 'BF_ERR_NOTIFICATIONS_CONTACT_NOT_FOUND']);
    expect((await s.api('PUT', `/api/v1/notifications/contacts/${kira.id}/channel`, { channel: 'email' })).body).toEqual({ channel: 'email' });
    expect((await s.api('GET', `/api/v1/notifications/contacts/${kira.id}/channel`)).body).toEqual({ channel: 'email' });
    await book(kira.id, at(dayAfter(D, 4), '10:00'), [s.staff[0], s.roomId]);
    const mail = await until('the confirmation mail', () => mailsTo('kira@client.test')[0]);
    expect(mail.text).toMatch(/^You are booked: Классический массаж with Мастер 1/);
    expect(tg.sent(kiraChat)).toEqual([]);
    // Back to the business's order: Telegram first.
    expect((await s.api('PUT', `/api/v1/notifications/contacts/${kira.id}/channel`, { channel: null })).body).toEqual({ channel: null });
    await book(kira.id, at(dayAfter(D, 4), '12:00'), [s.staff[0], s.roomId]);
    expect((await nth(kiraChat, 1)).text).toMatch(/^You are booked: Классический массаж with Мастер 1/);
    expect(mailsTo('kira@client.test')).toHaveLength(1);
    // An erased client leaves no choice behind.
    expect((await s.api('PUT', `/api/v1/notifications/contacts/${kira.id}/channel`, { channel: 'phone' })).body).toEqual({ channel: 'phone' });
    const ctx = t.app.host.get('notifications').ctx;
    await ctx.transaction((trx) => ctx.contacts.erase(trx, s.tenantId, kira.id, null));
    expect(await t.app.db.db.selectFrom('notifications_client_channels').select('channel').where('tenant_id', '=', s.tenantId).where('contact_id', '=', kira.id).execute()).toEqual([]);
  });

  it('a specialist who chose email gets a new booking on their calendar in their mailbox', async () => {
    const address = `spec2-${crypto.randomUUID()}@staff.test`;
    const spec = await t.addMember(token, address, 'specialist', { tenant: s.tenant, name: 'Мастер 2' });
    expect((await s.api('PATCH', `/api/v1/booking/resources/${s.staff[1]}`, { userId: spec.userId })).status).toBeLessThan(300);
    const me = (body?: unknown) => t.api(body ? 'PUT' : 'GET', '/api/v1/notifications/staff/me', { token: spec.token, tenant: s.tenant, body });
    expect((await me()).body).toMatchObject({ linked: false, email: false });
    const lea = await client('Lea');
    await book(lea.id, at(dayAfter(D, 4), '07:00'), [s.staff[1], s.roomId]);
    await nth(lea.chat, 1);
    expect(mailsTo(address)).toEqual([]);
    expect((await me({ email: true })).body).toMatchObject({ linked: false, email: true });
    const mira = await client('Mira');
    await book(mira.id, at(dayAfter(D, 4), '09:00'), [s.staff[1], s.roomId]);
    const mail = await until('the alert mail', () => mailsTo(address)[0]);
    expect(mail.text).toMatch(/^Новая запись: Классический массаж, [^,]+, \d+ \S+ 12:00, Mira\./);
    // The alert's studio button is a link in the email.
    expect(mail.text).toContain('https://notif.example.test/studio/booking/bookings?id=');
    expect(mail.subject).toMatch(/^Новая запись: Классический массаж/);
  });
  it('a client with neither a Telegram chat nor a phone gets the confirmation and the reminders by email', async () => {
    const ira = await makeContact(t.app.db.db, s.tenantId, { name: 'Ira', locale: 'en', identities: [{ kind: 'email', value: 'ira@client.test', verified: true }] });
    const day = dayAfter(D, 4);
    await book(ira.id, at(day, '13:00'), [s.staff[0], s.roomId]);
    const [created] = await until('the confirmation mail', () => (mailsTo('ira@client.test').length ? mailsTo('ira@client.test') : undefined));
    expect(created.text).toMatch(/^You are booked: Классический массаж with Мастер 1, \w+day, \d+ \w+ at 16:00\./);
    moveTo(at(dayAfter(D, 3), '13:00'));
    const reminder = await until('the 24 h reminder mail', () => mailsTo('ira@client.test').find((m) => /^Reminder: Классический массаж/.test(m.text)));
    expect(reminder.text).toContain('+7 495 000-00-00');
  });

});
