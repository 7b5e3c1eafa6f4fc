/**
 * The reference for bot benchmarks: a bare grammY webhook bot on fastify that answers every update with one
 * sendMessage, through its own Bot API stand-in (limits off, like Bookflow's in the same run). What is left
 * between it and Bookflow is Bookflow's own work: secret check, de-duplication, the session, the engine, the outbox.
 */
import Fastify from 'fastify';
import { Bot, webhookCallback } from 'grammy';
import { BotApiStandIn, type RecordedCall } from '../../test/helpers/bot-api-standin.js';

const TOKEN = '900009:reference-token-eeeeeeeeeeeeeeeeeeee';

export interface GrammyReference {
  /** one update from `chat` (text, or a button press after the first), resolved when its reply reached the stand-in: ms */
  turn(chat: number, press: boolean): Promise<number>;
  close(): Promise<void>;
}

export async function startGrammyReference(): Promise<GrammyReference> {
  const standin = await BotApiStandIn.start();
  standin.limits = null;
  const bot = new Bot(TOKEN, { client: { apiRoot: standin.url }, botInfo: { id: 900009, is_bot: true, first_name: 'Reference', username: 'reference_bot', can_join_groups: false, can_read_all_group_messages: false, supports_inline_queries: false, can_connect_to_business: false, has_main_web_app: false } as never });
  bot.on('message', (ctx) => ctx.reply('ok', { reply_markup: { inline_keyboard: [[{ text: 'Go', callback_data: 'go' }]] } }).then(() => undefined));
  bot.on('callback_query', (ctx) => ctx.reply('ok', { reply_markup: { inline_keyboard: [[{ text: 'Go', callback_data: 'go' }]] } }).then(() => undefined));
  const http = Fastify();
  http.post('/hook', webhookCallback(bot, 'fastify'));
  await http.listen({ port: 0, host: '127.0.0.1' });
  const address = http.server.address();
  await bot.api.setWebhook(`http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/hook`);

  const waiting = new Map<string, () => void>();
  standin.events.on('call', (c: RecordedCall) => {
    if (c.method !== 'sendMessage' || c.status !== 200) return;
    const chat = String(c.payload.chat_id);
    const w = waiting.get(chat);
    if (w) {
      waiting.delete(chat);
      w();
    }
  });
  return {
    async turn(chat, press) {
      const started = performance.now();
      const replied = new Promise<void>((resolve) => waiting.set(String(chat), resolve));
      await (press ? standin.press(TOKEN, chat, 'go') : standin.text(TOKEN, chat, 'hello'));
      await replied;
      return performance.now() - started;
    },
    async close() {
      await http.close();
      await standin.close();
    },
  };
}
