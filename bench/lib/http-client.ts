/**
 * The bench's HTTP client: node's http over kept-alive sockets. It runs in the server's process, so its own
 * cost counts against the server's figure; fetch (undici, web streams) cost about 7% of a booking's CPU there.
 */
import http from 'node:http';

export interface JsonClient {
  post(path: string, body: unknown, headers?: Record<string, string>): Promise<{ status: number; body: unknown }>;
  close(): void;
}

export function jsonClient(base: string, sockets: number): JsonClient {
  const agent = new http.Agent({ keepAlive: true, maxSockets: sockets });
  return {
    post: (path, body, headers = {}) => new Promise((resolve, reject) => {
      const data = Buffer.from(JSON.stringify(body));
      const req = http.request(new URL(path, base), { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': data.length, ...headers } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : undefined });
        });
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(data);
    }),
    close: () => agent.destroy(),
  };
}
