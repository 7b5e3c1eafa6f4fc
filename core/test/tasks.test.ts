/** The business's to-do list: plugins add tasks by key through ctx.tasks, staff see theirs by role and close or snooze them. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type Member, type TestApp } from '../../test/helpers/app.js';

let t: TestApp;
let owner: string;
let manager: Member;
let specialist: Member;

beforeAll(async () => {
  t = await startTestApp({ plugins: ['example'] });
  owner = await t.login(t.owner.email, t.owner.password);
  manager = await t.addMember(owner, 'tasks-manager@test.local', 'manager');
  specialist = await t.addMember(owner, 'tasks-spec@test.local', 'specialist');
});
afterAll(() => t?.close());

const ctx = () => t.app.host.get('example').ctx;
const list = (token: string, query = '') => t.api('GET', `/api/v1/tasks${query}`, { token });

describe('tasks', () => {
  it('a plugin adds a task once per key, whatever retries happen, and it reaches the roles it names', async () => {
    const input = { kind: 'call-client', key: 'booking-1:call', title: { en: 'Call the client', ru: 'Позвонить клиенту' } };
    const [a, b] = await Promise.all([1, 2].map(() => ctx().transaction((trx) => ctx().tasks.create(trx, t.demoTenantId, input))));
    expect(a!.id).toBe(b!.id);
    expect((await list(manager.token)).body.items.map((x: any) => x.id)).toEqual([a!.id]);
    expect((await list(specialist.token)).body.items).toEqual([]);
    const spec = await ctx().transaction((trx) => ctx().tasks.create(trx, t.demoTenantId, { kind: 'prepare', key: 'spec-own', title: { en: 'Prepare room' }, assigneeId: specialist.userId }));
    expect((await list(specialist.token)).body.items.map((x: any) => x.id)).toEqual([spec.id]);
    expect((await list(owner)).body.items).toHaveLength(2);
    const events = await t.app.db.db.selectFrom('outbox').select('type').where('tenant_id', '=', t.demoTenantId).where('type', '=', 'task.created').execute();
    expect(events).toHaveLength(2);
  });

  it('the plugin closes its own task when the reason goes away; staff mark one done with a result', async () => {
    await ctx().transaction((trx) => ctx().tasks.close(trx, t.demoTenantId, 'booking-1:call', { status: 'cancelled', result: 'client confirmed' }));
    expect((await ctx().tasks.find(t.app.db.db, t.demoTenantId, { key: 'booking-1:call' }))[0]).toMatchObject({ status: 'cancelled', result: 'client confirmed' });
    const [own] = (await list(specialist.token)).body.items;
    const done = await t.api('POST', `/api/v1/tasks/${own.id}/done`, { token: specialist.token, body: { result: 'ready' } });
    expect(done.body).toMatchObject({ status: 'done', result: 'ready', doneBy: specialist.userId });
    expect((await list(specialist.token, '?status=closed')).body.items.map((x: any) => x.id)).toEqual([own.id]);
  });

  it('a snoozed task leaves the list until its time; a task of another role is not found', async () => {
    const made = await t.api('POST', '/api/v1/tasks', { token: manager.token, body: { title: 'Order towels' } });
    expect(made.status).toBe(201);
    const until = new Date(t.clock.now().getTime() + 3_600_000).toISOString();
    expect((await t.api('POST', `/api/v1/tasks/${made.body.id}/snooze`, { token: manager.token, body: { until } })).body.status).toBe('snoozed');
    expect((await list(manager.token)).body.items.map((x: any) => x.id)).not.toContain(made.body.id);
    t.clock.advance(2 * 3_600_000);
    try {
      expect((await list(manager.token)).body.items.map((x: any) => x.id)).toContain(made.body.id);
    } finally {
      t.clock.advance(-2 * 3_600_000);
    }
    expect((await t.api('POST', `/api/v1/tasks/${made.body.id}/done`, { token: specialist.token, body: {} })).body.code).toBe('BF_ERR_TASK_NOT_FOUND');
    const past = await t.api('POST', `/api/v1/tasks/${made.body.id}/snooze`, { token: manager.token, body: { until: '2000-01-01T00:00:00Z' } });
    expect(past.body).toMatchObject({ code: 'BF_ERR_TASK_SNOOZE_PAST', details: { field: '/body/until' } });
  });
});
