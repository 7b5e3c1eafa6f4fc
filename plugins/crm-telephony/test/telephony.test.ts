import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../test/helpers/app.js';
import { MangoStandIn } from '../../../test/helpers/mango-standin.js';

const KEY = 'vpbx-key-1234567';
const SALT = 'vpbx-salt-7654321';
let t: TestApp;
let mango: MangoStandIn;
let token: string;
let tenant: string;
let hook: string;
const api = (method: string, path: string, body?: unknown) => t.api(method, path, { token, tenant, body });

beforeAll(async () => {
  mango = await MangoStandIn.start(KEY, SALT);
  process.env.MANGO_API_ROOT = mango.url;
  t = await startTestApp({ plugins: ['crm-telephony'] });
  token = await t.login(t.owner.email, t.owner.password);
  tenant = 'demo';
  expect((await api('PUT', '/api/v1/plugins/crm-telephony/enabled', { enabled: true })).status).toBe(200);
  const saved = await api('PUT', '/api/v1/plugins/crm-telephony/config', { config: { apiKey: KEY, apiSalt: SALT, extensions: [{ userId: t.owner.userId, extension: '101' }] } });
  expect(saved.status, JSON.stringify(saved.body)).toBe(200);
  expect(JSON.stringify(saved.body)).not.toContain(SALT);
  hook = `${t.url}/api/v1/public/${tenant}/telephony/mango/`;
});
afterAll(async () => {
  await t?.close();
  await mango?.close();
  delete process.env.MANGO_API_ROOT;
});

const now = () => Math.floor(t.clock.now().getTime() / 1000);

describe('Mango Office events', () => {
  it('an incoming call from a known number shows its card for the admin, is logged on the card, and counts in the funnel', async () => {
    const anna = (await api('GET', '/api/v1/contacts?q=%2B79161234501')).body.items[0];
    const appeared = { entry_id: 'E1', call_id: 'C1', timestamp: now(), seq: 1, call_state: 'Appeared', location: 'ivr', from: { number: '79161234501' }, to: { number: '74951234567' } };
    expect((await mango.post(hook, 'call', appeared)).body).toEqual({ ok: true, duplicate: false });
    // Redelivered: accepted, nothing done twice.
    expect((await mango.post(hook, 'call', appeared)).body).toEqual({ ok: true, duplicate: true });
    const live = (await api('GET', '/api/v1/telephony/live')).body.items;
    expect(live).toEqual([expect.objectContaining({ number: '+79161234501', state: 'Appeared', contact: expect.objectContaining({ id: anna.id, name: anna.name, marks: expect.objectContaining({ status: 'repeat', color: 'guest', locked: true }) }) })]);
    expect(live[0].contact.upcoming.length).toBeGreaterThan(0);
    await mango.post(hook, 'call', { ...appeared, seq: 2, call_state: 'Connected', to: { number: '74951234567', extension: '101' } });
    await mango.post(hook, 'call', { ...appeared, seq: 3, call_state: 'Disconnected' });
    const start = now();
    await mango.post(hook, 'summary', { entry_id: 'E1', call_direction: 1, from: { number: '79161234501' }, create_time: start - 100, talk_time: start - 90, end_time: start, entry_result: 1, recording_url: 'https://records.example/E1.mp3' });
    expect((await api('GET', '/api/v1/telephony/live')).body.items).toEqual([]);
    const log = (await api('GET', `/api/v1/telephony/calls?contactId=${anna.id}`)).body.items;
    expect(log).toEqual([expect.objectContaining({ direction: 'in', answeredBy: '101', durationSec: 90, result: 'answered', recordingUrl: 'https://records.example/E1.mp3' })]);
    const today = new Date(t.clock.now().getTime() + 3 * 3600_000).toISOString().slice(0, 10);
    const funnel = (await api('GET', `/api/v1/crm/reports/funnel?from=${today}&to=${today}`)).body;
    expect(funnel.steps[0]).toEqual({ step: 'calls', count: 1, conversion: null });
  });

  it('refuses an unknown key, a forged sign, bad json and a stale replay', async () => {
    const event = { entry_id: 'E2', call_id: 'C2', timestamp: now(), seq: 1, call_state: 'Appeared', from: { number: '79160000000' } };
    const wrongKey = await mango.post(hook, 'call', event, { key: 'someone-elses-key' });
    expect([wrongKey.status, wrongKey.body.code]).toEqual([401, 'BF_ERR_TELEPHONY_KEY_UNKNOWN']);
    const forged = await mango.post(hook, 'call', event, { sign: 'a'.repeat(64) });
    expect([forged.status, forged.body.code]).toEqual([401, 'BF_ERR_TELEPHONY_SIGN_INVALID']);
    const notJson = await fetch(`${hook}events/call`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ vpbx_api_key: KEY, sign: '', json: '{' }) });
    expect(notJson.status).toBe(401);
    const stale = await mango.post(hook, 'call', { ...event, timestamp: now() - 3600 });
    expect([stale.status, stale.body.code]).toEqual([409, 'BF_ERR_TELEPHONY_STALE_EVENT']);
    expect((await api('GET', '/api/v1/telephony/live')).body.items).toEqual([]);
  });

  it('click-to-call asks Mango to ring the admin\'s extension, then the client (result 1000)', async () => {
    const anna = (await api('GET', '/api/v1/contacts?q=%2B79161234501')).body.items[0];
    const called = await api('POST', '/api/v1/telephony/callback', { contactId: anna.id });
    expect(called.status, JSON.stringify(called.body)).toBe(200);
    expect(mango.commands.at(-1)).toEqual({ command: 'commands/callback', json: { command_id: called.body.commandId, from: { extension: '101' }, to_number: '79161234501' } });
    mango.callbackResult = 3200;
    const refused = await api('POST', '/api/v1/telephony/callback', { contactId: anna.id });
    expect([refused.status, refused.body.code, refused.body.details.result]).toEqual([409, 'BF_ERR_TELEPHONY_COMMAND_FAILED', 3200]);
  });
});
