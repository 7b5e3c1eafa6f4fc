/**
 * The http node runs outside the turn's transaction: while its request is out, the session row is not
 * locked and the chat answers other updates; a dialog that moved on meanwhile drops the late result.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNodeTurnKit, type NodeTurnKit } from '../../../test/helpers/node-turn.js';
import { until } from '../../../test/helpers/wait.js';

let kit: NodeTurnKit;
let server: http.Server;
let base = '';
/** requests waiting for the test to answer them */
const pending: http.ServerResponse[] = [];
const allowPrivate = process.env.FLOW_HTTP_ALLOW_PRIVATE;

beforeAll(async () => {
  // The "remote API" is on loopback.
  process.env.FLOW_HTTP_ALLOW_PRIVATE = '1';
  server = http.createServer((_req, res) => void pending.push(res));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  kit = await startNodeTurnKit({ plugins: [] });
});
afterAll(async () => {
  pending.splice(0).forEach((res) => res.end());
  await kit?.close();
  await new Promise<void>((r) => server.close(() => r()));
  if (allowPrivate === undefined) delete process.env.FLOW_HTTP_ALLOW_PRIVATE;
  else process.env.FLOW_HTTP_ALLOW_PRIVATE = allowPrivate;
});

const answer = (body: unknown) => pending.shift()!.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
const httpNode = () => ({ nodeType: 'http', settings: { method: 'GET', url: `${base}/slow`, saveAs: 'reply', timeoutMs: 30_000 }, declare: ['reply'] });

describe('the http node', () => {
  it('holds no lock while its request is out: another transaction may lock the session row', async () => {
    const flow = await kit.nodeFlow(httpNode());
    const turn = flow.start();
    await until('the request to reach the server', () => pending.length === 1);
    const key = (await kit.t.app.db.db.selectFrom('flow_sessions').select('conversation_key').orderBy('started_at', 'desc').limit(1).executeTakeFirstOrThrow()).conversation_key;
    // NOWAIT fails at once (55P03) on a row another transaction holds locked.
    const locked = await kit.t.app.db.db.transaction().execute((trx) => sql`SELECT id FROM flow_sessions WHERE conversation_key = ${key} FOR UPDATE NOWAIT`.execute(trx));
    expect(locked.rows).toHaveLength(1);
    answer({ ok: true });
    expect(await turn).toMatchObject({ port: 'next', vars: { reply: { status: 200, body: { ok: true } } } });
  });

  it('a command while the request is out restarts the dialog; the late answer is dropped', async () => {
    const flow = await kit.nodeFlow(httpNode());
    const turn = flow.start();
    await until('the request to reach the server', () => pending.length === 1);
    const first = await kit.t.app.db.db.selectFrom('flow_sessions').select(['conversation_key', 'chat_id']).orderBy('started_at', 'desc').limit(1).executeTakeFirstOrThrow();
    const botToken = [...new Set(kit.standin.calls.filter((c) => c.method === 'setWebhook').map((c) => c.token))][0];
    // The demo bot's main flow answers /start while the http node waits for its server.
    expect((await kit.standin.text(botToken, Number(first.chat_id), '/start')).status).toBe(200);
    await kit.t.app.flows.telegram.settled();
    const greeted = kit.standin.sent(first.chat_id).length;
    expect(greeted).toBeGreaterThan(0);
    answer({ late: true });
    const done = await turn;
    expect(done.port).toBeNull();
    expect(done.vars.reply).toBeUndefined();
    expect(done.messages.length).toBe(greeted);
  });
});
