import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** A provider's stand-in: an HTTP server on a free local port that speaks the provider's protocol in `handle`. */
export abstract class HttpStandIn {
  private server?: http.Server;
  url = '';

  protected abstract handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void>;

  /** Starts listening; the stand-in's `url` is its API root. */
  protected async listen(): Promise<this> {
    const server = http.createServer((req, res) => void this.handle(req, res));
    this.server = server;
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return this;
  }

  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  }
}
