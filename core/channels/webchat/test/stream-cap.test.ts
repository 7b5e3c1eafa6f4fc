import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../../test/helpers/app.js';
import { until } from '../../../../test/helpers/wait.js';
import { MAX_STREAMS_PER_SESSION } from '../routes.js';

let t: TestApp;
const opened: AbortController[] = [];

beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  for (const c of opened) c.abort();
  await t?.close();
});

/** Opens the public SSE stream; resolves once the server said it is connected. */
async function openStream(sessionId: string): Promise<{ status: number; body?: any; abort?: AbortController }> {
  const abort = new AbortController();
  const res = await fetch(`${t.url}/api/v1/public/demo/webchat/sessions/${sessionId}/events`, { signal: abort.signal });
  if (res.status !== 200) return { status: res.status, body: await res.json() };
  opened.push(abort);
  const reader = res.body!.getReader();
  let text = '';
  while (!text.includes(': connected')) text += new TextDecoder().decode((await reader.read()).value);
  return { status: 200, abort };
}

describe('the public web chat event stream', () => {
  it(`allows ${MAX_STREAMS_PER_SESSION} open streams per session, then answers a coded 429 until one closes`, async () => {
    const session = await t.api('POST', '/api/v1/public/demo/webchat/sessions', { body: { locale: 'en' } });
    expect(session.status).toBe(201);
    const id = session.body.sessionId;
    const streams = [];
    for (let i = 0; i < MAX_STREAMS_PER_SESSION; i++) streams.push(await openStream(id));
    expect(streams.map((s) => s.status)).toEqual(Array(MAX_STREAMS_PER_SESSION).fill(200));

    const refused = await openStream(id);
    expect(refused.status).toBe(429);
    expect(refused.body.code).toBe('BF_ERR_WEBCHAT_TOO_MANY_STREAMS');

    // Another session is not affected.
    const other = await t.api('POST', '/api/v1/public/demo/webchat/sessions', { body: { locale: 'en' } });
    expect((await openStream(other.body.sessionId)).status).toBe(200);

    streams[0].abort!.abort();
    await until('a stream slot after closing one', async () => (await openStream(id)).status === 200);
  });
});
