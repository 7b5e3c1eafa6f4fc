import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertPublicUrl, fetchPublic, MAX_BODY_BYTES } from '../nodes/outbound-url.js';

// The stand-in for "a public server" is on loopback, so the checker lets exactly its first URL
// through and judges every other URL with the real guard (private addresses not allowed).
let server: http.Server;
let base = '';
const hits: string[] = [];
const firstHopOnly = (first: string) => (u: string) => (u === first ? Promise.resolve(new URL(u)) : assertPublicUrl(u, false));
const anyUrl = (u: string) => Promise.resolve(new URL(u));

beforeAll(async () => {
  server = http.createServer((req, res) => {
    hits.push(req.url!);
    const m = /^\/hop\/(\d+)$/.exec(req.url!);
    if (req.url === '/to-loopback') return void res.writeHead(302, { location: `http://127.0.0.1:${(server.address() as AddressInfo).port}/secret` }).end();
    if (req.url === '/to-localhost') return void res.writeHead(307, { location: `http://localhost:${(server.address() as AddressInfo).port}/secret` }).end();
    if (m) return void res.writeHead(302, { location: Number(m[1]) > 0 ? `/hop/${Number(m[1]) - 1}` : '/ok' }).end();
    if (req.url === '/huge') {
      res.writeHead(200, { 'content-type': 'text/plain' });
      const chunk = 'x'.repeat(64 * 1024);
      for (let i = 0; i < 8; i++) res.write(chunk);
      return void res.end();
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ path: req.url }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe('http node fetch', () => {
  it('checks every redirect target: a redirect to a private address is refused, never fetched', async () => {
    for (const path of ['/to-loopback', '/to-localhost']) {
      hits.length = 0;
      await expect(fetchPublic(base + path, { method: 'GET' }, { check: firstHopOnly(base + path) }), path).rejects.toThrow(/may not call/);
      expect(hits).toEqual([path]);
    }
  });

  it('follows up to three redirects, no more', async () => {
    const ok = await fetchPublic(`${base}/hop/2`, { method: 'GET' }, { check: anyUrl });
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.text)).toEqual({ path: '/ok' });
    await expect(fetchPublic(`${base}/hop/3`, { method: 'GET' }, { check: anyUrl })).rejects.toThrow(/redirects/);
  });

  it('refuses an answer larger than the limit', async () => {
    await expect(fetchPublic(`${base}/huge`, { method: 'GET' }, { check: anyUrl })).rejects.toThrow(String(MAX_BODY_BYTES));
    expect((await fetchPublic(`${base}/huge`, { method: 'GET' }, { check: anyUrl, maxBodyBytes: 1024 * 1024 })).text.length).toBe(512 * 1024);
  });
});
