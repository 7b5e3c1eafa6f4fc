/**
 * The message outbox through the real app: ctx.messages.send in a transaction, the dispatcher sending through the
 * Bot API stand-in (which enforces Telegram's limits), idempotency, unreachable identities, consent, quiet hours,
 * proactive buttons, and the messages API.
 */
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PluginContext, SendInput } from '../../../plugin-sdk.js';
import { startTestApp, type TestApp } from '../../../test/helpers/app.js';
import { BotApiStandIn, inlineButtons } from '../../../test/helpers/bot-api-standin.js';
import { until } from '../../../test/helpers/wait.js';
import { en, graph } from '../../flow/test/graph-builder.js';
import { makeContact } from '../../../test/helpers/contacts.js';

const TOKEN = '800201:outbox-token-bbbbbbbbbbbbbbbbbbbb';
let standin: BotApiStandIn;
let t: TestApp;
let owner: string;
let tenantId: string;
let botId: string;
let ctx: PluginContext;
const call = (method: string, path: string, body?: unknown, token = owner) => t.api(method, path, { token, tenant: 'outbox', body });
const texts = (chat: number | string) => standin.sent(chat).map((m) => m.text ?? m.caption);
const send = (input: Omit<SendInput, 'tenantId' | 'idempotencyKey'> & { idempotencyKey?: string }) =>
  t.app.db.db.transaction().execute((trx) => ctx.messages.send(trx, { tenantId, idempotencyKey: crypto.randomUUID(), ...input }));
const row = (id: string) => t.app.db.db.selectFrom('messages').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
const settled = (id: string) => until(`message ${id} to settle`, async () => { const r = await row(id); return ['sent', 'failed', 'skipped'].includes(r.status) && r; });
let nextChat = 5000;
const tgContact = async (opts: { marketing?: boolean; locale?: 'ru' | 'en' | 'uk' } = {}) => {
  const chat = String(nextChat++);
  return { chat, ...(await makeContact(t.app.db.db, tenantId, { name: `Client ${chat}`, ...opts, identities: [{ kind: 'telegram', value: chat, botId }] })) };
};

beforeAll(async () => {
  standin = await BotApiStandIn.start();
  t = await startTestApp({ config: { telegramApiRoot: standin.url, publicUrl: 'https://bots.example.test' } });
  standin.webhookTarget = t.url;
  owner = await t.login(t.owner.email, t.owner.password);
  const created = await t.api('POST', '/api/v1/tenants', { token: owner, body: { slug: 'outbox', name: 'Outbox Spa', timezone: 'Europe/Berlin', locale: 'en', currency: 'EUR' } });
  tenantId = created.body.id;
  const flow = graph([
    ['start', 'trigger.command', { command: '/start' }], ['hi', 'message', { text: en('Hello there') }], ['fin', 'end', {}],
    ['offer', 'trigger.command', { command: '/offer' }], ['pick', 'choice', { text: en('Pick'), buttons: [{ id: 'a', label: en('A') }] }], ['gotA', 'end', { text: en('Got A') }],
    ['deals', 'trigger.command', { command: '/deals' }], ['deal', 'message', { text: en('Deal of the day') }],
  ], ['start.next>hi', 'hi.next>fin', 'offer.next>pick', 'pick.a>gotA', 'deals.next>deal', 'deal.next>fin']);
  const f = await call('POST', '/api/v1/flows', { key: 'main', name: 'Main', graph: flow });
  expect((await call('POST', `/api/v1/flows/${f.body.id}/publish`)).status).toBe(200);
  botId = (await call('POST', '/api/v1/bots', { name: 'Outbox bot', token: TOKEN })).body.id;
  ctx = t.app.host.get('example').ctx;
});
afterAll(async () => {
  await t?.close();
  await standin?.close();
});

