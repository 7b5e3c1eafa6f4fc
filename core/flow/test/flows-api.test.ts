import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../test/helpers/app.js';
import { en, graph } from './graph-builder.js';

let t: TestApp;
let owner: string;
const call = (method: string, path: string, body?: unknown) => t.api(method, path, { token: owner, body });

beforeAll(async () => {
  t = await startTestApp();
  owner = await t.login(t.owner.email, t.owner.password);
});
afterAll(async () => {
  await t?.close();
});

describe('flow graphs over the API', () => {
  it('lists core node types with their settings schemas and ports, and serves the graph schema', async () => {
    const res = await call('GET', '/api/v1/flow-node-types');
    expect(res.status).toBe(200);
    const types = res.body.items.map((n: any) => n.type);
    for (const type of ['trigger.command', 'trigger.deeplink', 'trigger.keyword', 'trigger.menu', 'message', 'choice', 'input', 'condition', 'set', 'jump', 'wait', 'timeout', 'http', 'handoff', 'end']) expect(types).toContain(type);
    const choice = res.body.items.find((n: any) => n.type === 'choice');
    expect(choice).toMatchObject({ pluginId: null, dynamicPorts: { from: 'buttons', idKey: 'id' }, settingsSchema: { type: 'object' } });
    const schema = await call('GET', '/api/v1/flow-schema');
    expect(schema.body.properties.schemaVersion).toEqual({ const: 1 });
  });

  it('reports every problem with node id and JSON path', async () => {
    const bad = graph([
      ['msg', 'message', { text: en('Hi {{nobody}}') }],
      ['ask', 'input', { kind: 'number', text: en('How many?'), saveAs: 'undeclared' }],
      ['pick', 'choice', { text: en('Pick'), buttons: [{ id: 'x', label: en('X') }] }],
      ['odd', 'mystery.node', {}],
      ['half', 'message', {}],
    ], ['msg.next>ghost', 'msg.sideways>ask', 'ask.next>pick']);
    const res = await call('POST', '/api/v1/flows/validate', { graph: bad });
    expect(res.status).toBe(200);
    expect(res.body.valid).toBe(false);
    const got = res.body.errors.map((e: any) => `${e.code} ${e.nodeId ?? e.edgeId ?? '-'} ${e.path}`);
    expect(got).toEqual(expect.arrayContaining([
      'FLOW_NO_START - /nodes',
      'EDGE_DANGLING msg-next /edges/0/target',
      'EDGE_PORT_UNKNOWN msg /edges/1/sourcePort',
      'NODE_TYPE_UNKNOWN odd /nodes/3/type',
      'NODE_SETTINGS_INVALID half /nodes/4/settings/text',
      'PORT_UNCONNECTED pick /nodes/2',
      'PORT_UNCONNECTED half /nodes/4',
      'VARIABLE_UNKNOWN msg /nodes/0/settings/text/en',
      'VARIABLE_UNKNOWN ask /nodes/1/settings/saveAs',
    ]));
    // Named by labels, with the labels for the studio to retell it in the owner's language.
    const button = res.body.errors.find((e: any) => e.code === 'PORT_UNCONNECTED' && e.nodeId === 'pick');
    expect(button.message).toBe('Item “X” of the block “Buttons” leads nowhere');
    expect(button.details).toEqual({ port: 'x', portLabel: { en: 'X', ru: 'X' }, item: 'buttons', block: { en: 'Buttons', ru: 'Кнопки', uk: 'Кнопки' } });
    const missing = res.body.errors.find((e: any) => e.code === 'NODE_SETTINGS_INVALID' && e.nodeId === 'half');
    expect(missing.details).toMatchObject({ keyword: 'required', params: { missingProperty: 'text' } });

    const unreachable = graph([['s', 'trigger.command', { command: '/start' }], ['a', 'end', {}], ['lost', 'end', {}], ['j', 'jump', { flowKey: 'nowhere' }]], ['s.next>a']);
    const res2 = await call('POST', '/api/v1/flows/validate', { graph: unreachable });
    expect(res2.body.errors.map((e: any) => `${e.code} ${e.nodeId}`)).toEqual(expect.arrayContaining(['NODE_UNREACHABLE lost', 'NODE_UNREACHABLE j', 'JUMP_TARGET_UNKNOWN j']));

    const shape = await call('POST', '/api/v1/flows/validate', { graph: { schemaVersion: 2, nodes: [{ id: 'n' }], edges: [] } });
    expect(shape.body.errors.map((e: any) => e.path)).toEqual(expect.arrayContaining(['/schemaVersion', '/variables', '/nodes/0/type']));
    expect(shape.body.errors.find((e: any) => e.path === '/nodes/0/type').nodeId).toBe('n');
  });

  it('autosaves an invalid draft, refuses to publish it with the problems, publishes once fixed, keeps history', async () => {
    const created = await call('POST', '/api/v1/flows', { key: 'promo', name: 'Promo' });
    expect(created.status).toBe(201);
    const id = created.body.id;
    expect((await call('POST', '/api/v1/flows', { key: 'promo', name: 'Again' })).body.code).toBe('BF_ERR_FLOW_KEY_TAKEN');

    const draft = graph([['s', 'trigger.keyword', { keywords: ['promo'] }], ['m', 'message', { text: en('-20% this week') }]], []);
    const saved = await call('PUT', `/api/v1/flows/${id}/draft`, { graph: draft });
    expect(saved.status).toBe(200);
    expect(saved.body.errors.map((e: any) => e.code)).toEqual(['PORT_UNCONNECTED', 'PORT_UNCONNECTED', 'NODE_UNREACHABLE']);
    expect((await call('GET', `/api/v1/flows/${id}`)).body.draft).toEqual(draft);

    const refused = await call('POST', `/api/v1/flows/${id}/publish`);
    expect(refused.status).toBe(400);
    expect(refused.body.code).toBe('BF_ERR_FLOW_INVALID');
    expect(refused.body.details.errors).toHaveLength(3);

    const fixed = graph([['s', 'trigger.keyword', { keywords: ['promo'] }], ['m', 'message', { text: en('-20% this week') }], ['e', 'end']], ['s.next>m', 'm.next>e']);
    await call('PUT', `/api/v1/flows/${id}/draft`, { graph: fixed });
    expect((await call('POST', `/api/v1/flows/${id}/publish`)).body).toEqual({ version: 1 });
    expect((await call('POST', `/api/v1/flows/${id}/publish`)).body).toEqual({ version: 2 });
    const list = await call('GET', '/api/v1/flows');
    expect(list.body.items.find((f: any) => f.key === 'promo')).toMatchObject({ id, name: 'Promo', publishedVersion: 2 });
    const versions = await call('GET', `/api/v1/flows/${id}/versions`);
    expect(versions.body.items).toEqual([expect.objectContaining({ version: 2, publishedBy: t.owner.userId }), expect.objectContaining({ version: 1 })]);
    expect((await call('POST', `/api/v1/flows/${id}/rollback`, { version: 9 })).body.code).toBe('BF_ERR_FLOW_VERSION_NOT_FOUND');
    const audit = await t.app.db.db.selectFrom('audit_log').select('action').where('entity', '=', 'flow').where('entity_id', '=', id).execute();
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['create', 'save-draft', 'publish']));
  });

  it('requires the texts of a node in the language of the business (ru for the demo), not in English', async () => {
    const flow = (text: Record<string, string>) => graph([['s', 'trigger.command', { command: '/promo' }], ['m', 'message', { text }], ['e', 'end']], ['s.next>m', 'm.next>e']);
    const created = await call('POST', '/api/v1/flows', { key: 'ru-only', name: 'Только по-русски' });
    await call('PUT', `/api/v1/flows/${created.body.id}/draft`, { graph: flow({ ru: 'Скидка 20% на этой неделе' }) });
    expect((await call('POST', `/api/v1/flows/${created.body.id}/publish`)).body).toEqual({ version: 1 });

    const english = await call('POST', '/api/v1/flows/validate', { graph: flow({ en: '-20% this week' }) });
    expect(english.body.errors).toEqual([expect.objectContaining({ nodeId: 'm', code: 'TEXT_LOCALE_MISSING', path: '/nodes/1/settings/text/ru', details: { locale: 'ru' } })]);
    const blank = await call('POST', '/api/v1/flows/validate', { graph: flow({ ru: '  ', en: 'Hi' }) });
    expect(blank.body.errors.map((e: any) => e.code)).toEqual(['TEXT_LOCALE_MISSING']);
    // No text at all is not a text in some language.
    expect((await call('POST', '/api/v1/flows/validate', { graph: flow({}) })).body.errors.map((e: any) => e.details?.keyword)).toEqual(['minProperties']);
  });

  it('the demo business has its bot and a published main menu flow that validates', async () => {
    const flows = await call('GET', '/api/v1/flows');
    const mainFlow = flows.body.items.find((f: any) => f.key === 'main');
    expect(mainFlow.publishedVersion).toBe(1);
    const full = await call('GET', `/api/v1/flows/${mainFlow.id}`);
    expect((await call('POST', '/api/v1/flows/validate', { graph: full.body.draft })).body).toEqual({ valid: true, errors: [] });
    const bots = await call('GET', '/api/v1/bots');
    expect(bots.body.items).toEqual([expect.objectContaining({ name: 'Demo Beauty & Spa', mode: 'off', flowKey: 'main' })]);
  });
});
