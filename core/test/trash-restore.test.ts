import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../test/helpers/app.js';
import { withoutSecrets } from '../audit.js';

let t: TestApp;
let owner: string;
let admin: string;
beforeAll(async () => {
  t = await startTestApp({ start: false });
  owner = await t.login(t.owner.email, t.owner.password);
  admin = (await t.addMember(owner, 'admin@trash.test', 'admin')).token;
});
afterAll(async () => { await t?.close(); });

describe('restoring from the trash', () => {
  it('brings back a removed owner only when an owner asks', async () => {
    const coOwner = await t.addMember(owner, 'co-owner@trash.test', 'owner');
    expect((await t.api('DELETE', `/api/v1/members/${coOwner.userId}`, { token: owner })).status).toBe(204);

    const byAdmin = await t.api('POST', `/api/v1/trash/member/${coOwner.userId}/restore`, { token: admin });
    expect(byAdmin).toMatchObject({ status: 403, body: { code: 'BF_ERR_AUTH_FORBIDDEN' } });
    const byOwner = await t.api('POST', `/api/v1/trash/member/${coOwner.userId}/restore`, { token: owner });
    expect(byOwner).toMatchObject({ status: 200, body: { restored: true } });
  });

  it('does not copy a bot’s secrets into the audit log', async () => {
    const bot = await t.app.db.db.insertInto('bots')
      .values({ tenant_id: t.demoTenantId, name: 'Old bot', token_sealed: 'sealed-token-value', webhook_secret: 'webhook-secret-value', deleted_at: new Date() })
      .returning('id').executeTakeFirstOrThrow();
    expect((await t.api('POST', `/api/v1/trash/bot/${bot.id}/restore`, { token: owner })).status).toBe(200);

    const audit = await t.api('GET', `/api/v1/audit?entity=bot&entityId=${bot.id}`, { token: owner });
    expect(audit.body.items[0]).toMatchObject({ action: 'restore', after: { name: 'Old bot' } });
    expect(JSON.stringify(audit.body)).not.toMatch(/sealed-token-value|webhook-secret-value|token_sealed|webhook_secret/);
  });

  it('answers 409 when the restored row would clash with a newer one', async () => {
    const first = await t.api('POST', '/api/v1/flows', { token: owner, body: { key: 'clash', name: 'First' } });
    expect(first.status).toBe(201);
    expect((await t.api('DELETE', `/api/v1/flows/${first.body.id}`, { token: owner })).status).toBe(204);
    expect((await t.api('POST', '/api/v1/flows', { token: owner, body: { key: 'clash', name: 'Second' } })).status).toBe(201);

    const res = await t.api('POST', `/api/v1/trash/flow/${first.body.id}/restore`, { token: owner, headers: { 'accept-language': 'uk' } });
    expect(res).toMatchObject({ status: 409, body: { code: 'BF_ERR_TRASH_CONFLICT', details: { entity: 'flow', id: first.body.id, constraint: 'flows_tenant_key_idx' } } });
    expect(res.body.message).toMatch(/конфліктує/);
  });
});

describe('audit values', () => {
  it('leave out fields named like passwords, secrets, tokens and hashes, at any depth', () => {
    const id = crypto.randomUUID();
    expect(withoutSecrets({ id, name: 'x', password_hash: 'h', token_sealed: 's', webhook_secret: 'w', api_secret: 'a', password: 'p', token: 't', nested: [{ refresh_token: 'r', tokens_used: 3 }] }))
      .toEqual({ id, name: 'x', nested: [{ tokens_used: 3 }] });
  });
});