describe('ctx.messages.send', () => {
  it('writes the message in the caller’s transaction: rolled back, it is never sent', async () => {
    const c = await tgContact();
    await t.app.db.db.transaction().execute(async (trx) => {
      await ctx.messages.send(trx, { tenantId, to: { contactId: c.id }, message: { text: 'rolled back' }, purpose: 'transactional', idempotencyKey: 'rb-1' });
      throw new Error('the caller changes its mind');
    }).catch(() => {});
    const later = await send({ to: { contactId: c.id }, message: { text: 'committed' }, purpose: 'transactional' });
    expect((await settled(later.id)).status).toBe('sent');
    expect(texts(c.chat)).toEqual(['committed']);
    expect(await t.app.db.db.selectFrom('messages').select('id').where('idempotency_key', '=', 'rb-1').execute()).toEqual([]);
  });

  it('one idempotency key is sent once, however many senders race with it', async () => {
    const c = await tgContact();
    const results = await Promise.all(Array.from({ length: 8 }, () => send({ to: { contactId: c.id }, message: { text: 'only once' }, purpose: 'transactional', idempotencyKey: `once-${c.id}` })));
    expect(new Set(results.map((r) => r.id)).size).toBe(1);
    await settled(results[0].id);
    // a later send with the key answers the first row, whatever its status now
    expect(await send({ to: { contactId: c.id }, message: { text: 'again' }, purpose: 'transactional', idempotencyKey: `once-${c.id}` })).toEqual({ id: results[0].id, status: 'sent' });
    await send({ to: { contactId: c.id }, message: { text: 'next' }, purpose: 'transactional' }).then((r) => settled(r.id));
    expect(texts(c.chat)).toEqual(['only once', 'next']);
  });

  it('refuses bad input naming the field, and a contact of another business', async () => {
    const c = await tgContact();
    const bad = await send({ to: { contactId: c.id }, message: { text: '', buttons: [[{ label: 'x', value: 'v' }]] }, purpose: 'transactional' }).catch((e) => e);
    expect(bad.code).toBe('BF_ERR_MESSAGE_INVALID');
    expect(bad.details.errors.map((e: { path: string }) => e.path)).toContain('/message/text');
    const other = await makeContact(t.app.db.db, t.demoTenantId, { name: 'Elsewhere', identities: [] });
    expect((await send({ to: { contactId: other.id }, message: { text: 'hi' }, purpose: 'transactional' }).catch((e) => e)).code).toBe('BF_ERR_CONTACT_NOT_FOUND');
  });

  it('a 429 reschedules the message after retry_after, not failed; a chat gets its messages in order', async () => {
    const c = await tgContact();
    standin.failNext('sendMessage', 1);
    const ids = [];
    for (const text of ['one', 'two', 'three', 'four']) ids.push((await send({ to: { contactId: c.id }, message: { text }, purpose: 'transactional' })).id);
    for (const id of ids) expect((await settled(id)).status).toBe('sent');
    expect(texts(c.chat)).toEqual(['one', 'two', 'three', 'four']);
    expect(standin.calls.filter((x) => x.method === 'sendMessage' && x.payload.chat_id === c.chat).map((x) => x.status)).toContain(429);
  });

  it('a chat that blocked the bot (403) marks the identity unreachable and the next channel gets the message', async () => {
    const chat = String(nextChat++);
    standin.blocked.add(chat);
    const widget = await t.api('POST', '/api/v1/public/outbox/webchat/sessions', { body: {} });
    expect(widget.status).toBe(201);
    const c = await makeContact(t.app.db.db, tenantId, { name: 'Blocked', identities: [{ kind: 'telegram', value: chat, botId }, { kind: 'webchat', value: widget.body.sessionId }] });
    const sent = await send({ to: { contactId: c.id }, message: { text: 'Your booking is confirmed' }, purpose: 'transactional' });
    expect(await settled(sent.id)).toMatchObject({ status: 'sent', channel: 'webchat', identity_id: c.identityIds[1] });
    const identity = await t.app.db.db.selectFrom('contact_identities').select(['unreachable_at', 'unreachable_reason']).where('id', '=', c.identityIds[0]).executeTakeFirstOrThrow();
    expect(identity.unreachable_reason).toMatch(/blocked by the user/);
    const events = await fetch(`${t.url}/api/v1/public/outbox/webchat/sessions/${widget.body.sessionId}/events?after=0`);
    const reader = events.body!.getReader();
    let stream = '';
    while (!stream.includes('Your booking is confirmed')) stream += new TextDecoder().decode((await reader.read()).value);
    await reader.cancel();
    // the next message skips the unreachable chat without asking Telegram again
    const before = standin.calls.filter((x) => x.payload.chat_id === chat).length;
    expect(await settled((await send({ to: { contactId: c.id }, message: { text: 'Reminder' }, purpose: 'transactional' })).id)).toMatchObject({ channel: 'webchat' });
    expect(standin.calls.filter((x) => x.payload.chat_id === chat)).toHaveLength(before);
  });

  it('a contact without any reachable channel is skipped', async () => {
    const c = await makeContact(t.app.db.db, tenantId, { name: 'Nowhere', identities: [{ kind: 'email', value: 'nowhere@example.test' }] });
    expect(await settled((await send({ to: { contactId: c.id }, message: { text: 'hi' }, purpose: 'transactional', channels: ['telegram'] })).id)).toMatchObject({ status: 'skipped', reason: 'no-reachable-channel' });
  });
});

