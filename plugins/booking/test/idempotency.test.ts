import crypto from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../test/helpers/app.js';
import { BotApiStandIn, inlineButtons, type SentMessage } from '../../../test/helpers/bot-api-standin.js';

// A chat turn whose save fails after its booking committed: confirm runs outside the turn's transaction, so the
// engine tries the rest of the turn again with the booking it got, and the client is not booked twice.
const TOKEN = '700779:booking-token-cccccccccccccccccc';
const CHAT = 9101;
let standin: BotApiStandIn;
let t: TestApp;
let token: string;

let seen = 0;
async function next(): Promise<SentMessage> {
  const all = await standin.waitForSent(CHAT, seen + 1);
  seen = all.length;
  return all[all.length - 1];
}

beforeAll(async () => {
  standin = await BotApiStandIn.start();
  t = await startTestApp({ plugins: ['booking'], config: { telegramApiRoot: standin.url, telegramBotToken: TOKEN, secretKey: crypto.randomBytes(32).toString('hex') } });
  token = await t.login(t.owner.email, t.owner.password);
});
afterAll(async () => {
  await t?.close();
  await standin?.close();
});

describe('a retried confirm turn', () => {
  it('returns the booking the failed attempt made instead of booking again', async () => {
    await standin.text(TOKEN, CHAT, '/book', { language: 'en' });
    let m = await next();
    for (let i = 0; i < 10 && !/name/i.test(m.text); i++) {
      const b = inlineButtons(m).filter((x) => !x.text.startsWith('✕'));
      await standin.press(TOKEN, CHAT, (b[1] ?? b[0]).callback_data);
      m = await next();
    }
    await standin.text(TOKEN, CHAT, 'Retry Person');
    await next();
    await standin.contact(TOKEN, CHAT, '+79169990011');
    const summary = await next();

    // The first save of the turn that booked fails once (as a dropped connection would): that transaction rolls back, the booking stays.
    const db = t.app.db.db;
    await sql`CREATE SEQUENCE bf_test_fail_once`.execute(db);
    await sql`CREATE FUNCTION bf_test_fail_once() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.vars ? 'bookingId' AND NOT OLD.vars ? 'bookingId' AND nextval('bf_test_fail_once') = 1 THEN RAISE EXCEPTION 'simulated failure after booking'; END IF;
        RETURN NEW;
      END $$`.execute(db);
    await sql`CREATE TRIGGER bf_test_fail_once BEFORE UPDATE ON flow_sessions FOR EACH ROW EXECUTE FUNCTION bf_test_fail_once()`.execute(db);
    try {
      await standin.press(TOKEN, CHAT, inlineButtons(summary).find((x) => x.text.startsWith('✅'))!.callback_data);
      expect((await next()).text).toMatch(/booked/i);
      const { rows } = await sql<{ n: number }>`SELECT nextval('bf_test_fail_once')::int AS n`.execute(db);
      expect(rows[0].n).toBeGreaterThan(2); // it did fail once, and the retry saved
    } finally {
      await sql`DROP TRIGGER bf_test_fail_once ON flow_sessions`.execute(db);
    }
    const clients = (await t.api('GET', '/api/v1/contacts?q=9990011', { token, tenant: 'demo' })).body.items;
    expect(clients).toHaveLength(1);
    expect((await t.api('GET', `/api/v1/bookings?clientId=${clients[0].id}`, { token, tenant: 'demo' })).body.items).toHaveLength(1);
  });
});
