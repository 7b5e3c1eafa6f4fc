import crypto from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ChannelDelivery } from '../../../../plugin-sdk.js';
import { startTestApp, type TestApp } from '../../../../test/helpers/app.js';
import { SmsRuStandIn } from '../../../../test/helpers/sms-standin.js';
import { SmsChannel } from '../channel.js';

let standin: SmsRuStandIn;
let t: TestApp;
let owner: string;
const API_ID = 'A1B2C3D4-0000-1111-2222-333344445555';

beforeAll(async () => {
  standin = await SmsRuStandIn.start();
  standin.apiIds.add(API_ID);
  standin.accounts.set('salon', 'sms-password-1');
  standin.approvedSenders.add('DemoSalon');
  // No plugins: the demo's bookings would have notifications text their clients through this stand-in meanwhile,
  // and such a send can take the failure a test armed for its own.
  t = await startTestApp({ plugins: [], config: { smsRuApiRoot: standin.url } });
  owner = await t.login(t.owner.email, t.owner.password);
});
afterAll(async () => {
  await t?.close();
  await standin?.close();
});
beforeEach(() => {
  standin.balance = 100;
  standin.failNext = undefined;
});

const delivery = (to: string, over: Partial<ChannelDelivery> = {}): ChannelDelivery => ({
  messageId: crypto.randomUUID(), tenantId: t.demoTenantId, contactId: null, purpose: 'transactional', locale: 'ru',
  identity: { kind: 'phone', value: to, botId: null, verified: true, unreachable: false }, text: 'Ждём вас завтра в 10:00', ...over,
});
const putSms = (body: Record<string, unknown>, token = owner) => t.api('PUT', '/api/v1/channels/sms', { token, body });

describe('SMS settings', () => {
  it('is not available until set up; the test send says so', async () => {
    expect(await t.app.channels.sms.available(t.demoTenantId)).toBe(false);
    expect((await t.api('GET', '/api/v1/channels/sms', { token: owner })).body).toEqual({ configured: false, settings: null });
    const test = await t.api('POST', '/api/v1/channels/sms/test', { token: owner, body: { to: '+79161234567' } });
    expect(test.status).toBe(409);
    expect(test.body.code).toBe('BF_ERR_CHANNEL_NOT_CONFIGURED');
  });

  it('needs an API key or a login with a password', async () => {
    const none = await putSms({ provider: 'smsru', sender: 'DemoSalon' });
    expect(none.status).toBe(400);
    expect(none.body).toMatchObject({ code: 'BF_ERR_CHANNEL_SMS_CREDENTIALS_MISSING', details: { field: '/body/apiId' } });
    const noPassword = await putSms({ provider: 'smsru', login: 'salon' });
    expect(noPassword.body.details.field).toBe('/body/password');
    const badSender = await putSms({ provider: 'smsru', apiId: API_ID, sender: 'A much too long sender' });
    expect(badSender.status).toBe(400);
    expect(badSender.body.details.errors[0].path).toBe('/body/sender');
  });

  it('keeps the API key write-only and sealed; a manager may not see or change the settings', async () => {
    const saved = await putSms({ provider: 'smsru', apiId: API_ID, sender: 'DemoSalon', maxSegments: 2 });
    expect(saved.status).toBe(200);
    expect(saved.body).toEqual({ configured: true, settings: { provider: 'smsru', apiId: { set: true }, password: { set: false }, sender: 'DemoSalon', maxSegments: 2, test: false } });
    const row = await t.app.db.db.selectFrom('channel_settings').select('settings').where('tenant_id', '=', t.demoTenantId).where('kind', '=', 'sms').executeTakeFirstOrThrow();
    expect(JSON.stringify(row.settings)).not.toContain(API_ID);
    const audit = await t.api('GET', '/api/v1/audit?entity=channel', { token: owner });
    expect(audit.body.items[0]).toMatchObject({ entity: 'channel', entity_id: 'sms', action: 'create', after: { apiId: { set: true }, sender: 'DemoSalon' } });
    expect(JSON.stringify(audit.body)).not.toContain(API_ID);
    // Sent back as its mask, the key stays.
    const again = await putSms({ ...saved.body.settings, maxSegments: 3 });
    expect(again.body.settings.apiId).toEqual({ set: true });
    expect((await t.app.channels.settings.get(t.demoTenantId, 'sms'))?.apiId).toBe(API_ID);
    const manager = await t.addMember(owner, `manager-${crypto.randomUUID()}@test.local`, 'manager');
    expect((await t.api('GET', '/api/v1/channels/sms', { token: manager.token })).status).toBe(403);
    expect((await putSms({ provider: 'smsru', apiId: 'other' }, manager.token)).status).toBe(403);
    expect(await t.app.channels.sms.available(t.demoTenantId)).toBe(true);
    // Another business of the same owner has no SMS of its own.
    const other = await t.api('POST', '/api/v1/tenants', { token: owner, body: { name: 'Other salon', slug: `other-${crypto.randomUUID().slice(0, 8)}`, timezone: 'Europe/Kyiv', locale: 'uk', currency: 'UAH' } });
    expect((await t.api('GET', '/api/v1/channels/sms', { token: owner, tenant: other.body.slug })).body).toEqual({ configured: false, settings: null });
    expect(await t.app.channels.sms.available(other.body.id)).toBe(false);
  });
});