describe('marketing messages', () => {
  it('need an opt-in: without one, or after an opt-out, they are skipped', async () => {
    const none = await tgContact();
    const out = await tgContact({ marketing: false });
    for (const c of [none, out]) expect(await settled((await send({ to: { contactId: c.id }, message: { text: 'Sale!' }, purpose: 'marketing' })).id)).toMatchObject({ status: 'skipped', reason: 'no-consent' });
    expect([...texts(none.chat), ...texts(out.chat)]).toEqual([]);
  });

  it('carry an unsubscribe button in the client’s language; pressing it records the opt-out', async () => {
    const c = await tgContact({ marketing: true, locale: 'uk' });
    const sent = await send({ to: { contactId: c.id }, message: { text: { en: 'Sale!', uk: 'Розпродаж!' } }, purpose: 'marketing' });
    expect((await settled(sent.id)).status).toBe('sent');
    const [m] = standin.sent(c.chat);
    expect(m.text).toBe('Розпродаж!');
    const unsubscribe = inlineButtons(m).find((b) => b.text === 'Відписатися')!;
    expect(unsubscribe.callback_data).toMatch(/^m[A-Za-z0-9_-]{16}$/);
    await standin.press(TOKEN, Number(c.chat), unsubscribe.callback_data);
    await standin.waitForSent(c.chat, 2);
    expect(texts(c.chat)[1]).toBe('Ви більше не отримуватимете рекламних повідомлень.');
    const contact = await t.app.db.db.selectFrom('contacts').select('consent').where('id', '=', c.id).executeTakeFirstOrThrow();
    expect(contact.consent.marketing).toMatchObject({ granted: false, source: 'unsubscribe-button' });
    expect(await settled((await send({ to: { contactId: c.id }, message: { text: 'More sales' }, purpose: 'marketing' })).id)).toMatchObject({ status: 'skipped', reason: 'no-consent' });
  });

  it('wait for the end of the business’s quiet hours in its zone, across a DST change', async () => {
    expect((await call('PATCH', '/api/v1/tenant', { quietHours: { from: '21:00', to: '09:00' } })).body.quietHours).toEqual({ from: '21:00', to: '09:00' });
    const c = await tgContact({ marketing: true });
    const saved = t.clock.now();
    try {
      // 23:30 in Berlin the night clocks go forward: the quiet hours end at 09:00 CEST, 07:00 UTC
      t.clock.set('2026-03-28T22:30:00Z');
      const sent = await send({ to: { contactId: c.id }, message: { text: 'Spring offer' }, purpose: 'marketing' });
      expect(await row(sent.id)).toMatchObject({ status: 'queued', reason: 'quiet-hours', not_before: new Date('2026-03-29T07:00:00Z') });
      const transactional = await send({ to: { contactId: c.id }, message: { text: 'Booking moved' }, purpose: 'transactional' });
      expect((await settled(transactional.id)).status).toBe('sent');
      t.clock.set('2026-03-29T07:00:01Z');
      expect((await settled(sent.id)).status).toBe('sent');
      expect(texts(c.chat)).toEqual(['Booking moved', 'Spring offer']);
    } finally {
      t.clock.set(saved);
      await call('PATCH', '/api/v1/tenant', { quietHours: null });
    }
  });
});

