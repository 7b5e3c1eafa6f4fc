import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../../test/helpers/app.js';
import { en, graph } from '../../../flow/test/graph-builder.js';

let t: TestApp;
let owner: string;
let flowId: string;
const call = (method: string, path: string, body?: unknown) => t.api(method, path, { token: owner, body });

const draft = graph([
  ['start', 'trigger.command', { command: '/start' }],
  ['ask', 'input', { kind: 'date', saveAs: 'day', text: en('Which day?'), retryText: en('A date like 24.12.2026, please') }],
  ['pick', 'choice', { text: en('{{day}}: morning or evening?'), buttons: [{ id: 'am', label: en('Morning') }, { id: 'pm', label: en('Evening') }], saveAs: 'part' }],
  ['later', 'wait', { delay: { amount: 1, unit: 'seconds' } }],
  ['reminder', 'message', { text: en('Reminder: {{day}}, {{part}}') }],
  ['fin', 'end', { text: en('Bye') }],
], ['start.next>ask', 'ask.next>pick', 'pick.am>later', 'pick.pm>later', 'later.next>reminder', 'reminder.next>fin'], [{ name: 'day', type: 'date' }, { name: 'part', type: 'string' }]);

/** Reads SSE events until `count` messages arrived. */
async function readEvents(path: string, count: number, headers: Record<string, string> = {}): Promise<Array<{ id: string; data: any }>> {
  const res = await fetch(t.url + path, { headers: { authorization: `Bearer ${owner}`, ...headers } });
  expect(res.headers.get('content-type')).toContain('text/event-stream');
  const reader = res.body!.getReader();
  const events: Array<{ id: string; data: any }> = [];
  let buffer = '';
  while (events.length < count) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += new TextDecoder().decode(value);
    let cut: number;
    while ((cut = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, cut);
      buffer = buffer.slice(cut + 2);
      const id = /^id: (.*)$/m.exec(block)?.[1];
      const data = /^data: (.*)$/m.exec(block)?.[1];
      if (id && data) events.push({ id, data: JSON.parse(data) });
    }
  }
  await reader.cancel();
  return events;
}

beforeAll(async () => {
  t = await startTestApp();
  owner = await t.login(t.owner.email, t.owner.password);
  flowId = (await call('POST', '/api/v1/flows', { key: 'test-chat', name: 'Test chat', graph: draft })).body.id;
});
afterAll(async () => {
  await t?.close();
});

