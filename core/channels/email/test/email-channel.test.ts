import crypto from 'node:crypto';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChannelDelivery, PluginContext } from '../../../../plugin-sdk.js';
import { startTestApp, type TestApp } from '../../../../test/helpers/app.js';
import { startSmtp, type TestSmtp } from '../../../../test/helpers/smtp.js';
import { until } from '../../../../test/helpers/wait.js';
import { EmailChannel } from '../channel.js';

// smtp-server's built-in certificate is self-signed; this test file accepts it (per-file.ts restores the
// environment when the file ends, so no other file is affected); the tests check that TLS was really used.
process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0';

const AUTH = { user: 'salon@mail.test', pass: 'smtp-password-1' };
const PUBLIC_URL = 'https://bookflow.example';
let starttls: TestSmtp;
let implicitTls: TestSmtp;
let plain: TestSmtp;
let t: TestApp;
let owner: string;
let ctx: PluginContext;

beforeAll(async () => {
  [starttls, implicitTls, plain] = await Promise.all([startSmtp({ auth: AUTH }), startSmtp({ secure: true, auth: AUTH }), startSmtp({ starttls: false })]);
  t = await startTestApp({ config: { smtpAllowPrivate: true, publicUrl: PUBLIC_URL } });
  owner = await t.login(t.owner.email, t.owner.password);
  ctx = t.app.host.plugins[0].ctx;
});
afterAll(async () => {
  await t?.close();
  await Promise.all([starttls, implicitTls, plain].map((s) => s?.close()));
});

const putEmail = async (body: Record<string, unknown>) => {
  const res = await t.api('PUT', '/api/v1/channels/email', { token: owner, body });
  return res;
};
/** Saves settings that must be accepted. */
const saveEmail = async (body: Record<string, unknown>) => {
  const res = await putEmail(body);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res;
};
const viaStarttls = () => saveEmail({ host: '127.0.0.1', port: starttls.port, security: 'starttls', user: AUTH.user, password: AUTH.pass, fromAddress: 'hello@salon.test', fromName: 'Demo Salon' });
const delivery = (to: string, over: Partial<ChannelDelivery> = {}): ChannelDelivery => ({
  messageId: crypto.randomUUID(), tenantId: t.demoTenantId, contactId: null, purpose: 'transactional', locale: 'ru',
  identity: { kind: 'email', value: to, botId: null, verified: true, unreachable: false }, text: 'Ждём вас завтра в 10:00', ...over,
});

describe('email settings', () => {
  it('are not there until set up; the password is write-only and must come with a user', async () => {
    expect(await t.app.channels.email.available(t.demoTenantId)).toBe(false);
    expect((await t.api('POST', '/api/v1/channels/email/test', { token: owner, body: { to: 'anna@client.test' } })).body.code).toBe('BF_ERR_CHANNEL_NOT_CONFIGURED');
    const halfAuth = await putEmail({ host: '127.0.0.1', port: 25, security: 'none', user: 'only-user', fromAddress: 'hello@salon.test' });
    expect(halfAuth.status).toBe(400);
    expect(halfAuth.body).toMatchObject({ code: 'BF_ERR_CHANNEL_EMAIL_AUTH_INCOMPLETE', details: { field: '/body/password' } });
    const badFrom = await putEmail({ host: '127.0.0.1', port: 25, security: 'none', fromAddress: 'not an address' });
    expect(badFrom.body.details.errors[0].path).toBe('/body/fromAddress');
    const badSecurity = await putEmail({ host: '127.0.0.1', port: 25, security: 'ssl', fromAddress: 'hello@salon.test' });
    expect(badSecurity.status).toBe(400);

    const saved = await viaStarttls();
    expect(saved.body).toEqual({ configured: true, settings: { host: '127.0.0.1', port: starttls.port, security: 'starttls', user: AUTH.user, password: { set: true }, fromAddress: 'hello@salon.test', fromName: 'Demo Salon' } });
    expect((await t.api('GET', '/api/v1/channels/email', { token: owner })).body).toEqual(saved.body);
    const row = await t.app.db.db.selectFrom('channel_settings').select('settings').where('tenant_id', '=', t.demoTenantId).where('kind', '=', 'email').executeTakeFirstOrThrow();
    expect(JSON.stringify(row.settings)).not.toContain(AUTH.pass);
    expect(JSON.stringify((await t.api('GET', '/api/v1/audit?entity=channel', { token: owner })).body)).not.toContain(AUTH.pass);
    expect(await t.app.channels.email.available(t.demoTenantId)).toBe(true);
  });
});

