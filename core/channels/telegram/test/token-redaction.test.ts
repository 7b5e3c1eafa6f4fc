import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { createBotApi } from '../bot-api.js';

const TOKEN = '800009:leaky-token-cccccccccccccccccccc';

/** A port nothing listens on any more: the Bot API call fails at the network level. */
async function closedPort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

describe('Bot API errors in logs', () => {
  it('never carry the bot token (message, stack, nested fetch error)', async () => {
    let output = '';
    const log = pino({ level: 'debug' }, new Writable({ write(chunk, _enc, done) { output += String(chunk); done(); } }));
    const api = createBotApi(TOKEN, `http://127.0.0.1:${await closedPort()}`, { botId: 'b1', log });
    const err = await api.getMe().then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    log.error({ err }, 'bot could not connect');
    log.warn({ err: { wrapped: err } }, 'nested');
    expect(output).toContain('bot could not connect');
    expect(output).toContain('/bot***');
    expect(output).not.toContain(TOKEN);
    expect(output).not.toContain(TOKEN.split(':')[1]);
  });
});
