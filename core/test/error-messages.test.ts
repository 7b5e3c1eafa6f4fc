import crypto from 'node:crypto';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ErrorDefinition } from '../../plugin-sdk.js';
import { CORE_ERRORS } from '../errors.js';
import { createI18n } from '../i18n/i18n.js';
import { discoverPlugins } from '../plugins/resolve.js';
import { startTestApp, type TestApp } from '../../test/helpers/app.js';
import { makeSalon, nextMonday } from '../../plugins/booking/test/salon.js';

const ROOT = path.resolve(import.meta.dirname, '..', '..');

let t: TestApp;
let owner: string;
beforeAll(async () => {
  t = await startTestApp();
  owner = await t.login(t.owner.email, t.owner.password);
});
afterAll(() => t?.close());

/** An Accept-Language header; without one, the helper's fetch sends `*` (no preference), like many clients. */
const lang = (value?: string): Record<string, string> => (value === undefined ? {} : { 'accept-language': value });

describe('error messages in the client\'s language', () => {
  it('a wrong login is answered in the language asked for, else in Russian; code and details stay the same', async () => {
    const wrongLogin = (acceptLanguage?: string) =>
      t.api('POST', '/api/v1/auth/login', { body: { email: `${crypto.randomUUID()}@nobody.test`, password: 'not-the-password' }, headers: lang(acceptLanguage) });
    const answers = {
      uk: await wrongLogin('uk'),
      en: await wrongLogin('en-GB,en;q=0.9'),
      none: await wrongLogin(),
      byQuality: await wrongLogin('de, en;q=0.2, uk;q=0.7'),
      unsupported: await wrongLogin('de-DE'),
    };
    expect(answers.uk.body.message).toBe('Неправильна пошта або пароль');
    expect(answers.en.body.message).toBe('Wrong email or password');
    expect(answers.none.body.message).toBe('Неверная почта или пароль');
    expect(answers.byQuality.body.message).toBe('Неправильна пошта або пароль');
    expect(answers.unsupported.body.message).toBe('Неверная почта или пароль');
    for (const [asked, res] of Object.entries(answers)) {
      expect(res.status, asked).toBe(401);
      expect(res.body.code, asked).toBe('BF_ERR_AUTH_INVALID_CREDENTIALS');
      expect(res.body.details, asked).toBeUndefined();
    }
    expect(answers.uk.headers.get('content-language')).toBe('uk');
  });

  it('a validation error is localized; the field list in details is not', async () => {
    const invalid = (acceptLanguage?: string) => t.api('POST', '/api/v1/auth/login', { body: { email: 'a@b.test' }, headers: lang(acceptLanguage) });
    const [en, uk, ru] = [await invalid('en'), await invalid('uk-UA'), await invalid()];
    expect(en.body).toMatchObject({ code: 'BF_ERR_VALIDATION_FAILED', message: 'The request is not valid' });
    expect(en.body.details.errors).toContainEqual(expect.objectContaining({ path: '/body/password' }));
    expect(uk.body).toEqual({ ...en.body, message: 'Запит заповнено неправильно' });
    expect(ru.body).toEqual({ ...en.body, message: 'Запрос заполнен неверно' });
  });

  it('a plugin\'s error comes from the plugin\'s own translations, filled from details', async () => {
    expect((await t.api('PUT', '/api/v1/plugins/example/enabled', { token: owner, body: { enabled: true } })).status).toBe(200);
    const id = crypto.randomUUID();
    const missing = (acceptLanguage?: string) => t.api('DELETE', `/api/v1/example/notes/${id}`, { token: owner, headers: lang(acceptLanguage) });
    expect((await missing('uk')).body).toEqual({ code: 'BF_ERR_EXAMPLE_NOTE_NOT_FOUND', message: `Нотатку ${id} не знайдено`, details: { id } });
    expect((await missing('en')).body.message).toBe(`Note ${id} not found`);
    // The demo business speaks Russian.
    expect((await missing()).body.message).toBe(`Заметка ${id} не найдена`);
  });

  it('without Accept-Language a public booking error is in the business\'s language', async () => {
    const s = await makeSalon(t);
    expect((await s.api('PATCH', '/api/v1/tenant', { locale: 'uk' })).status).toBe(200);
    const start = `${nextMonday()}T07:00:00.000Z`;
    const book = (phone: string, acceptLanguage?: string) =>
      t.api('POST', `/api/v1/public/${s.tenant}/bookings`, { body: { serviceId: s.serviceId, start, client: { name: 'Олена', phone } }, headers: lang(acceptLanguage) });
    expect((await book('+380501234567')).status).toBe(201);
    const taken = await book('+380501234568');
    expect(taken.body).toMatchObject({ code: 'BF_ERR_SLOT_TAKEN', message: `Час ${start} уже зайнятий`, details: { start } });
    expect((await book('+380501234569', 'en')).body.message).toBe(`The time ${start} is already taken`);
    expect((await book('+380501234560', 'ru')).body.message).toBe(`Время ${start} уже занято`);
  });
});

/** Placeholders of a template, sorted: `{name}` in the English catalog, `{{name}}` in translations. */
const placeholders = (text: string, re: RegExp) => [...text.matchAll(re)].map((m) => m[1]).sort();
const names = (list: string[], open: string, close: string) => (list.length ? list.map((n) => open + n + close).join(', ') : 'no placeholders');

describe('error translations', () => {
  it('every code of core and of every plugin has a ru and a uk message with exactly the English placeholders', async () => {
    const plugins = discoverPlugins(path.join(ROOT, 'plugins'));
    const texts = await createI18n(Object.fromEntries(plugins.map((p) => [p.manifest.id, path.join(p.dir, 'locales')])));
    const owners: Array<[string, string, Record<string, ErrorDefinition>]> = [
      ['core', 'core/i18n/locales', CORE_ERRORS],
      ...plugins.map((p): [string, string, Record<string, ErrorDefinition>] => [p.manifest.id, `${path.relative(ROOT, p.dir)}/locales`, p.manifest.errors ?? {}]),
    ];
    const problems: string[] = [];
    for (const [ns, dir, defs] of owners) {
      // English is the catalog's message; a copy in en.json would drift from it.
      if (texts.getResource('en', ns, 'errors')) problems.push(`${dir}/en.json: remove "errors" (English comes from the catalog)`);
      for (const [code, def] of Object.entries(defs)) {
        const english = placeholders(def.message, /\{(\w+)\}/g);
        for (const locale of ['ru', 'uk']) {
          const text: unknown = texts.getResource(locale, ns, `errors.${code}`);
          if (typeof text !== 'string' || !text.trim()) {
            problems.push(`${dir}/${locale}.json: errors.${code} is missing (English: "${def.message}")`);
            continue;
          }
          const translated = placeholders(text, /\{\{\s*(\w+)\s*\}\}/g);
          const single = placeholders(text.replace(/\{\{\s*\w+\s*\}\}/g, ''), /\{(\w+)\}/g);
          if (translated.join() !== english.join() || single.length > 0) {
            problems.push(`${dir}/${locale}.json: errors.${code} has ${names(translated, '{{', '}}')}${single.length ? ` and unfilled ${names(single, '{', '}')}` : ''}; English has ${names(english, '{', '}')}`);
          }
        }
      }
    }
    expect(problems, 'translate error messages under "errors.<CODE>" in the owner\'s locales, using {{name}} for each {name} of the English message').toEqual([]);
  });
});