describe('buttons of proactive messages', () => {
  it('a flow button starts that flow in the chat, however much dialog happened since', async () => {
    const c = await tgContact();
    const sent = await send({ to: { contactId: c.id }, message: { text: 'Today only', buttons: [[{ label: 'Show me', flow: { flowKey: 'main', nodeId: 'deal' } }]] }, purpose: 'transactional' });
    await settled(sent.id);
    const [offer] = standin.sent(c.chat);
    await standin.text(TOKEN, Number(c.chat), '/offer');
    await standin.waitForSent(c.chat, 2);
    await standin.press(TOKEN, Number(c.chat), inlineButtons(offer)[0].callback_data);
    await standin.waitForSent(c.chat, 3);
    expect(texts(c.chat)).toEqual(['Today only', 'Pick', 'Deal of the day']);
  });

  it('an unknown button is answered “no longer current”, in the client’s language', async () => {
    const c = await tgContact();
    const answered = standin.calls.filter((x) => x.method === 'answerCallbackQuery').length;
    await standin.press(TOKEN, Number(c.chat), `m${'A'.repeat(16)}`);
    await until('the press answered', () => standin.calls.filter((x) => x.method === 'answerCallbackQuery').length > answered);
    expect(standin.calls.filter((x) => x.method === 'answerCallbackQuery').at(-1)!.payload.text).toBe('This choice is no longer current');
  });
});

describe('messages API', () => {
  it('staff write to a client (202), read the message and the client’s log in both directions', async () => {
    const c = await tgContact();
    await standin.text(TOKEN, Number(c.chat), '/start');
    await standin.waitForSent(c.chat, 1);
    const posted = await call('POST', '/api/v1/messages', { contactId: c.id, text: 'Your master is running 10 minutes late' });
    expect(posted.status).toBe(202);
    expect(posted.body).toEqual({ id: expect.any(String), status: 'queued' });
    await settled(posted.body.id);
    expect((await call('GET', `/api/v1/messages/${posted.body.id}`)).body).toMatchObject({ id: posted.body.id, direction: 'out', status: 'sent', channel: 'telegram', contactId: c.id, text: 'Your master is running 10 minutes late', providerId: expect.any(String) });
    const log = await call('GET', `/api/v1/contacts/${c.id}/messages`);
    expect(log.status).toBe(200);
    expect(log.body.items.map((m: any) => [m.direction, m.text, m.status])).toEqual([
      ['out', 'Your master is running 10 minutes late', 'sent'], ['out', 'Hello there', 'sent'], ['in', '/start', 'received'],
    ]);
    expect(log.body.total).toBe(3);
    expect(texts(c.chat)).toEqual(['Hello there', 'Your master is running 10 minutes late']);
  });

  it('an Idempotency-Key makes a retried POST answer the first message', async () => {
    const c = await tgContact();
    const once = () => t.api('POST', '/api/v1/messages', { token: owner, tenant: 'outbox', body: { contactId: c.id, text: 'once' }, headers: { 'idempotency-key': 'k-1' } });
    const [a, b] = [await once(), await once()];
    expect(b.body.id).toBe(a.body.id);
    await settled(a.body.id);
    expect(texts(c.chat)).toEqual(['once']);
  });

  it('refuses bad input naming the field, unknown ids, and roles that may not write', async () => {
    const bad = await call('POST', '/api/v1/messages', { contactId: 'nope', text: '' });
    expect(bad.status).toBe(400);
    expect([...new Set(bad.body.details.errors.map((e: any) => e.path))].sort()).toEqual(['/body/contactId', '/body/text']);
    expect((await call('POST', '/api/v1/messages', { contactId: crypto.randomUUID(), text: 'hi' })).body.code).toBe('BF_ERR_CONTACT_NOT_FOUND');
    expect((await call('GET', `/api/v1/messages/${crypto.randomUUID()}`)).body.code).toBe('BF_ERR_MESSAGE_NOT_FOUND');
    expect((await call('GET', `/api/v1/contacts/${crypto.randomUUID()}/messages`)).body.code).toBe('BF_ERR_CONTACT_NOT_FOUND');
    const specialist = await t.addMember(owner, 'specialist@outbox.test', 'specialist', { tenant: 'outbox' });
    const c = await tgContact();
    expect((await call('POST', '/api/v1/messages', { contactId: c.id, text: 'hi' }, specialist.token)).status).toBe(403);
  });
});
