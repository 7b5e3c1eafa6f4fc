import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Contact, IdentifyInput } from '../../plugin-sdk.js';
import { startTestApp, type TestApp } from '../../test/helpers/app.js';
import { toE164 } from '../contacts/phone.js';

let t: TestApp;
let owner: string;
let tenant: string;
let tenantId: string;
beforeAll(async () => {
  t = await startTestApp();
  owner = await t.login(t.owner.email, t.owner.password);
  tenant = `contacts-${crypto.randomUUID().slice(0, 6)}`;
  const made = await t.api('POST', '/api/v1/tenants', { token: owner, body: { slug: tenant, name: 'Contacts spa', timezone: 'Europe/Moscow', locale: 'ru', currency: 'RUB' } });
  expect(made.status).toBe(201);
  expect(made.body.country).toBe('RU');
  tenantId = made.body.id;
});
afterAll(() => t?.close());

const api = (method: string, path: string, body?: unknown) => t.api(method, path, { token: owner, tenant, body });
const contacts = () => t.app.host.contacts;
const identify = (input: IdentifyInput) => t.app.db.db.transaction().execute((trx) => contacts().identify(trx, tenantId, input));
const chat = (chatId: string) => ({ channel: 'webchat' as const, chatId });
const phones = (c: Contact) => c.identities.filter((i) => i.kind === 'phone').map((i) => `${i.value}${i.verified ? '' : '?'}`);

describe('one phone normalizer', () => {
  it('reads a phone as the business\'s country dials it', () => {
    expect(toE164('8 916 123-45-67', 'RU')).toBe('+79161234567');
    expect(toE164('+7 (916) 123 45 67', 'UA')).toBe('+79161234567');
    expect(toE164('067 123 45 67', 'UA')).toBe('+380671234567');
    expect(toE164('+49 170 9990001', 'RU')).toBe('+491709990001');
    for (const bad of ['12345', 'call me', '', '+', '8'.repeat(70)]) expect(toE164(bad, 'RU')).toBeNull();
  });

  it('the flow input node stores "8 916 123-45-67" as +79161234567 (the demo\'s call-back request, over the web chat)', async () => {
    const started = await t.api('POST', '/api/v1/public/demo/webchat/sessions', { body: { locale: 'en' } });
    expect(started.status).toBe(201);
    const menu = started.body.messages.find((m: any) => m.buttons);
    const callBack = menu.buttons.flat().find((b: any) => /call me back/i.test(b.label));
    const say = (body: unknown) => t.api('POST', `/api/v1/public/demo/webchat/sessions/${started.body.sessionId}/messages`, { body });
    expect((await say({ callback: callBack.callback })).body.messages[0].text).toMatch(/phone/i);
    const answer = await say({ text: '8 916 123-45-67' });
    expect(answer.body.messages.map((m: any) => m.text).join('\n')).toContain('+79161234567');
  });
});

