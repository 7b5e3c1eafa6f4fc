/**
 * The gateways' addresses: tests point YOOKASSA_API_ROOT / STRIPE_API_ROOT at stand-ins; in production only https
 * to the gateway's own host is taken, anything else is refused (the real host is used) and warned about at start.
 */
import { Writable } from 'node:stream';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { apiRoot, warnRefusedRoots } from '../lib/config.js';

const standIn = 'http://127.0.0.1:40123';

describe('payment gateway addresses', () => {
  it('outside production the variable points a gateway at a stand-in; unset, the real host', () => {
    expect(apiRoot('yookassa', { YOOKASSA_API_ROOT: standIn })).toEqual({ root: standIn });
    expect(apiRoot('stripe', { NODE_ENV: 'test', STRIPE_API_ROOT: `${standIn}/` })).toEqual({ root: standIn });
    expect(apiRoot('yookassa', {})).toEqual({ root: 'https://api.yookassa.ru' });
    expect(apiRoot('stripe', { NODE_ENV: 'production' })).toEqual({ root: 'https://api.stripe.com' });
  });

  it('in production a stand-in, plain http, another host or a path is refused and the real host used', () => {
    const prod = (v: string) => ({ NODE_ENV: 'production', YOOKASSA_API_ROOT: v, STRIPE_API_ROOT: v });
    for (const value of [standIn, 'http://api.yookassa.ru', 'https://api.yookassa.ru.evil.example', 'https://api.yookassa.ru/proxy', 'not a url']) {
      expect(apiRoot('yookassa', prod(value))).toEqual({ root: 'https://api.yookassa.ru', refused: value });
    }
    expect(apiRoot('stripe', prod('http://api.stripe.com'))).toEqual({ root: 'https://api.stripe.com', refused: 'http://api.stripe.com' });
    // https to the gateway's own host is fine, and is what it would use anyway.
    expect(apiRoot('yookassa', prod('https://api.yookassa.ru/'))).toEqual({ root: 'https://api.yookassa.ru' });
    expect(apiRoot('stripe', prod('https://api.stripe.com'))).toEqual({ root: 'https://api.stripe.com' });
  });

  it('warns at start about each refused address, only in production', () => {
    const lines: Array<Record<string, unknown>> = [];
    const log = pino({ level: 'warn' }, new Writable({ write(chunk, _enc, done) { lines.push(JSON.parse(String(chunk))); done(); } }));
    warnRefusedRoots(log, { NODE_ENV: 'production', YOOKASSA_API_ROOT: standIn, STRIPE_API_ROOT: 'https://api.stripe.com' });
    warnRefusedRoots(log, { NODE_ENV: 'development', YOOKASSA_API_ROOT: standIn, STRIPE_API_ROOT: standIn });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 40, variable: 'YOOKASSA_API_ROOT', value: standIn, using: 'https://api.yookassa.ru' });
  });
});
