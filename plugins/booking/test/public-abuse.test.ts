import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../test/helpers/app.js';
import { until } from '../../../test/helpers/wait.js';
import { codeSinkPluginsDir, sentCodes } from './code-sink.js';
import { makeSalon, nextMonday, verify, type Salon } from './salon.js';

// What one anonymous caller can no longer do to a business through the public booking API.
const pluginsDir = codeSinkPluginsDir();
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ pluginsDir });
});
afterAll(() => t?.close());

const at = (day: string, h: number) => `${day}T${String(h).padStart(2, '0')}:00:00.000Z`;
const plusDays = (day: string, n: number) => new Date(Date.parse(day) + n * 86_400_000).toISOString().slice(0, 10);
const book = (s: Salon, start: string, phone: string, extra: Record<string, unknown> = {}, headers?: Record<string, string>) =>
  t.api('POST', `/api/v1/public/${s.tenant}/bookings`, { body: { serviceId: s.serviceId, start, client: { name: 'Гость', phone }, ...extra }, headers });
const wait = (s: Salon, day: string, phone: string, extra: Record<string, unknown> = {}) =>
  t.api('POST', `/api/v1/public/${s.tenant}/waitlist`, { body: { serviceId: s.serviceId, day, client: { name: `Ждёт ${phone}`, phone }, ...extra } });

describe('one-time codes', () => {
  it('are sent, never answered; a wrong code counts, five wrong ones end it; the right one gives a token', async () => {
    const s = await makeSalon(t);
    const sent = sentCodes();
    const requested = await t.api('POST', `/api/v1/public/${s.tenant}/verifications`, { body: { phone: '8 916 700-00-01' } });
    expect(requested.status, JSON.stringify(requested.body)).toBe(201);
    const message = sent[sent.length - 1];
    expect(message).toMatchObject({ tenantId: s.tenantId, to: '+79167000001' });
    expect(message.code).toMatch(/^\d{6}$/);
    expect(message.text).toContain(message.code);
    expect(JSON.stringify(requested.body)).not.toContain(message.code);

    const confirm = (id: string, code: string) => t.api('POST', `/api/v1/public/${s.tenant}/verifications/${id}/confirm`, { body: { code } });
    const wrong = message.code === '000000' ? '000001' : '000000';
    const first = await confirm(requested.body.id, wrong);
    expect([first.status, first.body.code, first.body.details]).toEqual([400, 'BF_ERR_BOOKING_VERIFICATION_CODE_WRONG', { attemptsLeft: 4 }]);
    for (let i = 0; i < 4; i++) await confirm(requested.body.id, wrong);
    expect((await confirm(requested.body.id, message.code)).body.code).toBe('BF_ERR_BOOKING_VERIFICATION_EXPIRED');

    const again = await t.api('POST', `/api/v1/public/${s.tenant}/verifications`, { body: { email: 'Guest@Example.com' } });
    const ok = await confirm(again.body.id, sent[sent.length - 1].code);
    expect(ok.status).toBe(200);
    expect(ok.body.verificationToken).toMatch(/^[\w-]{40,}$/);
    // Used once, a code is done.
    expect((await confirm(again.body.id, sent[sent.length - 1].code)).body.code).toBe('BF_ERR_BOOKING_VERIFICATION_EXPIRED');
  });

  it('are limited per phone (5 an hour), also when asked at once', async () => {
    const s = await makeSalon(t);
    const ask = () => t.api('POST', `/api/v1/public/${s.tenant}/verifications`, { body: { phone: '+79167000002' } });
    const statuses = (await Promise.all(Array.from({ length: 8 }, ask))).map((r) => [r.status, r.body.code]);
    expect(statuses.filter(([st]) => st === 201)).toHaveLength(5);
    expect(statuses.filter(([st, code]) => st === 429 && code === 'BF_ERR_BOOKING_VERIFICATION_RATE_LIMITED')).toHaveLength(3);
  });
});