describe('email over SMTP', () => {
  it('sends over STARTTLS with a login: HTML and text parts, escaped, URL buttons as links, the business in the footer', async () => {
    await viaStarttls();
    const result = await t.app.channels.email.send(delivery('anna@client.test', {
      subject: 'Ваша запись',
      text: 'Ждём вас <b>завтра</b> & не опаздывайте.\n\nАдрес: Тверская, 1',
      buttons: [[{ label: 'Маршрут', url: 'https://maps.example/salon?a=1&b=2' }, { label: 'Отменить', callback: 'cb1' }], [{ label: 'Скрипт', url: 'javascript:alert(1)' }]],
    }), ctx);
    expect(result).toEqual({ status: 'sent', providerId: expect.stringContaining('@salon.test>') });
    const got = starttls.received.at(-1)!;
    expect(got).toMatchObject({ from: 'hello@salon.test', to: ['anna@client.test'], secure: true, user: AUTH.user });
    expect(got.mail.subject).toBe('Ваша запись');
    expect(got.mail.from?.value[0]).toEqual({ address: 'hello@salon.test', name: 'Demo Salon' });
    expect(got.mail.messageId).toBe((result as { providerId: string }).providerId);
    const html = String(got.mail.html);
    expect(html).toContain('Ждём вас &lt;b&gt;завтра&lt;/b&gt; &amp; не опаздывайте.');
    expect(html).not.toContain('<b>завтра');
    expect(html).toContain('href="https://maps.example/salon?a=1&amp;b=2"');
    expect(html).not.toContain('javascript:');
    expect(html).toContain('Часть вариантов ответа на это сообщение доступна только в нашем чате.');
    expect(html).toContain('Отправлено Demo на адрес anna@client.test.');
    expect(got.mail.text).toContain('Ждём вас <b>завтра</b> & не опаздывайте.');
    expect(got.mail.text).toContain('Маршрут: https://maps.example/salon?a=1&b=2');
    expect(got.mail.text).not.toContain('Отменить');
    expect(got.mail.headers.has('list-unsubscribe')).toBe(false);
  });

  it('sends over implicit TLS, and over a plain relay without TLS; the default subject is in the message\'s language', async () => {
    await saveEmail({ host: '127.0.0.1', port: implicitTls.port, security: 'tls', user: AUTH.user, password: { set: true }, fromAddress: 'hello@salon.test' });
    // The password sent back as its mask was kept: the login still works.
    expect(await t.app.channels.email.send(delivery('anna@client.test', { locale: 'uk' }), ctx)).toMatchObject({ status: 'sent' });
    expect(implicitTls.received.at(-1)).toMatchObject({ secure: true, user: AUTH.user });
    expect(implicitTls.received.at(-1)!.mail.subject).toBe('Повідомлення від Demo');

    await saveEmail({ host: '127.0.0.1', port: plain.port, security: 'none', user: null, password: null, fromAddress: 'hello@salon.test' });
    expect(await t.app.channels.email.send(delivery('anna@client.test', { locale: 'en' }), ctx)).toMatchObject({ status: 'sent' });
    expect(plain.received.at(-1)).toMatchObject({ secure: false, user: undefined });
    expect(plain.received.at(-1)!.mail.subject).toBe('A message from Demo');
  });

  it('STARTTLS required but not offered, a wrong password or a refused sender: failed (the settings), the address is not blamed', async () => {
    await saveEmail({ host: '127.0.0.1', port: plain.port, security: 'starttls', password: null, user: null, fromAddress: 'hello@salon.test' });
    expect(await t.app.channels.email.send(delivery('anna@client.test'), ctx)).toMatchObject({ status: 'failed' });
    await saveEmail({ host: '127.0.0.1', port: starttls.port, security: 'starttls', user: AUTH.user, password: 'wrong-password', fromAddress: 'hello@salon.test' });
    expect(await t.app.channels.email.send(delivery('anna@client.test'), ctx)).toEqual({ status: 'failed', reason: expect.stringContaining('535') });
    await saveEmail({ host: '127.0.0.1', port: starttls.port, security: 'starttls', user: AUTH.user, password: AUTH.pass, fromAddress: 'blocked@salon.test' });
    expect(await t.app.channels.email.send(delivery('anna@client.test'), ctx)).toEqual({ status: 'failed', reason: expect.stringContaining('553') });
  });

  it('a 550 for the recipient is unreachable, a 451 and a server that is not there are tried again', async () => {
    await viaStarttls();
    expect(await t.app.channels.email.send(delivery('bounce@client.test'), ctx)).toEqual({ status: 'unreachable', reason: expect.stringContaining('550') });
    expect(await t.app.channels.email.send(delivery('later@client.test'), ctx)).toEqual({ status: 'retry', reason: expect.stringContaining('451') });
    const closed = net.createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as net.AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    await saveEmail({ host: '127.0.0.1', port, security: 'starttls', user: null, password: null, fromAddress: 'hello@salon.test' });
    expect(await t.app.channels.email.send(delivery('anna@client.test'), ctx)).toMatchObject({ status: 'retry' });
  });

  it('refuses SMTP servers on loopback and private networks unless SMTP_ALLOW_PRIVATE', async () => {
    await viaStarttls();
    const strict = new EmailChannel({ settings: t.app.channels.settings, links: t.app.channels.links, t: (l, k, v) => t.app.host.t(l, k, v), smtp: { allowPrivate: false } });
    const before = starttls.received.length;
    expect(await strict.send(delivery('anna@client.test'), ctx)).toEqual({ status: 'failed', reason: expect.stringContaining('loopback') });
    expect(starttls.received.length).toBe(before);
  });

  it('the test send mails the typed address in the business\'s language, or says why it could not', async () => {
    await viaStarttls();
    const ok = await t.api('POST', '/api/v1/channels/email/test', { token: owner, body: { to: 'Owner@Salon.test' } });
    expect(ok.status).toBe(200);
    expect(ok.body).toEqual({ status: 'sent', providerId: expect.any(String) });
    expect(starttls.received.at(-1)).toMatchObject({ to: ['owner@salon.test'] });
    expect(starttls.received.at(-1)!.mail.subject).toBe('Тестовое письмо от Demo');
    const bounced = await t.api('POST', '/api/v1/channels/email/test', { token: owner, body: { to: 'bounce@salon.test' }, headers: { 'accept-language': 'en' } });
    expect(bounced.status).toBe(422);
    expect(bounced.body).toMatchObject({ code: 'BF_ERR_CHANNEL_TEST_FAILED', details: { channel: 'email', status: 'unreachable' } });
    expect(bounced.body.message).toContain('The test message by email was not sent');
  });
});