describe('SMS through SMS.ru', () => {
  it('sends the text with URL buttons as links, from the approved sender, to the number without +', async () => {
    const result = await t.app.channels.sms.send(delivery('+79161234567', { buttons: [[{ label: 'Карта', url: 'https://maps.example/s' }, { label: 'Да', callback: 'x1' }]] }));
    expect(result).toEqual({ status: 'sent', providerId: expect.stringMatching(/^202611-\d{6}$/) });
    const last = standin.sent.at(-1)!;
    expect(last).toMatchObject({ to: '79161234567', from: 'DemoSalon', msg: 'Ждём вас завтра в 10:00\nКарта: https://maps.example/s', test: false });
    expect(last.smsId).toBe((result as { providerId: string }).providerId);
    const request = standin.requests.at(-1)!;
    expect(request).toMatchObject({ method: 'POST', path: '/sms/send', fields: { api_id: API_ID, json: '1' } });
  });

  it('cuts a long text to the business\'s part limit (3 parts of UCS-2: 201 characters)', async () => {
    await t.app.channels.sms.send(delivery('+79161234567', { text: 'Напоминаем о записи. '.repeat(30) }));
    const msg = standin.sent.at(-1)!.msg;
    expect(msg.length).toBeLessThanOrEqual(201);
    expect(msg.length).toBeGreaterThan(190);
    expect(msg.endsWith('…')).toBe(true);
  });

  it('an invalid number is unreachable (the next channel is tried); nothing is sent', async () => {
    standin.invalidNumbers.add('79160000000');
    const before = standin.sent.length;
    const result = await t.app.channels.sms.send(delivery('+79160000000'));
    expect(result).toEqual({ status: 'unreachable', reason: expect.stringContaining('SMS.ru 202') });
    expect(standin.sent.length).toBe(before);
  });

  it('no money and a busy service are tried again later; a wrong API key fails', async () => {
    standin.balance = 1;
    expect(await t.app.channels.sms.send(delivery('+79161234567'))).toMatchObject({ status: 'retry', reason: expect.stringContaining('SMS.ru 201'), afterMs: 3_600_000 });
    standin.balance = 100;
    standin.failNext = 220;
    expect(await t.app.channels.sms.send(delivery('+79161234567'))).toMatchObject({ status: 'retry', reason: expect.stringContaining('220'), afterMs: 60_000 });
    await putSms({ provider: 'smsru', apiId: 'WRONG-KEY', sender: 'DemoSalon' });
    expect(await t.app.channels.sms.send(delivery('+79161234567'))).toEqual({ status: 'failed', reason: 'SMS.ru 200: Неправильный api_id' });
    const test = await t.api('POST', '/api/v1/channels/sms/test', { token: owner, body: { to: '+79161234567' } });
    expect(test.status).toBe(422);
    expect(test.body).toMatchObject({ code: 'BF_ERR_CHANNEL_TEST_FAILED', details: { channel: 'sms', status: 'failed', reason: 'SMS.ru 200: Неправильный api_id' } });
    const balance = await t.api('GET', '/api/v1/channels/sms/balance', { token: owner });
    expect(balance.status).toBe(422);
    expect(balance.body.code).toBe('BF_ERR_CHANNEL_PROVIDER_FAILED');
  });

  it('a provider that cannot be reached is tried again later', async () => {
    const dead = await SmsRuStandIn.start();
    await dead.close();
    const channel = new SmsChannel({ settings: t.app.channels.settings, roots: { smsru: dead.url } });
    await putSms({ provider: 'smsru', apiId: API_ID });
    expect(await channel.send(delivery('+79161234567'))).toMatchObject({ status: 'retry', reason: expect.any(String) });
  });

  it('signs in with login and password (the API key cleared), sends a test SMS in the business\'s language, and tells the balance', async () => {
    const saved = await putSms({ provider: 'smsru', apiId: null, login: 'salon', password: 'sms-password-1', sender: 'DemoSalon', test: true });
    expect(saved.body.settings).toMatchObject({ apiId: { set: false }, password: { set: true }, login: 'salon' });
    const test = await t.api('POST', '/api/v1/channels/sms/test', { token: owner, body: { to: '+79161234567' } });
    expect(test.status).toBe(200);
    expect(test.body).toEqual({ status: 'sent', providerId: standin.sent.at(-1)!.smsId });
    expect(standin.sent.at(-1)).toMatchObject({ test: true, msg: expect.stringContaining('Тестовое SMS') });
    expect(standin.requests.at(-1)!.fields).toMatchObject({ login: 'salon', password: 'sms-password-1', test: '1' });
    const balance = await t.api('GET', '/api/v1/channels/sms/balance', { token: owner });
    expect(balance.body).toEqual({ provider: 'smsru', balance: '100' });
    const wrong = await putSms({ provider: 'smsru', login: 'salon', password: 'not-it' });
    expect(wrong.status).toBe(200);
    expect(await t.app.channels.sms.send(delivery('+79161234567'))).toMatchObject({ status: 'failed', reason: expect.stringContaining('SMS.ru 301') });
  });

  it('DELETE turns SMS off', async () => {
    expect((await t.api('DELETE', '/api/v1/channels/sms', { token: owner })).status).toBe(204);
    expect(await t.app.channels.sms.available(t.demoTenantId)).toBe(false);
    expect(await t.app.channels.sms.send(delivery('+79161234567'))).toMatchObject({ status: 'failed' });
  });
});
