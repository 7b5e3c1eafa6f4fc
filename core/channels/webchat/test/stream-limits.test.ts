import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../../test/helpers/app.js';
import { until } from '../../../../test/helpers/wait.js';

let t: TestApp;
const opened: AbortController[] = [];

// Client addresses come from X-Forwarded-For here, as behind a proxy (TRUST_PROXY=true).
beforeAll(async () => {
  t = await startTestApp({ config: { trustProxy: true, webchatStreamsPerAddress: 2, webchatStreamsTotal: 3, webchatStreamIdleSeconds: 3 } });
});
afterAll(async () => {
  for (const c of opened) c.abort();
  await t?.close();
});

const newSession = async (address: string): Promise<string> => {
  const res = await t.api('POST', '/api/v1/public/demo/webchat/sessions', { body: { locale: 'en' }, headers: { 'x-forwarded-for': address } });
  expect(res.status).toBe(201);
  return res.body.sessionId;
};

interface Stream { status: number; body?: any; abort?: AbortController; reader?: ReadableStreamDefaultReader<Uint8Array> }

/** Opens the public SSE stream; resolves once the server said it is connected. */
async function openStream(sessionId: string, address: string): Promise<Stream> {
  const abort = new AbortController();
  const res = await fetch(`${t.url}/api/v1/public/demo/webchat/sessions/${sessionId}/events`, { signal: abort.signal, headers: { 'x-forwarded-for': address } });
  if (res.status !== 200) return { status: res.status, body: await res.json() };
  opened.push(abort);
  const reader = res.body!.getReader();
  let text = '';
  while (!text.includes(': connected')) text += new TextDecoder().decode((await reader.read()).value);
  return { status: 200, abort, reader };
}

describe('web chat event streams', () => {
  it('are capped per client address and in all, with coded 429s, and a closed stream frees its slots', async () => {
    const a1 = await openStream(await newSession('10.0.0.1'), '10.0.0.1');
    const a2 = await openStream(await newSession('10.0.0.1'), '10.0.0.1');
    expect([a1.status, a2.status]).toEqual([200, 200]);
    const a3 = await openStream(await newSession('10.0.0.1'), '10.0.0.1');
    expect(a3).toMatchObject({ status: 429, body: { code: 'BF_ERR_WEBCHAT_ADDRESS_STREAMS', details: { max: 2 } } });

    expect((await openStream(await newSession('10.0.0.2'), '10.0.0.2')).status).toBe(200);
    const full = await openStream(await newSession('10.0.0.3'), '10.0.0.3');
    expect(full).toMatchObject({ status: 429, body: { code: 'BF_ERR_WEBCHAT_STREAMS_FULL', details: { max: 3 } } });

    a1.abort!.abort();
    const later = await newSession('10.0.0.3');
    await until('a slot after a stream closed', async () => (await openStream(later, '10.0.0.3')).status === 200);
    for (const c of opened) c.abort();
  });

  it('close when their chat goes without messages, refuse to reopen until the client writes again', async () => {
    await until('every earlier stream to be gone', async () => {
      const probe = await openStream(await newSession('10.0.1.1'), '10.0.1.1');
      probe.abort?.abort();
      return probe.status === 200;
    });
    const sessionId = await newSession('10.0.1.2');
    const stream = await openStream(sessionId, '10.0.1.2');
    expect(stream.status).toBe(200);
    let text = '';
    for (;;) {
      const { value, done } = await stream.reader!.read();
      if (done) break;
      text += new TextDecoder().decode(value);
    }
    expect(text).toContain('event: idle');

    const again = await openStream(sessionId, '10.0.1.2');
    expect(again).toMatchObject({ status: 409, body: { code: 'BF_ERR_WEBCHAT_SESSION_IDLE', details: { seconds: 3 } } });
    expect((await t.api('POST', `/api/v1/public/demo/webchat/sessions/${sessionId}/messages`, { body: { text: 'hello again' }, headers: { 'x-forwarded-for': '10.0.1.2' } })).status).toBe(200);
    expect((await openStream(sessionId, '10.0.1.2')).status).toBe(200);
  });
});
