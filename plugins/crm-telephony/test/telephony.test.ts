import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../test/helpers/app.js';
import { MangoStandIn } from '../../../test/helpers/mango-standin.js';
import { makeSpa, nextMonday } from '../../../test/helpers/spa.js';

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

/** Opens the studio's stream of ringing calls; `lists` grows with every list pushed. */
async function openCalls(app: TestApp, bearer: string, business: string, open: Array<{ close(): void }>) {
  const aborter = new AbortController();
  const res = await fetch(`${app.url}/api/v1/telephony/live`, { headers: { authorization: `Bearer ${bearer}`, 'x-tenant': business, accept: 'text/event-stream' }, signal: aborter.signal });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe('text/event-stream');
  open.push({ close: () => aborter.abort() });
  const lists: unknown[][] = [];
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  void (async () => {
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }));
      if (done) return;
      buffer += value;
      for (let i = buffer.indexOf('\n\n'); i >= 0; i = buffer.indexOf('\n\n')) {
        const data = /^event: calls\ndata: (.*)$/m.exec(buffer.slice(0, i))?.[1];
        if (data) lists.push(JSON.parse(data).items);
        buffer = buffer.slice(i + 2);
      }
    }
  })();
  return { lists };
}

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

  it('pushes the ringing calls to the owners\' and admins\' streams on every instance, at once, and only of their business', async () => {
    const other = await startTestApp({ plugins: ['crm-telephony'], databaseUrl: t.databaseUrl, seedDemo: false });
    const slug = `spa-${Date.now().toString(36)}`;
    expect((await t.api('POST', '/api/v1/tenants', { token, body: { slug, name: 'Another spa', timezone: 'Europe/Moscow', locale: 'ru', currency: 'RUB' } })).status).toBe(201);
    expect((await t.api('PUT', '/api/v1/plugins/crm-telephony/enabled', { token, tenant: slug, body: { enabled: true } })).status).toBe(200);
    const manager = await t.addMember(token, `calls-manager-${slug}@test.local`, 'manager', { tenant });
    const streams: Array<{ close(): void }> = [];
    try {
      // A manager does not answer the phones: no stream for them.
      expect((await fetch(`${t.url}/api/v1/telephony/live`, { headers: { authorization: `Bearer ${manager.token}`, 'x-tenant': tenant, accept: 'text/event-stream' } })).status).toBe(403);
      const here = await openCalls(t, token, tenant, streams);
      const there = await openCalls(other, token, tenant, streams);
      const stranger = await openCalls(other, token, slug, streams);
      for (const s of [here, there, stranger]) await expect.poll(() => s.lists).toEqual([[]]);
      const maria = (await api('GET', '/api/v1/contacts?q=%2B79161234502')).body.items[0];
      const appeared = { entry_id: 'S1', call_id: 'SC1', timestamp: now(), seq: 1, call_state: 'Appeared', from: { number: '79161234502' }, to: { number: '74951234567' } };
      const sent = Date.now();
      expect((await mango.post(hook, 'call', appeared)).body).toEqual({ ok: true, duplicate: false });
      const ringing = [expect.objectContaining({ number: '+79161234502', contact: expect.objectContaining({ id: maria.id, marks: expect.objectContaining({ color: 'earlier' }) }) })];
      await expect.poll(() => there.lists.at(-1), { interval: 20, timeout: 3000 }).toEqual(ringing);
      await expect.poll(() => here.lists.at(-1), { interval: 20, timeout: 3000 }).toEqual(ringing);
      console.log(`call pushed to both instances' streams ${Date.now() - sent} ms after the event`);
      await mango.post(hook, 'call', { ...appeared, seq: 2, call_state: 'Disconnected' });
      await expect.poll(() => here.lists.at(-1)).toEqual([]);
      await expect.poll(() => there.lists.at(-1)).toEqual([]);
      // The other business's admin heard of none of it.
      expect(stranger.lists).toEqual([[]]);
    } finally {
      for (const s of streams) s.close();
      await other.close();
    }
  });

  it('exports the client\'s calls and messages from the card, and the retention policy forgets recordings and texts after N months', async () => {
    const anna = (await api('GET', '/api/v1/contacts?q=%2B79161234501')).body.items[0];
    const ctx = t.app.host.get('crm-telephony').ctx;
    await t.app.db.db.transaction().execute((trx) => ctx.messages.send(trx, {
      tenantId: t.demoTenantId, to: { contactId: anna.id }, purpose: 'transactional', idempotencyKey: 'retention-1', message: { text: 'Ждём вас в четверг' },
    }));
    // Messages still to be sent keep their text: the policy is checked once this one has left (or given up).
    await expect.poll(async () => (await api('GET', `/api/v1/crm/contacts/${anna.id}/export`)).body.messages?.find((m: { text: string }) => m.text === 'Ждём вас в четверг')?.status, { timeout: 20_000 })
      .not.toMatch(/^(queued|sending|undefined)$/);
    const exported = (await api('GET', `/api/v1/crm/contacts/${anna.id}/export`)).body;
    expect(exported.calls).toEqual([expect.objectContaining({ direction: 'in', number: '+79161234501', answeredBy: '101', durationSec: 90, recordingUrl: 'https://records.example/E1.mp3' })]);
    expect(exported.messages).toEqual(expect.arrayContaining([expect.objectContaining({ direction: 'out', purpose: 'transactional', text: 'Ждём вас в четверг' })]));
    const csv = await (await fetch(`${t.url}/api/v1/crm/contacts/${anna.id}/export?format=csv`, { headers: { authorization: `Bearer ${token}`, 'x-tenant': tenant } })).text();
    expect(csv).toContain('calls,0.recordingUrl,https://records.example/E1.mp3');
    expect(csv).toMatch(/messages,\d+\.text,Ждём вас в четверг/);

    // Kept for good unless the owner sets a period: nothing is forgotten.
    expect((await api('POST', '/api/v1/crm/retention/run')).body).toEqual({ before: null, messages: 0, records: 0, failed: [] });
    const crm = (await api('GET', '/api/v1/plugins')).body.items.find((p: { id: string }) => p.id === 'crm');
    expect((await api('PUT', '/api/v1/plugins/crm/config', { config: { ...crm.config, retentionMonths: 2 } })).status).toBe(200);
    // A month on, all is younger than two months.
    t.clock.set(new Date(t.clock.now().getTime() + 31 * 86_400_000));
    token = await t.login(t.owner.email, t.owner.password);
    expect((await api('POST', '/api/v1/crm/retention/run')).body).toMatchObject({ messages: 0, records: 0, failed: [] });
    expect((await api('GET', `/api/v1/telephony/calls?contactId=${anna.id}`)).body.items[0].recordingUrl).toBe('https://records.example/E1.mp3');
    // Three months on: the morning job forgets the recording's link and the message's text; the call itself stays for the funnel.
    t.clock.set(new Date(t.clock.now().getTime() + 62 * 86_400_000));
    token = await t.login(t.owner.email, t.owner.password);
    await expect.poll(async () => (await api('GET', `/api/v1/telephony/calls?contactId=${anna.id}`)).body.items[0].recordingUrl, { timeout: 20_000 }).toBeNull();
    expect((await api('GET', `/api/v1/telephony/calls?contactId=${anna.id}`)).body.items).toEqual([expect.objectContaining({ durationSec: 90, result: 'answered', recordingUrl: null })]);
    const after = (await api('GET', `/api/v1/crm/contacts/${anna.id}/export`)).body;
    expect(after.messages.length).toBe(exported.messages.length);
    expect(after.messages.map((m: { text: string }) => m.text).filter(Boolean)).toEqual([]);
    // Idempotent: a run by hand now finds nothing left to forget.
    expect((await api('POST', '/api/v1/crm/retention/run')).body).toMatchObject({ messages: 0, records: 0, failed: [] });
    const audit = await t.app.db.db.selectFrom('audit_log').select(['actor_id', 'after']).where('tenant_id', '=', t.demoTenantId).where('entity', '=', 'retention').execute();
    expect(audit.filter((a) => (a.after as { records: number }).records === 1)).toEqual([expect.objectContaining({ actor_id: null })]);
    expect(audit.filter((a) => (a.after as { messages: number }).messages >= 1)).toHaveLength(1);
    const exports = await t.app.db.db.selectFrom('audit_log').select('action').where('tenant_id', '=', t.demoTenantId).where('entity_id', '=', anna.id).where('action', '=', 'export').execute();
    expect(exports.length).toBeGreaterThanOrEqual(3);
  });

  it('the funnel of a scripted day: two calls, the phone booking one of them made, its visit', async () => {
    const day = nextMonday(t.clock.now());
    // 08:00 in Moscow, the spa's zone; sign-ins come after the move.
    t.clock.set(`${day}T05:00:00.000Z`);
    const spa = await makeSpa(t, 1);
    expect((await spa.api('PUT', '/api/v1/plugins/crm-telephony/enabled', { enabled: true })).status).toBe(200);
    expect((await spa.api('PUT', '/api/v1/plugins/crm-telephony/config', { config: { apiKey: KEY, apiSalt: SALT, extensions: [] } })).status).toBe(200);
    const spaHook = `${t.url}/api/v1/public/${spa.tenant}/telephony/mango/`;
    for (const [entry, number] of [['F1', '79160000401'], ['F2', '79160000402']]) {
      expect((await mango.post(spaHook, 'call', { entry_id: entry, call_id: `C${entry}`, timestamp: now(), seq: 1, call_state: 'Appeared', from: { number } })).body).toEqual({ ok: true, duplicate: false });
    }
    const booked = await spa.api('POST', '/api/v1/bookings', { serviceId: spa.serviceId, start: `${day}T07:00:00.000Z`, source: 'phone', client: { name: 'Звонившая', phone: '+79160000401' } });
    expect(booked.status, JSON.stringify(booked.body)).toBe(201);
    for (const status of ['arrived', 'completed']) expect((await spa.api('PATCH', `/api/v1/bookings/${booked.body.id}`, { status })).status).toBe(200);
    const funnel = (await spa.api('GET', `/api/v1/crm/reports/funnel?from=${day}&to=${day}`)).body;
    expect(funnel.steps).toEqual([
      { step: 'calls', count: 2, conversion: null },
      { step: 'bookings', count: 1, conversion: 50 },
      { step: 'visits', count: 1, conversion: 100 },
      { step: 'regular', count: 0, conversion: 0 },
    ]);
    expect(funnel.bySource).toEqual({ phone: { bookings: 1, visits: 1 } });
  });
});
