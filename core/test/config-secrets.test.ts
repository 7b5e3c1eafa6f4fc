import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ConfigSecrets, secretPaths } from '../plugins/config-secrets.js';
import { createSecrets } from '../secrets.js';

const SCHEMA = {
  type: 'object',
  properties: {
    apiKey: { type: 'string', 'x-secret': true },
    sms: { type: 'object', properties: { sender: { type: 'string' }, auth: { type: 'object', properties: { token: { type: 'string', 'x-secret': true } } } } },
    greeting: { type: 'string' },
  },
};

describe('x-secret config fields', () => {
  const secrets = createSecrets(crypto.randomBytes(32).toString('hex'));
  const cs = new ConfigSecrets(secrets);
  cs.register('p', SCHEMA);
  const plain = { apiKey: 'key-1', sms: { sender: 'Salon', auth: { token: 'tok-1' } }, greeting: 'Hi' };

  it('finds secrets at any depth of properties', () => {
    expect(secretPaths(SCHEMA)).toEqual([['apiKey'], ['sms', 'auth', 'token']]);
  });

  it('seals each secret, opens it back, and masks it as {set}', () => {
    const stored = cs.seal('p', plain);
    expect(JSON.stringify(stored)).not.toMatch(/key-1|tok-1/);
    expect(stored).toMatchObject({ greeting: 'Hi', sms: { sender: 'Salon', auth: { token: { $sealed: expect.stringMatching(/^v1:/) } } } });
    expect(cs.open('p', stored)).toEqual(plain);
    const masked = { apiKey: { set: true }, sms: { sender: 'Salon', auth: { token: { set: true } } }, greeting: 'Hi' };
    expect(cs.mask('p', stored)).toEqual(masked);
    expect(cs.mask('p', plain)).toEqual(masked);
    expect(cs.mask('p', { greeting: 'Hi' })).toEqual({ greeting: 'Hi', apiKey: { set: false } });
  });

  it('a PUT keeps secrets it leaves out or sends back masked, clears them with null, replaces them with a value', () => {
    const stored = cs.seal('p', plain);
    expect(cs.merge('p', { greeting: 'Hey', sms: { sender: 'Salon', auth: {} } }, stored)).toEqual({ ...plain, greeting: 'Hey' });
    expect(cs.merge('p', cs.mask('p', stored), stored)).toEqual(plain);
    expect(cs.merge('p', { apiKey: null, sms: { auth: { token: 'tok-2' } } }, stored)).toEqual({ sms: { auth: { token: 'tok-2' } } });
  });

  it('a value stored before its field became secret is read as it is', () => {
    expect(cs.open('p', { apiKey: 'legacy' })).toEqual({ apiKey: 'legacy' });
    expect(cs.merge('p', {}, { apiKey: 'legacy' })).toEqual({ apiKey: 'legacy' });
  });
});