describe('web chat', () => {
  it('runs a draft in the studio test chat: replies per turn, input validation, buttons, and later messages over SSE', async () => {
    const started = await call('POST', '/api/v1/webchat/sessions', { flowId, draft: true, locale: 'en' });
    expect(started.status).toBe(201);
    const { sessionId } = started.body;
    expect(started.body.messages).toEqual([{ text: 'Which day?' }]);

    const wrong = await call('POST', `/api/v1/webchat/sessions/${sessionId}/messages`, { text: 'someday' });
    expect(wrong.body.messages).toEqual([{ text: 'A date like 24.12.2026, please' }]);
    const right = await call('POST', `/api/v1/webchat/sessions/${sessionId}/messages`, { text: '24.12.2026' });
    expect(right.body.messages).toEqual([{ text: '2026-12-24: morning or evening?', buttons: [[{ label: 'Morning', callback: expect.any(String) }], [{ label: 'Evening', callback: expect.any(String) }]] }]);

    const events = readEvents(`/api/v1/webchat/sessions/${sessionId}/events`, 2);
    const pressed = await call('POST', `/api/v1/webchat/sessions/${sessionId}/messages`, { callback: right.body.messages[0].buttons[1][0].callback });
    expect(pressed.body.messages).toEqual([]);
    const pushed = await events;
    expect(pushed.map((e) => e.data)).toEqual([{ text: 'Reminder: 2026-12-24, pm' }, { text: 'Bye' }]);

    // A reconnecting client resumes after the last event it saw.
    expect((await readEvents(`/api/v1/webchat/sessions/${sessionId}/events`, 1, { 'last-event-id': pushed[0].id })).map((e) => e.data)).toEqual([{ text: 'Bye' }]);

    const stale = await call('POST', `/api/v1/webchat/sessions/${sessionId}/messages`, { callback: right.body.messages[0].buttons[0][0].callback });
    // An old button says so instead of staying silent (the session's language: English here).
    expect(stale.body).toEqual({ messages: [{ text: 'This choice is no longer current' }], stale: true });
    expect((await call('POST', `/api/v1/webchat/sessions/${sessionId}/messages`, {})).body.code).toBe('BF_ERR_WEBCHAT_MESSAGE_EMPTY');
  });

  it('runs plugin node types of enabled plugins, and lists them for the palette', async () => {
    const plugin = graph([
      ['start', 'trigger.command', { command: '/start' }],
      ['who', 'set', { assignments: [{ var: 'who', value: '{{client.name}}' }] }],
      ['note', 'example.save-note', { text: 'Call {{who}} back' }],
      ['fin', 'end', {}],
    ], ['start.next>who', 'who.next>note', 'note.next>fin'], [{ name: 'who', type: 'string' }]);
    const before = await call('POST', '/api/v1/flows/validate', { graph: plugin });
    expect(before.body.errors.map((e: any) => e.code)).toEqual(['NODE_TYPE_UNKNOWN']);
    expect((await call('PUT', '/api/v1/plugins/example/enabled', { enabled: true })).status).toBe(200);
    expect((await call('GET', '/api/v1/flow-node-types')).body.items).toContainEqual(expect.objectContaining({ type: 'example.save-note', pluginId: 'example' }));
    expect((await call('POST', '/api/v1/flows/validate', { graph: plugin })).body).toEqual({ valid: true, errors: [] });

    const id = (await call('POST', '/api/v1/flows', { key: 'with-plugin', name: 'Plugin node', graph: plugin })).body.id;
    const chat = await call('POST', '/api/v1/webchat/sessions', { flowId: id, draft: true, locale: 'en', name: 'Olga' });
    expect(chat.body.messages).toEqual([{ text: 'Note saved: Call Olga back' }]);
    expect((await call('GET', '/api/v1/example/notes')).body.items.map((n: any) => n.text)).toEqual(['Call Olga back']);

    // With the plugin switched off the step is not run and the client is told it is unavailable (not "went wrong").
    expect((await call('PUT', '/api/v1/plugins/example/enabled', { enabled: false })).status).toBe(200);
    const off = await call('POST', '/api/v1/webchat/sessions', { flowId: id, draft: true, locale: 'en' });
    expect(off.body.messages).toEqual([{ text: 'This option is not available right now.' }]);
  });

  it('refuses to run a half-made draft with a coded 400 naming the paths', async () => {
    const created = await call('POST', '/api/v1/flows', { key: 'half-made', name: 'Half made' });
    expect(created.status).toBe(201);
    expect((await call('PUT', `/api/v1/flows/${created.body.id}/draft`, { graph: {} })).status).toBe(200);
    const res = await call('POST', '/api/v1/webchat/sessions', { flowId: created.body.id });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('BF_ERR_FLOW_DRAFT_MALFORMED');
    expect(res.body.details.errors.map((e: any) => e.path)).toContain('/nodes');
  });

  it('an idle session expires: the next message starts over', async () => {
    const { sessionId } = (await call('POST', '/api/v1/webchat/sessions', { flowId, draft: true, locale: 'en' })).body;
    // A day passes.
    await t.app.db.db.updateTable('flow_sessions').set({ expires_at: new Date(t.clock.nowMs() - 1000) }).where('id', '=', sessionId).execute();
    const res = await call('POST', `/api/v1/webchat/sessions/${sessionId}/messages`, { text: '24.12.2026' });
    expect(res.body.messages).toEqual([{ text: 'Which day?' }]);
  });

  it('the public widget chats with the business’s published main flow without signing in', async () => {
    const res = await t.api('POST', '/api/v1/public/demo/webchat/sessions', { body: { locale: 'uk' } });
    expect(res.status).toBe(201);
    expect(res.body.messages.at(-1).text).toBe('Чим можемо допомогти?');
    const prices = res.body.messages.at(-1).buttons[0][0];
    const next = await t.api('POST', `/api/v1/public/demo/webchat/sessions/${res.body.sessionId}/messages`, { body: { callback: prices.callback } });
    expect(next.body.messages[0].text).toContain('Жіноча стрижка');
    const unknown = await t.api('POST', `/api/v1/public/demo/webchat/sessions/${crypto.randomUUID()}/messages`, { body: { text: 'hi' } });
    expect(unknown.body.code).toBe('BF_ERR_WEBCHAT_SESSION_NOT_FOUND');
    expect((await t.api('POST', `/api/v1/public/demo/webchat/sessions`, { body: { flowKey: 'test-chat' } })).body.code).toBe('BF_ERR_FLOW_NOT_PUBLISHED');
  });
});
