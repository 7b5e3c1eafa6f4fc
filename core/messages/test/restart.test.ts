/**
 * The real server as a child process (`npm start`'s core/main.ts), killed with SIGKILL after a turn committed and
 * while its reply was being sent: the next process sends the turn's replies, each exactly once and in order.
 */
import { describe, expect, it } from 'vitest';
import { freePort } from '../../db/embedded.js';
import { freshDatabase } from '../../../test/helpers/db.js';
import { BotApiStandIn } from '../../../test/helpers/bot-api-standin.js';
import { until } from '../../../test/helpers/wait.js';
import { cleanupAfterAll, healthy, startMain, type Main } from '../../../test/helpers/main-process.js';

const TOKEN = '800301:restart-token-bbbbbbbbbbbbbbbbbbb';
const CHAT = 777;
const { cleanup, tempDir } = cleanupAfterAll();

describe('replies of a committed turn', () => {
  it('are sent exactly once after a SIGKILL between the commit and the send', async () => {
    const standin = await BotApiStandIn.start();
    cleanup.push(() => standin.close());
    const port = await freePort();
    const env = {
      DATABASE_URL: await freshDatabase(), PORT: String(port), DATA_DIR: tempDir('bookflow-restart-'), ADMIN_EMAIL: 'owner@restart.test', ADMIN_PASSWORD: 'owner-password-1',
      TELEGRAM_API_ROOT: standin.url, TELEGRAM_BOT_TOKEN: TOKEN, PUBLIC_URL: 'https://bots.example.test', MESSAGE_LEASE_SECONDS: '6', LOG_LEVEL: 'warn',
    };
    const start = async (): Promise<Main> => {
      const main = startMain(env);
      cleanup.push(async () => {
        if (main.child.exitCode === null && main.child.signalCode === null) {
          main.child.kill('SIGKILL');
          await main.exited;
        }
      });
      await until('the server to answer /health', () => healthy(port), 90_000).catch((e) => { throw new Error(`${e.message}\n${main.output()}`); });
      await until('the demo bot’s webhook', () => standin.webhookOf(TOKEN));
      return main;
    };
    standin.webhookTarget = `http://127.0.0.1:${port}`;

    const first = await start();
    // Telegram takes the first reply and never answers: the turn has committed, its reply is being sent.
    standin.held.add(String(CHAT));
    const held = new Promise((resolve) => standin.events.once('held', resolve));
    expect((await standin.text(TOKEN, CHAT, '/start', { language: 'ru' })).status).toBe(200);
    await held;
    first.child.kill('SIGKILL');
    expect((await first.exited).signal).toBe('SIGKILL');
    standin.held.delete(String(CHAT));

    const second = await start();
    const sent = await standin.waitForSent(CHAT, 2, 60_000);
    // The demo flow greets with two messages; no more come, however long we look.
    await new Promise((r) => setTimeout(r, 4000));
    expect(standin.sent(CHAT)).toHaveLength(2);
    expect(sent[0].text).toMatch(/^Здравствуйте! Вас приветствует/);
    expect(sent[1].reply_markup?.inline_keyboard?.length).toBeGreaterThan(0);
    const attempts = standin.calls.filter((c) => c.method === 'sendMessage' && String(c.payload.chat_id) === String(CHAT));
    // the held one (no answer), then the reclaimed first reply, then the second
    expect(attempts.map((c) => c.status)).toEqual([0, 200, 200]);
    expect(attempts[1].payload.text).toBe(attempts[0].payload.text);
    second.child.kill('SIGTERM');
    expect((await second.exited).code).toBe(0);
  }, 240_000);
});
