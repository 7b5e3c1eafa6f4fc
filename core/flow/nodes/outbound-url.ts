import dns from 'node:dns/promises';
import ipaddr from 'ipaddr.js';

/**
 * The http node runs URLs that business staff type in; without this check a flow
 * could reach the server's own loopback, the cloud metadata address or the office
 * network. Only public unicast addresses are allowed unless the operator opts in.
 * (A DNS answer may still change between this check and the request; the check
 * stops the plain cases, not a determined rebinding attack.)
 */
export async function assertPublicUrl(raw: string, allowPrivate = process.env.FLOW_HTTP_ALLOW_PRIVATE === '1'): Promise<URL> {
  const url = new URL(raw);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`Only http and https URLs may be called, not ${url.protocol}`);
  if (allowPrivate) return url;
  await publicAddresses(url.hostname, 'flows');
  return url;
}

/**
 * The addresses a host name (or literal address, brackets allowed) resolves to, when every one is public
 * unicast; throws naming `who` otherwise. Connect to one of them, not to the name, so a second lookup
 * cannot answer differently.
 */
export async function publicAddresses(hostname: string, who: string): Promise<string[]> {
  const host = hostname.replace(/^\[|\]$/g, '');
  const addresses = ipaddr.isValid(host) ? [host] : (await dns.lookup(host, { all: true })).map((a) => a.address);
  for (const address of addresses) {
    const range = ipaddr.process(address).range();
    if (range !== 'unicast') throw new Error(`${hostname} resolves to a ${range} address, which ${who} may not call`);
  }
  return addresses;
}

export const MAX_REDIRECTS = 3;
export const MAX_BODY_BYTES = 256 * 1024;

export interface PublicFetchOptions {
  /** checks every URL, the first and each redirect target; assertPublicUrl unless a test swaps it */
  check?: (url: string) => Promise<URL>;
  maxRedirects?: number;
  maxBodyBytes?: number;
}

/**
 * fetch for URLs from flows: redirects are followed here, each Location checked like the first
 * URL (fetch would follow them unchecked, straight to a private address), and the answer is read
 * up to a limit, so a flow cannot make the server buffer an endless body.
 */
export async function fetchPublic(raw: string, init: RequestInit, opts: PublicFetchOptions = {}): Promise<{ status: number; ok: boolean; url: URL; text: string }> {
  const check = opts.check ?? ((u: string) => assertPublicUrl(u));
  const maxRedirects = opts.maxRedirects ?? MAX_REDIRECTS;
  let url = await check(raw);
  let request: RequestInit = { ...init, redirect: 'manual' };
  for (let hop = 0; ; hop++) {
    const res = await fetch(url, request);
    const location = res.status >= 300 && res.status < 400 ? res.headers.get('location') : null;
    if (!location) return { status: res.status, ok: res.ok, url, text: await readLimited(res, opts.maxBodyBytes ?? MAX_BODY_BYTES) };
    await res.body?.cancel();
    if (hop >= maxRedirects) throw new Error(`More than ${maxRedirects} redirects from ${url.host}`);
    const next = await check(new URL(location, url).href);
    // 303, and 301/302 after a POST, turn into a GET without a body, as browsers do.
    const method = (request.method ?? 'GET').toUpperCase();
    if (res.status === 303 || ((res.status === 301 || res.status === 302) && method === 'POST')) request = { ...request, method: 'GET', body: undefined };
    // Credentials typed for one host are not handed to another.
    if (next.origin !== url.origin) {
      const headers = new Headers(request.headers);
      for (const h of ['authorization', 'cookie', 'proxy-authorization']) headers.delete(h);
      request = { ...request, headers };
    }
    url = next;
  }
}

async function readLimited(res: Response, maxBytes: number): Promise<string> {
  if (!res.body) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    size += chunk.byteLength;
    if (size > maxBytes) {
      await res.body.cancel().catch(() => {});
      throw new Error(`The answer is larger than ${maxBytes} bytes`);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}