describe('the contacts API', () => {
  it('adds a client at the desk and finds them by name, email and the phone in any format', async () => {
    const made = await api('POST', '/api/v1/contacts', { name: 'Инна Лебедева', phone: '8 (916) 555-12-34', email: ' Inna@Example.COM ', tags: ['vip', 'vip '] });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    expect(made.body).toMatchObject({ name: 'Инна Лебедева', tags: ['vip'], consent: { marketing: null }, identities: [
      { kind: 'phone', value: '+79165551234', botId: null, verified: true, unreachable: false },
      { kind: 'email', value: 'inna@example.com', botId: null, verified: true, unreachable: false },
    ] });
    for (const q of ['инна', 'Лебед', '8 916 555-12-34', '+7 916 555 12 34', '89165551234', '5551234', 'inna@example', 'INNA@EXAMPLE.COM']) {
      const found = await api('GET', `/api/v1/contacts?q=${encodeURIComponent(q)}`);
      expect(found.body, q).toEqual({ items: [{ id: made.body.id, name: 'Инна Лебедева', identities: [{ kind: 'phone', value: '+79165551234', verified: true }, { kind: 'email', value: 'inna@example.com', verified: true }] }], total: 1 });
    }
    expect((await api('GET', '/api/v1/contacts?q=nobody-like-this')).body).toEqual({ items: [], total: 0 });
    expect((await api('POST', '/api/v1/contacts', { name: 'Bad', phone: '12345' })).body).toMatchObject({ code: 'BF_ERR_CONTACT_PHONE_INVALID', details: { field: '/body/phone' } });
    expect((await api('POST', '/api/v1/contacts', { name: 'Bad', email: 'nope' })).body).toMatchObject({ code: 'BF_ERR_CONTACT_EMAIL_INVALID', details: { field: '/body/email' } });
  });

  it('finds the demo client by "8 916 123-45-01"', async () => {
    const found = await t.api('GET', `/api/v1/contacts?q=${encodeURIComponent('8 916 123-45-01')}`, { token: owner, tenant: 'demo' });
    expect(found.body.items).toEqual([{ id: expect.any(String), name: 'Анна Ковалёва', identities: [{ kind: 'phone', value: '+79161234501', verified: true }] }]);
  });

  it('a business in another country reads its clients\' phones its way', async () => {
    await t.app.db.db.updateTable('tenants').set({ country: 'UA' }).where('id', '=', tenantId).execute();
    try {
      // The business profile is cached; a direct write is not the profile PATCH, so the cache is told as that route tells it.
      t.app.host.forget(tenantId);
      const made = await api('POST', '/api/v1/contacts', { name: 'Оксана', phone: '067 123 45 67' });
      expect(made.body.identities[0].value).toBe('+380671234567');
      expect((await api('GET', `/api/v1/contacts?q=${encodeURIComponent('067 123 45 67')}`)).body.items.map((c: any) => c.id)).toEqual([made.body.id]);
    } finally {
      await t.app.db.db.updateTable('tenants').set({ country: 'RU' }).where('id', '=', tenantId).execute();
      t.app.host.forget(tenantId);
    }
  });

  it('updates the card; a marketing opt-in and opt-out carry the time and the source; both are audited', async () => {
    const made = await api('POST', '/api/v1/contacts', { name: 'Card Person' });
    const patched = await api('PATCH', `/api/v1/contacts/${made.body.id}`, { name: 'Card Person Jr', tags: ['new'], locale: 'en', timezone: 'Europe/Berlin', birthday: '1990-02-28', notes: 'likes tea', consent: { marketing: true } });
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);
    expect(patched.body).toMatchObject({ name: 'Card Person Jr', tags: ['new'], locale: 'en', timezone: 'Europe/Berlin', birthday: '1990-02-28', notes: 'likes tea', consent: { marketing: true, marketingSource: 'staff' } });
    expect(Math.abs(Date.parse(patched.body.consent.marketingAt) - t.clock.nowMs())).toBeLessThan(60_000);
    const out = await api('PATCH', `/api/v1/contacts/${made.body.id}`, { consent: { marketing: false } });
    expect(out.body.consent).toMatchObject({ marketing: false, marketingSource: 'staff' });
    const audit = await api('GET', `/api/v1/audit?entity=contact&entityId=${made.body.id}`);
    expect(audit.body.items.map((a: any) => a.action)).toEqual(['update', 'update', 'create']);
    expect(audit.body.items[0]).toMatchObject({ before: { consent: { marketing: true } }, after: { consent: { marketing: false } } });

    for (const [body, code] of [[{ timezone: 'Mars/Olympus' }, 'BF_ERR_CONTACT_TIMEZONE_INVALID'], [{ birthday: '1990-13-01' }, 'BF_ERR_VALIDATION_FAILED'], [{}, 'BF_ERR_VALIDATION_FAILED'], [{ consent: { marketing: 'yes' } }, 'BF_ERR_VALIDATION_FAILED']] as const) {
      const res = await api('PATCH', `/api/v1/contacts/${made.body.id}`, body);
      expect([res.status, res.body.code], JSON.stringify(body)).toEqual([400, code]);
    }
    expect((await api('GET', `/api/v1/contacts/${crypto.randomUUID()}`)).body.code).toBe('BF_ERR_CONTACT_NOT_FOUND');
  });

  it('is for the business\'s staff: a specialist reads no contacts, another business none of these', async () => {
    const made = await api('POST', '/api/v1/contacts', { name: 'Private Person', phone: '+79165550000' });
    const specialist = await t.addMember(owner, `spec-${tenant}@test.local`, 'specialist', { tenant });
    for (const path of ['/api/v1/contacts', `/api/v1/contacts/${made.body.id}`]) {
      expect((await t.api('GET', path, { token: specialist.token, tenant })).status).toBe(403);
    }
    const elsewhere = await t.api('GET', `/api/v1/contacts/${made.body.id}`, { token: owner, tenant: 'demo' });
    expect(elsewhere.status).toBe(404);
    expect((await t.api('GET', '/api/v1/contacts?q=Private Person', { token: owner, tenant: 'demo' })).body.total).toBe(0);
  });
});

