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
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const addresses = ipaddr.isValid(host) ? [host] : (await dns.lookup(host, { all: true })).map((a) => a.address);
  for (const address of addresses) {
    const range = ipaddr.process(address).range();
    if (range !== 'unicast') throw new Error(`${url.host} resolves to a ${range} address, which flows may not call`);
  }
  return url;
}
