/**
 * External APIs' addresses (core/api-roots.ts): tests point SMSRU_API_ROOT, YOOKASSA_API_ROOT, STRIPE_API_ROOT and
 * MANGO_API_ROOT at stand-ins; in production only the API's own address is taken, anything else is refused (the
 * real one used) and warned about once. TELEGRAM_API_ROOT is a product setting and keeps working everywhere.
 */
import { Writable } from 'node:stream';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { apiRoot, guardedApiRoot } from '../api-roots.js';
import { loadConfig } from '../config.js';

const standIn = 'http://127.0.0.1:40123';
const APIS = [
  { variable: 'SMSRU_API_ROOT', real: 'https://sms.ru' },
  { variable: 'YOOKASSA_API_ROOT', real: 'https://api.yookassa.ru' },
  { variable: 'STRIPE_API_ROOT', real: 'https://api.stripe.com' },
  { variable: 'MANGO_API_ROOT', real: 'https://app.mango-office.ru/vpbx' },
];

describe('external API addresses', () => {
  it('outside production the variable points an API at a stand-in; unset, the real address', () => {
    for (const { variable, real } of APIS) {
      expect(apiRoot(variable, real, { [variable]: standIn })).toEqual({ root: standIn });
      expect(apiRoot(variable, real, { NODE_ENV: 'test', [variable]: `${standIn}/` })).toEqual({ root: standIn });
      expect(apiRoot(variable, real, {})).toEqual({ root: real });
      expect(apiRoot(variable, real, { NODE_ENV: 'production' })).toEqual({ root: real });
    }
  });

  it('in production a stand-in, plain http, another host, another path or a query is refused and the real address used', () => {
    for (const { variable, real } of APIS) {
      const host = new URL(real).host;
      const prod = (v: string) => apiRoot(variable, real, { NODE_ENV: 'production', [variable]: v });
      for (const value of [standIn, `http://${host}${new URL(real).pathname.replace(/\/$/, '')}`, `https://${host}.evil.example`, `${real}/proxy`, `${real}?x=1`, `https://user:pw@${host}`, 'not a url']) {
        expect(prod(value), `${variable}=${value}`).toEqual({ root: real, refused: value });
      }
      // The API's own address is fine, and is what it would use anyway.
      expect(prod(`${real}/`)).toEqual({ root: real });
      expect(prod(real)).toEqual({ root: real });
    }
  });

  it('core\'s SMS.ru address follows the rule; TELEGRAM_API_ROOT (a self-hosted Bot API server) is taken in production too', () => {
    expect(loadConfig({ NODE_ENV: 'production', SMSRU_API_ROOT: standIn }).smsRuApiRoot).toBe('https://sms.ru');
    expect(loadConfig({ SMSRU_API_ROOT: `${standIn}/` }).smsRuApiRoot).toBe(standIn);
    expect(loadConfig({ NODE_ENV: 'production', TELEGRAM_API_ROOT: 'http://127.0.0.1:8081' }).telegramApiRoot).toBe('http://127.0.0.1:8081');
  });

  it('warns once per refused value, only in production', () => {
    const lines: Array<Record<string, unknown>> = [];
    const log = pino({ level: 'warn' }, new Writable({ write(chunk, _enc, done) { lines.push(JSON.parse(String(chunk))); done(); } }));
    const prod = { NODE_ENV: 'production', MANGO_API_ROOT: standIn };
    expect(guardedApiRoot(log, 'MANGO_API_ROOT', 'https://app.mango-office.ru/vpbx', prod)).toBe('https://app.mango-office.ru/vpbx');
    guardedApiRoot(log, 'MANGO_API_ROOT', 'https://app.mango-office.ru/vpbx', prod);
    expect(guardedApiRoot(log, 'SMSRU_API_ROOT', 'https://sms.ru', { NODE_ENV: 'development', SMSRU_API_ROOT: standIn })).toBe(standIn);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 40, variable: 'MANGO_API_ROOT', value: standIn, using: 'https://app.mango-office.ru/vpbx' });
  });
});