describe('identity rules (ctx.contacts.identify)', () => {
  it('a typed phone stays unverified on the chat\'s own contact and never joins the record holding it', async () => {
    const desk = await identify({ name: 'Desk Client', phone: '+79160004400' });
    expect(phones(desk)).toEqual(['+79160004400']);
    const typed = await identify({ conversation: chat(crypto.randomUUID()), name: 'Someone', phone: '8 916 000-44-00' });
    expect(typed.id).not.toBe(desk.id);
    expect(phones(typed)).toEqual(['+79160004400?']);
    // The business's own entry of the phone still finds the desk client, never the chat's.
    expect((await identify({ phone: '+7 916 000 44 00' })).id).toBe(desk.id);
    expect((await contacts().findByPhone(t.app.db.db, tenantId, '89160004400'))!.id).toBe(desk.id);
  });

  it('an anonymous caller\'s unverified phone gets a contact of its own; a verified one finds the holder', async () => {
    const desk = await identify({ name: 'Holder', phone: '+79160004411' });
    const first = await identify({ anonymous: true, name: 'Guest', phone: '+79160004411' });
    const second = await identify({ anonymous: true, name: 'Guest', phone: '+79160004411' });
    expect(new Set([desk.id, first.id, second.id]).size).toBe(3);
    expect((await identify({ anonymous: true, phone: '+79160004411', phoneVerified: true })).id).toBe(desk.id);
  });

  it('a chat proving a phone joins its holder: the chat\'s own contact is merged in, and restoring it from the trash undoes that', async () => {
    const desk = await identify({ name: 'Proven Holder', phone: '+79160004422' });
    const conversation = chat(crypto.randomUUID());
    const own = await identify({ conversation, name: 'Chat Self' });
    await t.app.db.db.transaction().execute((trx) => contacts().update(trx, tenantId, own.id, { tags: ['from-chat'] }, null));
    const joined = await identify({ conversation, phone: '+79160004422', phoneVerified: true });
    expect(joined).toMatchObject({ id: desk.id, name: 'Proven Holder', tags: ['from-chat'] });
    expect(joined.identities.map((i) => i.kind).sort()).toEqual(['phone', 'webchat']);
    // The merged id answers as the contact it became; the trash lists it.
    expect((await contacts().get(t.app.db.db, tenantId, own.id))!.id).toBe(desk.id);
    expect((await contacts().resolve(t.app.db.db, tenantId, conversation))!.id).toBe(desk.id);
    const trash = await api('GET', '/api/v1/trash');
    expect(trash.body.items).toContainEqual(expect.objectContaining({ entity: 'contact', id: own.id, label: 'Chat Self' }));

    expect((await api('POST', `/api/v1/trash/contact/${own.id}/restore`)).body).toEqual({ entity: 'contact', id: own.id, restored: true });
    expect((await contacts().resolve(t.app.db.db, tenantId, conversation))!.id).toBe(own.id);
    expect((await contacts().get(t.app.db.db, tenantId, desk.id))!.identities.map((i) => i.kind)).toEqual(['phone']);
    const audit = await api('GET', `/api/v1/audit?entity=contact&entityId=${own.id}`);
    expect(audit.body.items.map((a: any) => a.action).slice(0, 2)).toEqual(['restore', 'merge']);
  });

  it('concurrent identifies of one new phone make one contact', async () => {
    const made = await Promise.all(Array.from({ length: 6 }, () => identify({ name: 'Racer', phone: '+79160004433' })));
    expect(new Set(made.map((c) => c.id)).size).toBe(1);
  });
});

describe('the conversation\'s contact on each turn', () => {
  it('is resolved into flow_sessions.contact_id and marks the contact as seen on the clock', async () => {
    const started = await t.api('POST', '/api/v1/public/demo/webchat/sessions', { body: { locale: 'en' } });
    const sessionId = started.body.sessionId;
    const row = () => t.app.db.db.selectFrom('flow_sessions').select(['contact_id', 'client', 'chat_id']).where('id', '=', sessionId).executeTakeFirstOrThrow();
    expect((await row()).contact_id).toBeNull();
    const { chat_id } = await row();
    const known = await t.app.db.db.transaction().execute((trx) => contacts().identify(trx, t.demoTenantId, { conversation: chat(chat_id), name: 'Web Visitor' }));
    t.clock.advance(3_600_000);
    try {
      await t.api('POST', `/api/v1/public/demo/webchat/sessions/${sessionId}/messages`, { body: { text: 'hello' } });
      const after = await row();
      expect(after.contact_id).toBe(known.id);
      expect(after.client).toMatchObject({ contactId: known.id });
      const seen = (await contacts().get(t.app.db.db, t.demoTenantId, known.id))!.lastSeenAt!;
      expect(Math.abs(seen.getTime() - t.clock.nowMs())).toBeLessThan(60_000);
    } finally {
      t.clock.advance(-3_600_000);
    }
  });
});