describe('the public waitlist', () => {
  it('takes one open entry per phone, service and day (30 tries from one address)', async () => {
    const s = await makeSalon(t);
    const day = nextMonday();
    const results = await Promise.all(Array.from({ length: 30 }, () => wait(s, day, '+79167100001')));
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    expect(new Set(results.filter((r) => r.status !== 201).map((r) => `${r.status} ${r.body.code}`))).toEqual(new Set(['409 BF_ERR_BOOKING_WAITLIST_DUPLICATE']));
    // Another day is another wish.
    expect((await wait(s, plusDays(day, 1), '+79167100001')).status).toBe(201);
  });

  it('offers freed time only to a verified waiter: an unverified one ahead in line is passed over', async () => {
    const s = await makeSalon(t, { staffCount: 1 });
    const day = nextMonday();
    const taken = await s.api('POST', '/api/v1/bookings', { serviceId: s.serviceId, start: at(day, 7), client: { name: 'Занятая', phone: '+79167200001' } });
    for (const h of [8, 9, 10, 12, 13, 14, 15]) await s.api('POST', '/api/v1/bookings', { serviceId: s.serviceId, start: at(day, h), client: { name: 'Занятая', phone: '+79167200001' } });
    const fake = await wait(s, day, '+79167200002');
    expect([fake.status, fake.body.verified]).toEqual([201, false]);
    const real = await wait(s, day, '+79167200003', { verificationToken: await verify(t, s, { phone: '+79167200003' }) });
    expect([real.status, real.body.verified]).toEqual([201, true]);

    await s.api('PATCH', `/api/v1/bookings/${taken.body.id}`, { status: 'cancelled' });
    const offered = await until('offer', async () => (await s.api('GET', '/api/v1/booking/waitlist?status=offered')).body.items[0]);
    expect(offered.id).toBe(real.body.id);
    expect((await s.api('GET', '/api/v1/booking/waitlist?status=waiting')).body.items.map((w: any) => w.id)).toEqual([fake.body.id]);
    const claimed = await t.api('POST', `/api/v1/public/${s.tenant}/waitlist/${real.body.id}/claim`, { body: { phone: '+79167200003' } });
    expect([claimed.status, claimed.body.status]).toEqual([200, 'confirmed']);
  });

  it('an entry someone made with your phone does not keep you out: yours, verified, takes its place', async () => {
    const s = await makeSalon(t);
    const day = nextMonday();
    const squat = await wait(s, day, '+79167300001');
    expect(squat.status).toBe(201);
    const mine = await wait(s, day, '+79167300001', { verificationToken: await verify(t, s, { phone: '+79167300001' }) });
    expect([mine.status, mine.body.verified]).toEqual([201, true]);
    const open = (await s.api('GET', '/api/v1/booking/waitlist')).body.items;
    expect(open.map((w: any) => w.id)).toEqual([mine.body.id]);
    // A verified entry stays: the same contact again is a duplicate, verified or not.
    expect((await wait(s, day, '+79167300001')).body.code).toBe('BF_ERR_BOOKING_WAITLIST_DUPLICATE');
  });

  it('an email-verified waiter claims with the token (the typed phone proves nothing)', async () => {
    const s = await makeSalon(t);
    const token = await verify(t, s, { email: 'waiter@example.com' });
    const entry = await wait(s, nextMonday(), '+79167400001', { verificationToken: token });
    expect([entry.status, entry.body.verified]).toEqual([201, true]);
    const byPhone = await t.api('POST', `/api/v1/public/${s.tenant}/waitlist/${entry.body.id}/claim`, { body: { phone: '+79167400001' } });
    expect(byPhone.body.code).toBe('BF_ERR_BOOKING_WAITLIST_NOT_FOUND');
    const byToken = await t.api('POST', `/api/v1/public/${s.tenant}/waitlist/${entry.body.id}/claim`, { body: { verificationToken: token } });
    expect(byToken.body.code).toBe('BF_ERR_BOOKING_OFFER_EXPIRED'); // it is its own entry; nothing is offered yet
  });
});

