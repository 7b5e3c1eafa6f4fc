/**
 * A turn holds one pool connection, its transaction's, and its nodes use that one: with a single free
 * connection in the pool, concurrent chats run booking's nodes (inside the turn and outside it) to their
 * answers. A made-up node that reads through ctx.db during the turn shows what the test would catch.
 */
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNodeTurnKit, type NodeTurnKit } from '../../test/helpers/node-turn.js';
import { tempPluginsDir } from '../../test/helpers/plugins.js';
import { until } from '../../test/helpers/wait.js';

const plugins = tempPluginsDir({
  copy: ['booking'],
  plugins: {
    'pool-hog': {
      files: {
        'nodes.ts': `export default [{ type: 'pool-hog.read', category: 'logic', label: { en: 'Read' }, settingsSchema: { type: 'object' }, ports: [{ id: 'next', label: { en: 'Next' } }] }];`,
        'server.ts': `import { sql } from 'kysely';
export default { nodes: { 'pool-hog.read': async (_input, ctx) => { await sql\`SELECT 1\`.execute(ctx.db); return { next: 'next' }; } } };`,
      },
    },
  },
});
let kit: NodeTurnKit;
const held: pg.PoolClient[] = [];

beforeAll(async () => {
  kit = await startNodeTurnKit({ pluginsDir: plugins.dir, plugins: ['booking', 'pool-hog'], config: { dbPoolMax: 6, dbConnectTimeoutMs: 2500 } });
});
afterAll(async () => {
  held.splice(0).forEach((c) => c.release());
  await kit?.close();
  plugins.remove();
});

/**
 * Takes every connection the pool will give, then hands one back: the app has exactly one to work with. First the
 * app's background work (events of the flows just published, their replies, plugin jobs due about now) is let
 * finish, so none of it is holding that one connection when the turn comes.
 */
async function leaveOneConnection(): Promise<void> {
  const { pool } = kit.t.app.db;
  await kit.t.app.flows.telegram.settled();
  const db = kit.t.app.db.db;
  await until('no event or message in flight', async () => {
    const events = await db.selectFrom('event_deliveries').select('id').where('status', '=', 'pending').limit(1).execute();
    const messages = await db.selectFrom('messages').select('id').where('status', 'in', ['queued', 'sending']).where('not_before', '<=', new Date(kit.t.clock.nowMs() + 1000)).limit(1).execute();
    const jobs = await db.selectFrom('plugin_jobs').select('id').where((eb) => eb.or([eb('status', '=', 'running'),
      eb.and([eb('status', '=', 'scheduled'), eb('run_at', '<=', new Date(kit.t.clock.nowMs() + 5000))])])).limit(1).execute();
    return events.length + messages.length + jobs.length === 0;
  });
  for (;;) {
    try {
      held.push(await pool.connect());
    } catch {
      break;
    }
  }
  held.pop()!.release();
}

describe('a turn and its nodes share one pool connection', () => {
  it('concurrent chats run booking\'s nodes to their answers on the one connection left', async () => {
    const { t } = kit;
    const service = await t.app.db.db.selectFrom('booking_services').select(['id', 'name']).where('tenant_id', '=', t.demoTenantId).where('needs_staff', '=', true)
      .where('active', '=', true).where('deleted_at', 'is', null).orderBy('sort').executeTakeFirstOrThrow();
    // The kit's flows are made and published while the pool is whole; the turns run on one connection.
    const turns = await Promise.all([1, 2, 3].map(() => kit.runNodeTurn({ nodeType: 'booking.pick-service', settings: { groupByDepartment: false } })));
    await leaveOneConnection();
    try {
      for (const first of turns) expect(first.port).toBeNull();
      const chosen = await Promise.all(turns.map((first) => first.reply({ button: first.messages[0].reply_markup.inline_keyboard.flat().find((b: any) => b.text.startsWith(service.name)).text })));
      for (const turn of chosen) expect(turn).toMatchObject({ port: 'next', vars: { bookingServiceId: service.id, bookingServiceName: service.name } });
    } finally {
      held.splice(0).forEach((c) => c.release());
    }

    // A node that runs outside the turn reads through the pool, holding no transaction meanwhile.
    const dayFlow = await kit.nodeFlow({ nodeType: 'booking.pick-day', vars: { bookingServiceId: service.id } });
    const mineFlow = await kit.nodeFlow({ nodeType: 'booking.my-bookings' });
    await leaveOneConnection();
    try {
      const [days, bookings] = await Promise.all([dayFlow.start(), mineFlow.start()]);
      expect(days.port).toBeNull();
      expect(days.messages.at(-1)!.reply_markup.inline_keyboard.flat().some((b: any) => b.callback_data)).toBe(true);
      expect(bookings).toMatchObject({ port: 'next', messages: [{ text: expect.any(String) }] });
    } finally {
      held.splice(0).forEach((c) => c.release());
    }
  });

  it('a node reading through ctx.db during the turn waits for a second connection: the turn cannot have it', async () => {
    const flow = await kit.nodeFlow({ nodeType: 'pool-hog.read' });
    await leaveOneConnection();
    try {
      const done = await flow.start();
      expect(done.port).toBe('error');
      expect(String(done.vars.lastError)).toMatch(/timeout|connect/i);
    } finally {
      held.splice(0).forEach((c) => c.release());
    }
  });
});
