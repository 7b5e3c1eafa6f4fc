import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../../test/helpers/app.js';
import { en, graph } from '../../../flow/test/graph-builder.js';

let t: TestApp;
let owner: string;
let manager: string;
let flowId: string;

const draft = graph([
  ['start', 'trigger.command', { command: '/start' }],
  ['ask', 'input', { kind: 'text', saveAs: 'answer', text: en('Draft question?') }],
  ['fin', 'end', { text: en('Draft answer: {{answer}}') }],
], ['start.next>ask', 'ask.next>fin'], [{ name: 'answer', type: 'string' }]);

beforeAll(async () => {
  t = await startTestApp();
  owner = await t.login(t.owner.email, t.owner.password);
  manager = (await t.addMember(owner, 'manager@drafts.test', 'manager')).token;
  flowId = (await t.api('POST', '/api/v1/flows', { token: owner, body: { key: 'unreleased', name: 'Unreleased', graph: draft } })).body.id;
});
afterAll(async () => {
  await t?.close();
});

describe('a studio test chat', () => {
  it('answers only the signed-in editor who started it, never the public web chat route', async () => {
    const started = await t.api('POST', '/api/v1/webchat/sessions', { token: owner, body: { flowId, draft: true, locale: 'en' } });
    expect(started).toMatchObject({ status: 201, body: { messages: [{ text: 'Draft question?' }] } });
    const { sessionId } = started.body;

    const anonymous = await t.api('POST', `/api/v1/public/demo/webchat/sessions/${sessionId}/messages`, { body: { text: 'leak' } });
    expect(anonymous).toMatchObject({ status: 404, body: { code: 'BF_ERR_WEBCHAT_SESSION_NOT_FOUND' } });
    const stream = await fetch(`${t.url}/api/v1/public/demo/webchat/sessions/${sessionId}/events`);
    expect(stream.status).toBe(404);
    expect(((await stream.json()) as { code: string }).code).toBe('BF_ERR_WEBCHAT_SESSION_NOT_FOUND');

    // Another editor of the same business does not get into it either.
    const colleague = await t.api('POST', `/api/v1/webchat/sessions/${sessionId}/messages`, { token: manager, body: { text: 'mine?' } });
    expect(colleague).toMatchObject({ status: 404, body: { code: 'BF_ERR_WEBCHAT_SESSION_NOT_FOUND' } });
    expect((await t.api('POST', `/api/v1/webchat/sessions/${sessionId}/messages`, { body: { text: 'no token' } })).status).toBe(401);

    const mine = await t.api('POST', `/api/v1/webchat/sessions/${sessionId}/messages`, { token: owner, body: { text: 'fine' } });
    expect(mine).toMatchObject({ status: 200, body: { messages: [{ text: 'Draft answer: fine' }] } });
  });

  it('a widget chat is not reachable through the studio routes', async () => {
    const widget = await t.api('POST', '/api/v1/public/demo/webchat/sessions', { body: { locale: 'en' } });
    expect(widget.status).toBe(201);
    const res = await t.api('POST', `/api/v1/webchat/sessions/${widget.body.sessionId}/messages`, { token: owner, body: { text: 'as the studio' } });
    expect(res).toMatchObject({ status: 404, body: { code: 'BF_ERR_WEBCHAT_SESSION_NOT_FOUND' } });
  });
});
