/**
 * A local stand-in for Mango Office's VPBX API, both ways, on a real port: set MANGO_API_ROOT to `url` so our
 * commands come here (POST `commands/callback`, form fields vpbx_api_key, sign, json; the sign checked as Mango
 * does, sha256(key + json + salt); answered `{result: 1000}` or 3102 for a bad sign / 3101 for an unknown key),
 * and `post(...)` sends Mango's signed events (`events/call`, `events/summary`) to our webhook.
 */
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

const sha256 = (s: string) => crypto.createHash('sha256').update(s).digest('hex');

export class MangoStandIn {
  /** the commands we received, parsed json with the command name */
  readonly commands: Array<{ command: string; json: Record<string, unknown> }> = [];
  /** the result the next callback answers (1000: success) */
  callbackResult = 1000;
  private constructor(private readonly server: http.Server, readonly url: string, readonly key: string, readonly salt: string) {}

  static async start(key: string, salt: string): Promise<MangoStandIn> {
    let standin: MangoStandIn | undefined;
    const server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c) => { body += c; });
      req.on('end', () => standin!.answer(req, body, res));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    standin = new MangoStandIn(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}/vpbx/`, key, salt);
    return standin;
  }

  private answer(req: http.IncomingMessage, body: string, res: http.ServerResponse) {
    const form = new URLSearchParams(body);
    const send = (result: number) => { res.writeHead(200, { 'content-type': 'application/json' }); res.end(JSON.stringify({ result })); };
    if (req.method !== 'POST') return send(3100);
    if (form.get('vpbx_api_key') !== this.key) return send(3101);
    const json = form.get('json') ?? '';
    if (form.get('sign') !== sha256(this.key + json + this.salt)) return send(3102);
    const command = (req.url ?? '').replace(/^\/vpbx\//, '');
    this.commands.push({ command, json: JSON.parse(json) });
    send(command === 'commands/callback' ? this.callbackResult : 1000);
  }

  /** The form Mango posts: `sign` over the raw json (or a given forged one). */
  form(event: Record<string, unknown>, opts: { key?: string; sign?: string } = {}): URLSearchParams {
    const json = JSON.stringify(event);
    const key = opts.key ?? this.key;
    return new URLSearchParams({ vpbx_api_key: key, sign: opts.sign ?? sha256(key + json + this.salt), json });
  }

  /** POSTs an event to our webhook at `base` (…/telephony/mango/) as Mango does. */
  async post(base: string, kind: 'call' | 'summary', event: Record<string, unknown>, opts: { key?: string; sign?: string } = {}) {
    const res = await fetch(`${base}events/${kind}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: this.form(event, opts) });
    return { status: res.status, body: await res.json() as any };
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