describe('public bookings', () => {
  it('one phone gets at most 3 upcoming bookings (the limit is the phone\'s, not an address\'s), even 20 at once', async () => {
    const s = await makeSalon(t);
    const day = nextMonday();
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => book(s, at(plusDays(day, i), 7), '+7 916 750-00-01')));
    expect(results.filter((r) => r.status === 201)).toHaveLength(3);
    expect(new Set(results.filter((r) => r.status !== 201).map((r) => `${r.status} ${r.body.code}`))).toEqual(new Set(['409 BF_ERR_BOOKING_PHONE_LIMIT']));
    expect((await book(s, at(plusDays(day, 25), 7), '+79167500002')).status).toBe(201);
  });

  it('a business takes at most publicMaxBookingsPerHour online bookings, whatever the phones', async () => {
    const s = await makeSalon(t, { staffCount: 1, config: { publicMaxBookingsPerHour: 3 } });
    const day = nextMonday();
    for (const h of [7, 8, 9]) expect((await book(s, at(day, h), `+7916760000${h}`)).status).toBe(201);
    const fourth = await book(s, at(day, 10), '+79167600010');
    expect([fourth.status, fourth.body.code, fourth.body.details]).toEqual([429, 'BF_ERR_BOOKING_PUBLIC_LIMIT', { max: 3 }]);
    // Staff still book.
    expect((await s.api('POST', '/api/v1/bookings', { serviceId: s.serviceId, start: at(day, 10), client: { name: 'По телефону', phone: '+79167600010' } })).status).toBe(201);
  });

  it('a booking under someone else\'s phone does not land on their client record; a verified one does', async () => {
    const s = await makeSalon(t);
    const day = nextMonday();
    const owner = await s.api('POST', '/api/v1/contacts', { name: 'Настоящая Владелица', phone: '+79167700001' });
    const foreign = await book(s, at(day, 7), '8 916 770-00-01');
    expect(foreign.status).toBe(201);
    const stored = (await s.api('GET', `/api/v1/bookings/${foreign.body.id}`)).body;
    expect(stored.client.id).not.toBe(owner.body.id);
    expect(stored.client.phone).toBeNull();
    expect(stored.contactPhone).toBe('+79167700001');
    // Noted on the caller's own contact, unverified: it finds nobody.
    expect((await s.api('GET', `/api/v1/contacts/${stored.client.id}`)).body.identities).toEqual([{ kind: 'phone', value: '+79167700001', botId: null, verified: false, unreachable: false }]);
    expect((await s.api('GET', `/api/v1/bookings?clientId=${owner.body.id}`)).body.items).toEqual([]);
    // Staff find it by the phone all the same.
    expect((await s.api('GET', '/api/v1/bookings?q=9167700001')).body.items.map((b: any) => b.id)).toEqual([foreign.body.id]);

    const verified = await book(s, at(day, 9), '+79167700001', { verificationToken: await verify(t, s, { phone: '+79167700001' }) });
    expect((await s.api('GET', `/api/v1/bookings/${verified.body.id}`)).body.client.id).toBe(owner.body.id);
    const otherPhone = await book(s, at(day, 10), '+79167700002', { verificationToken: await verify(t, s, { phone: '+79167700001' }) });
    expect([otherPhone.status, otherPhone.body.code]).toEqual([403, 'BF_ERR_BOOKING_VERIFICATION_MISMATCH']);
  });

  it('a business may require the code: without a token no booking', async () => {
    const s = await makeSalon(t, { config: { publicConfirmByCode: true } });
    const day = nextMonday();
    const none = await book(s, at(day, 7), '+79167800001');
    expect([none.status, none.body.code]).toEqual([403, 'BF_ERR_BOOKING_VERIFICATION_REQUIRED']);
    const forged = await book(s, at(day, 7), '+79167800001', { verificationToken: 'x'.repeat(43) });
    expect([forged.status, forged.body.code]).toEqual([403, 'BF_ERR_BOOKING_VERIFICATION_INVALID']);
    expect((await book(s, at(day, 7), '+79167800001', { verificationToken: await verify(t, s, { phone: '+79167800001' }) })).status).toBe(201);
  });
});

describe('Idempotency-Key', () => {
  it('a public retry after a lost response gets the same booking; the key with another body is refused', async () => {
    const s = await makeSalon(t);
    const day = nextMonday();
    const key = { 'idempotency-key': 'widget-retry-1' };
    const first = await book(s, at(day, 7), '+79167900001', {}, key);
    const retry = await book(s, at(day, 7), '+7 916 790-00-01', {}, key);
    expect([first.status, retry.status, retry.body.id, retry.headers.get('idempotent-replayed')]).toEqual([201, 201, first.body.id, 'true']);
    const other = await book(s, at(day, 8), '+79167900001', {}, key);
    expect([other.status, other.body.code]).toEqual([422, 'BF_ERR_BOOKING_IDEMPOTENCY_MISMATCH']);
    // Another caller's same key is another booking attempt (here: the taken slot).
    expect((await book(s, at(day, 7), '+79167900002', {}, key)).body.code).toBe('BF_ERR_SLOT_TAKEN');
    // A retry is not counted against the phone's limit.
    await book(s, at(day, 9), '+79167900001');
    await book(s, at(day, 10), '+79167900001');
    expect((await book(s, at(day, 7), '+79167900001', {}, key)).body.id).toBe(first.body.id);
  });

  it('staff API: the same key and body give the same booking, concurrently too; bad keys are a 400', async () => {
    const s = await makeSalon(t);
    const day = nextMonday();
    const post = (body: Record<string, unknown>, k: string) => t.api('POST', '/api/v1/bookings', { token: s.token, tenant: s.tenant, body, headers: { 'idempotency-key': k } });
    const body = { serviceId: s.serviceId, start: at(day, 7), client: { name: 'Звонок', phone: '+79168000001' } };
    const results = await Promise.all(Array.from({ length: 5 }, () => post(body, 'front-desk-42')));
    expect(results.map((r) => r.status)).toEqual([201, 201, 201, 201, 201]);
    expect(new Set(results.map((r) => r.body.id)).size).toBe(1);
    expect((await post({ ...body, start: at(day, 8) }, 'front-desk-42')).body.code).toBe('BF_ERR_BOOKING_IDEMPOTENCY_MISMATCH');
    for (const bad of ['k'.repeat(256), 'caf\u00e9']) {
      const res = await post(body, bad);
      expect([res.status, res.body.code]).toEqual([400, 'BF_ERR_VALIDATION_FAILED']);
      expect(JSON.stringify(res.body.details)).toContain('idempotency-key');
    }
  });
});