describe('marketing email and unsubscribing', () => {
  const addContact = async (tenantId: string, locale: string | null) =>
    (await t.app.db.db.insertInto('contacts').values({ tenant_id: tenantId, name: 'Анна', locale }).returning('id').executeTakeFirstOrThrow()).id as string;
  const consent = async (tenantId: string, id: string) =>
    (await t.app.db.db.selectFrom('contacts').select('consent').where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirstOrThrow()).consent as Record<string, any>;
  const localPath = (link: string) => link.replace(PUBLIC_URL, '');

  it('carries an unsubscribe link and List-Unsubscribe headers; opening the link asks, the button records the opt-out', async () => {
    await viaStarttls();
    const contactId = await addContact(t.demoTenantId, 'uk');
    expect(await t.app.channels.email.send(delivery('anna@client.test', { purpose: 'marketing', contactId, locale: 'uk', text: 'Знижка 20% цього тижня' }), ctx)).toMatchObject({ status: 'sent' });
    const mail = starttls.received.at(-1)!.mail;
    const link = /<a href="([^"]+)"[^>]*>Відписатися від новин і пропозицій<\/a>/.exec(String(mail.html))![1];
    expect(link.startsWith(`${PUBLIC_URL}/api/v1/public/${t.demoTenantId}/unsubscribe/`)).toBe(true);
    expect(mail.text).toContain(`Щоб не отримувати новини й пропозиції: ${link}`);
    const header = (key: string) => mail.headerLines.find((h) => h.key === key)?.line.replace(/\r?\n\s+/g, ' ');
    expect(header('list-unsubscribe')).toBe(`List-Unsubscribe: <${link}>`);
    expect(header('list-unsubscribe-post')).toBe('List-Unsubscribe-Post: List-Unsubscribe=One-Click');

    const asked = await fetch(t.url + localPath(link));
    expect(asked.status).toBe(200);
    expect(asked.headers.get('content-type')).toContain('text/html');
    const page = await asked.text();
    expect(page).toContain('<html lang="uk">');
    expect(page).toContain('<form method="post">');
    expect(await consent(t.demoTenantId, contactId)).toEqual({});

    // A mail client's one-click unsubscribe (RFC 8058) posts the form field; the page's button posts nothing.
    const done = await fetch(t.url + localPath(link), { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click' });
    expect(done.status).toBe(200);
    expect(await done.text()).toContain('Ви більше не отримуватимете новини й пропозиції Demo.');
    expect((await consent(t.demoTenantId, contactId)).marketing).toEqual({ granted: false, at: expect.any(String), source: 'email' });
    expect(Math.abs(Date.parse((await consent(t.demoTenantId, contactId)).marketing.at) - t.clock.now().getTime())).toBeLessThan(60_000);
    expect((await fetch(t.url + localPath(link), { method: 'POST' })).status).toBe(200);
    const audit = await t.api('GET', `/api/v1/audit?entity=contact&entityId=${contactId}`, { token: owner });
    expect(audit.body.items).toHaveLength(1);
    expect(audit.body.items[0]).toMatchObject({ actor_id: null, action: 'update', after: { consent: { marketing: { granted: false, source: 'email' } } } });
  });

  it('a damaged link, or one of another business, unsubscribes nobody', async () => {
    const contactId = await addContact(t.demoTenantId, null);
    const token = t.app.channels.links.token(t.demoTenantId, contactId);
    // One character changed in the MAC, and one in the padding bits of the contact id's last character.
    const flip = (s: string, i: number) => s.slice(0, i) + (s[i] === 'A' ? 'B' : 'A') + s.slice(i + 1);
    for (const i of [21, 30]) expect((await fetch(`${t.url}/api/v1/public/${t.demoTenantId}/unsubscribe/${flip(token, i)}`, { method: 'POST' })).status).toBe(404);
    const damaged = flip(token, 43);
    const bad = await fetch(`${t.url}/api/v1/public/${t.demoTenantId}/unsubscribe/${damaged}`, { method: 'POST' });
    expect(bad.status).toBe(404);
    expect(await bad.text()).toContain('Эта ссылка для отписки недействительна.');
    const other = await t.api('POST', '/api/v1/tenants', { token: owner, body: { name: 'Other salon', slug: `other-${crypto.randomUUID().slice(0, 8)}`, timezone: 'Europe/Moscow', locale: 'ru', currency: 'RUB' } });
    expect(other.status).toBe(201);
    const foreign = await fetch(`${t.url}/api/v1/public/${other.body.id}/unsubscribe/${token}`, { method: 'POST' });
    expect(foreign.status).toBe(404);
    expect(await consent(t.demoTenantId, contactId)).toEqual({});
  });

  it('a marketing email without a contact is not sent: it could not be unsubscribed from', async () => {
    await viaStarttls();
    const before = starttls.received.length;
    expect(await t.app.channels.email.send(delivery('anna@client.test', { purpose: 'marketing' }), ctx)).toMatchObject({ status: 'failed' });
    expect(starttls.received.length).toBe(before);
  });

  it('the outbox mails a bare address (a staff member, no contact) with its subject; only transactional ones', async () => {
    await saveEmail({ host: '127.0.0.1', port: plain.port, security: 'none', user: null, password: null, fromAddress: 'hello@salon.test' });
    const send = (purpose: 'transactional' | 'marketing', key: string) => ctx.transaction((trx) => ctx.messages.send(trx, {
      tenantId: t.demoTenantId, to: { email: 'Master@Staff.test' }, purpose, idempotencyKey: key,
      message: { text: { en: 'New booking at 10:00', ru: 'Новая запись на 10:00' }, subject: { en: 'New booking', ru: 'Новая запись' } },
    }));
    const { id } = await send('transactional', `bare-${crypto.randomUUID()}`);
    const mail = await until('the mail', () => plain.received.find((m) => m.to.includes('master@staff.test') && m.mail.subject === 'Новая запись'));
    expect(mail.mail.text).toContain('Новая запись на 10:00');
    const row = () => t.app.db.db.selectFrom('messages').select(['status', 'channel', 'contact_id']).where('id', '=', id).executeTakeFirstOrThrow();
    await until('marked sent', async () => (await row()).status === 'sent');
    expect(await row()).toEqual({ status: 'sent', channel: 'email', contact_id: null });
    await expect(send('marketing', `bare-${crypto.randomUUID()}`)).rejects.toMatchObject({ code: 'BF_ERR_MESSAGE_INVALID', details: { errors: [{ path: '/purpose' }] } });
  });
});
