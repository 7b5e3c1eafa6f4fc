import crypto from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../test/helpers/app.js';
import { BotApiStandIn, inlineButtons } from '../../../test/helpers/bot-api-standin.js';
import { tempPluginsDir } from '../../../test/helpers/plugins.js';
import { until } from '../../../test/helpers/wait.js';
import { makeSalon, type Salon } from '../../../plugins/booking/test/salon.js';
import { en, graph } from './graph-builder.js';

// Flows started by events: a booking completed through booking's HTTP API reaches the client's Telegram chat
// (the Bot API stand-in) when the trigger's time comes on the moved clock. The clock starts at a fixed instant
// ten days before the 2030 spring DST change in Berlin, so the suite runs the same at any date.
const START = '2030-03-20T08:00:00.000Z';
const HOUR = 3_600_000;
const secretKey = crypto.randomBytes(32).toString('hex');
const plugins = tempPluginsDir({
  copy: ['booking'],
  plugins: {
    // Handles booking.completed and always fails: it must hold up neither the triggers nor anything else.
    grumpy: {
      manifest: { enabledByDefault: true },
      files: { 'server.ts': `export default { events: { 'booking.completed': async () => { throw new Error('grumpy refuses'); } } };` },
    },
    // A plugin's own trigger node type, fired through ctx.flows.
    nudger: {
      manifest: { enabledByDefault: true },
      files: {
        'nodes.ts': `export default [{ type: 'nudger.nudge', category: 'trigger', label: { en: 'Nudge', ru: 'Напоминание', uk: 'Нагадування' },
          settingsSchema: { type: 'object', properties: { note: { type: 'string' } }, additionalProperties: false }, ports: [{ id: 'next', label: { en: 'Next' } }] }];`,
        'server.ts': `export default {
          nodes: { 'nudger.nudge': async () => ({ next: 'next' }) },
          routes: (app, ctx) => {
            app.post('/nudger/fire', { config: { roles: ['owner'] }, schema: { body: { type: 'object', required: ['contactId', 'key'], properties: { contactId: { type: 'string', format: 'uuid' }, key: { type: 'string' } } } } }, async (request) => {
              return ctx.transaction(async (trx) => {
                const triggers = await ctx.flows.triggers(trx, request.tenantId, 'nudger.nudge');
                for (const t of triggers) await ctx.flows.start(trx, { tenantId: request.tenantId, contactId: request.body.contactId, flowKey: t.flowKey, nodeId: t.nodeId, vars: { note: t.settings.note }, idempotencyKey: request.body.key });
                return { started: triggers.length };
              });
            });
          },
        };`,
      },
    },
  },
});

let standin: BotApiStandIn;
let t: TestApp;
let tokenSeq = 0;
const db = () => t.app.db.db;

const config = () => ({ telegramApiRoot: standin.url, secretKey });
async function boot(databaseUrl?: string, at = START): Promise<void> {
  t = await startTestApp({ pluginsDir: plugins.dir, config: config(), databaseUrl });
  t.clock.set(at);
}

interface Shop { s: Salon; botId: string; token: string }

/** A salon (fresh business in Berlin) with its own bot and the given published flows. */
async function shop(flows: Record<string, ReturnType<typeof graph>>): Promise<Shop & { flowIds: Record<string, string> }> {
  const s = await makeSalon(t, { timezone: 'Europe/Berlin', staffCount: 1, config: { horizonDays: 365 } });
  const token = `81${String(++tokenSeq).padStart(4, '0')}:trigger-token-${'x'.repeat(20)}`;
  const bot = await s.api('POST', '/api/v1/bots', { name: 'Bot', token });
  expect(bot.status, JSON.stringify(bot.body)).toBe(201);
  const flowIds: Record<string, string> = {};
  for (const [key, g] of Object.entries(flows)) {
    const created = await s.api('POST', '/api/v1/flows', { key, name: key, graph: g });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const published = await s.api('POST', `/api/v1/flows/${created.body.id}/publish`);
    expect(published.status, JSON.stringify(published.body)).toBe(200);
    flowIds[key] = created.body.id;
  }
  return { s, botId: bot.body.id, token, flowIds };
}

/**
 * A booking for a new client whose Telegram chat with the shop's bot is known. Booking's client id is the
 * contact's id (contacts, issue 9 §1): the contact and its chat identity are written as core's contacts hold them.
 */
async function bookClient(shopped: Shop, chatId: number, start: string): Promise<{ bookingId: string; contactId: string }> {
  const booked = await shopped.s.api('POST', '/api/v1/bookings', { serviceId: shopped.s.serviceId, start, client: { name: `Client ${chatId}`, phone: `+4915${String(chatId).padStart(9, '0')}` } });
  expect(booked.status, JSON.stringify(booked.body)).toBe(201);
  const contactId = booked.body.client.id as string;
  await db().insertInto('contacts').values({ tenant_id: shopped.s.tenantId, id: contactId, name: `Client ${chatId}`, locale: 'en' }).onConflict((oc) => oc.doNothing()).execute();
  await db().insertInto('contact_identities').values({ tenant_id: shopped.s.tenantId, contact_id: contactId, kind: 'telegram', value: String(chatId), bot_id: shopped.botId, verified: true }).onConflict((oc) => oc.doNothing()).execute();
  return { bookingId: booked.body.id, contactId };
}

async function complete(shopped: Shop, bookingId: string): Promise<string> {
  for (const status of ['arrived', 'completed']) {
    const res = await shopped.s.api('PATCH', `/api/v1/bookings/${bookingId}`, { status });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
  }
  return eventId(shopped.s.tenantId, 'booking.completed', bookingId);
}

async function eventId(tenantId: string, type: string, bookingId: string): Promise<string> {
  const row = await db().selectFrom('outbox').select('id').where('tenant_id', '=', tenantId).where('type', '=', type)
    .where(sql`payload->>'bookingId'`, '=', bookingId).executeTakeFirstOrThrow();
  return String(row.id);
}

/** Waits until the event's trigger handler has run, and returns its state. */
const triggersDelivered = (event: string, type = 'booking.completed') => until(`flow triggers of event ${event}`, async () => {
  const d = await db().selectFrom('event_deliveries').select('status').where('event_id', '=', event).where('handler', '=', `flow-triggers:${type}`).executeTakeFirst();
  return d && d.status !== 'pending' ? d.status : undefined;
});

const startJobs = (tenantId: string) => db().selectFrom('plugin_jobs').select(['key', 'run_at', 'status', 'data']).where('tenant_id', '=', tenantId).where('plugin_id', '=', 'core').orderBy('created_at').execute();

const followUp = (settings: Record<string, unknown>) => graph([
  ['done', 'trigger.event', { event: 'booking.completed', contactField: 'clientId', ...settings }],
  ['ask', 'choice', { text: en('How did it go?'), buttons: [{ id: 'good', label: en('Great') }, { id: 'bad', label: en('Not great') }] }],
  ['thanks', 'message', { text: en('Thank you!') }],
  ['fin', 'end', {}],
], ['done.next>ask', 'ask.good>thanks', 'ask.bad>thanks', 'thanks.next>fin']);

beforeAll(async () => {
  standin = await BotApiStandIn.start();
  await boot();
});
afterAll(async () => {
  await t?.close();
  await standin?.close();
  plugins.remove();
});

describe('flows started by events', () => {
  it('2 hours after booking.completed the client’s Telegram chat gets the message with buttons, and the dialog goes on', async () => {
    const shopped = await shop({ 'follow-up': followUp({ offset: { amount: 2, unit: 'hours', direction: 'after' } }) });
    const flowId = shopped.flowIds['follow-up'];
    expect(await db().selectFrom('flow_triggers').select(['node_id', 'event_type', 'flow_version']).where('flow_id', '=', flowId).execute())
      .toEqual([{ node_id: 'done', event_type: 'booking.completed', flow_version: 1 }]);
    const { bookingId, contactId } = await bookClient(shopped, 5101, '2030-03-20T10:00:00.000Z');
    const completedAt = t.clock.nowMs();
    const event = await complete(shopped, bookingId);
    expect(await triggersDelivered(event)).toBe('done');
    const [job] = await startJobs(shopped.s.tenantId);
    expect(job).toMatchObject({ key: `trigger:${flowId}:done:${event}`, status: 'scheduled', data: { contactId, flowId, nodeId: 'done', trigger: true } });
    expect(job.run_at.getTime() - completedAt).toBeGreaterThanOrEqual(2 * HOUR - 5_000);
    expect(job.run_at.getTime() - completedAt).toBeLessThanOrEqual(2 * HOUR + 60_000);
    // grumpy's handler of the same event failed, and fails on: it held up nothing.
    const grumpy = await until('grumpy failed', () => db().selectFrom('event_deliveries').select(['status', 'last_error']).where('event_id', '=', event).where('handler', '=', 'grumpy:booking.completed').where('last_error', 'is not', null).executeTakeFirst());
    expect(grumpy).toMatchObject({ status: 'pending', last_error: expect.stringContaining('grumpy refuses') });
    expect(standin.sent(5101)).toEqual([]);

    t.clock.advance(2 * HOUR + 60_000);
    const [ask] = await standin.waitForSent(5101, 1);
    expect(ask.text).toBe('How did it go?');
    expect(inlineButtons(ask).map((b) => b.text)).toEqual(['Great', 'Not great']);
    const session = await db().selectFrom('flow_sessions').select(['flow_id', 'flow_version', 'status', 'node_id']).where('conversation_key', '=', `tg:${shopped.botId}:5101`).executeTakeFirstOrThrow();
    expect(session).toEqual({ flow_id: flowId, flow_version: 1, status: 'active', node_id: 'ask' });
    // The payload is the flow's `event` variable; pressing the button an instant later answers the node that asked.
    await standin.press(shopped.token, 5101, inlineButtons(ask)[0].callback_data);
    expect((await standin.waitForSent(5101, 2))[1].text).toBe('Thank you!');
    await until('start job done', async () => (await startJobs(shopped.s.tenantId))[0].status === 'done');
  });

  it('lists the events a flow can start by, and refuses settings that do not fit the chosen event, naming the field', async () => {
    const shopped = await shop({});
    const listed = await shopped.s.api('GET', '/api/v1/flow-events');
    const completed = listed.body.items.find((e: { type: string }) => e.type === 'booking.completed');
    expect(completed).toMatchObject({ plugin: 'booking', label: { en: 'Visit completed', ru: 'Визит завершён', uk: 'Візит завершено' } });
    expect(completed.fields).toEqual(expect.arrayContaining([
      expect.objectContaining({ path: 'clientId', contact: true, time: false }),
      expect.objectContaining({ path: 'start', format: 'date-time', time: true, contact: false }),
    ]));
    // booking.slot-freed names no client: no flow can start for it.
    expect(listed.body.items.map((e: { type: string }) => e.type)).not.toContain('booking.slot-freed');
    const issues = async (settings: Record<string, unknown>) => {
      const res = await shopped.s.api('POST', '/api/v1/flows/validate', { graph: followUp(settings) });
      return res.body.errors.map((e: { code: string; path: string }) => `${e.code} ${e.path}`);
    };
    expect(await issues({})).toEqual([]);
    expect(await issues({ filter: [{ field: 'nope', op: 'eq', value: 1 }] })).toEqual(['NODE_SETTINGS_INVALID /nodes/0/settings/filter/0/field']);
    expect(await issues({ filter: [{ field: 'price', op: 'gt', value: 'lots' }] })).toEqual(['NODE_SETTINGS_INVALID /nodes/0/settings/filter/0/value']);
    expect(await issues({ contactField: 'serviceId' })).toEqual(['NODE_SETTINGS_INVALID /nodes/0/settings/contactField']);
    expect(await issues({ offset: { amount: 1, unit: 'days', direction: 'before' } })).toEqual(['NODE_SETTINGS_INVALID /nodes/0/settings/offset/field']);
    expect(await issues({ offset: { amount: 1, unit: 'days', direction: 'after', field: 'price' } })).toEqual(['NODE_SETTINGS_INVALID /nodes/0/settings/offset/field']);
    expect(await issues({ event: 'booking.nope' })).toContain('NODE_SETTINGS_INVALID /nodes/0/settings/event');
  });

  it('a filter that does not hold starts nothing; a contact whose only chat blocked the bot gets its message skipped, not retried', async () => {
    const shopped = await shop({
      pricey: followUp({ filter: [{ field: 'price', op: 'gt', value: 100000 }] }),
      cheap: followUp({ filter: [{ field: 'price', op: 'lte', value: 100000 }, { field: 'start', op: 'gte', value: '2030-01-01T00:00:00Z' }] }),
    });
    const { bookingId, contactId } = await bookClient(shopped, 5201, '2030-03-20T11:00:00.000Z');
    await db().updateTable('contact_identities').set({ unreachable_at: t.clock.now(), unreachable_reason: 'Forbidden: bot was blocked by the user' })
      .where('tenant_id', '=', shopped.s.tenantId).where('contact_id', '=', contactId).execute();
    const event = await complete(shopped, bookingId);
    expect(await triggersDelivered(event)).toBe('done');
    const jobs = await startJobs(shopped.s.tenantId);
    expect(jobs.map((j) => j.key)).toEqual([`trigger:${shopped.flowIds.cheap}:done:${event}`]);
    await until('start job done', async () => (await startJobs(shopped.s.tenantId))[0].status === 'done');
    // No chat reaches the contact: the flow runs in the contact's own session and its message goes to the outbox,
    // which finds neither an email nor a phone and skips it (no retries).
    await until('the follow-up skipped', async () => (await db().selectFrom('messages').select(['status', 'reason']).where('tenant_id', '=', shopped.s.tenantId)
      .where('contact_id', '=', contactId).where('direction', '=', 'out').execute()).some((m) => m.status === 'skipped' && m.reason === 'no-reachable-channel'));
    expect(standin.sent(5201)).toEqual([]);
  });

  it('a broken trigger does not hold up its neighbours on the same event', async () => {
    const shopped = await shop({ good: followUp({}), broken: followUp({}) });
    // A row no publish would write (settings from an older format): its trigger fails alone.
    await db().updateTable('flow_triggers').set({ settings: JSON.stringify({ event: 'booking.completed', contactField: 'clientId', filter: 'garbage' }) }).where('flow_id', '=', shopped.flowIds.broken).execute();
    const { bookingId } = await bookClient(shopped, 5301, '2030-03-20T12:00:00.000Z');
    const event = await complete(shopped, bookingId);
    expect(await triggersDelivered(event)).toBe('done');
    expect((await startJobs(shopped.s.tenantId)).map((j) => j.key)).toEqual([`trigger:${shopped.flowIds.good}:done:${event}`]);
    expect((await standin.waitForSent(5301, 1))[0].text).toBe('How did it go?');
  });

  it('unpublishing removes the trigger: a start already scheduled and later events start nothing', async () => {
    const shopped = await shop({ later: followUp({ offset: { amount: 1, unit: 'hours', direction: 'after' } }) });
    const flowId = shopped.flowIds.later;
    const first = await bookClient(shopped, 5401, '2030-03-20T14:00:00.000Z');
    expect(await triggersDelivered(await complete(shopped, first.bookingId))).toBe('done');
    expect(await startJobs(shopped.s.tenantId)).toHaveLength(1);

    expect((await shopped.s.api('POST', `/api/v1/flows/${flowId}/unpublish`)).body).toEqual({ version: null });
    expect(await db().selectFrom('flow_triggers').select('node_id').where('flow_id', '=', flowId).execute()).toEqual([]);
    const second = await bookClient(shopped, 5402, '2030-03-20T15:00:00.000Z');
    expect(await triggersDelivered(await complete(shopped, second.bookingId))).toBe('skipped');
    t.clock.advance(HOUR + 60_000);
    await until('the scheduled start ran', async () => (await startJobs(shopped.s.tenantId))[0].status === 'done');
    expect(await startJobs(shopped.s.tenantId)).toHaveLength(1);
    expect([...standin.sent(5401), ...standin.sent(5402)]).toEqual([]);
  });

  it('a plugin’s trigger node starts through ctx.flows.start: once per key, and not in the middle of a dialog', async () => {
    const shopped = await shop({
      'follow-up': followUp({}),
      nudge: graph([['n', 'nudger.nudge', { note: 'bring your card' }], ['say', 'message', { text: en('Reminder: {{note}}') }], ['fin', 'end', {}]], ['n.next>say', 'say.next>fin'], [{ name: 'note', type: 'string' }]),
    });
    const { bookingId, contactId } = await bookClient(shopped, 5501, '2030-03-20T15:00:00.000Z');
    await complete(shopped, bookingId);
    const [ask] = await standin.waitForSent(5501, 1);
    expect(ask.text).toBe('How did it go?');

    const fire = () => shopped.s.api('POST', '/api/v1/nudger/fire', { contactId, key: 'visit-1' });
    expect((await fire()).body).toEqual({ started: 1 });
    const key = `flow-start:nudger:visit-1`;
    const job = () => db().selectFrom('plugin_jobs').select(['run_at', 'status']).where('tenant_id', '=', shopped.s.tenantId).where('key', '=', key).executeTakeFirstOrThrow();
    // The client is answering "How did it go?": the start waits 10 minutes instead of cutting in.
    const postponed = await until('start postponed', async () => {
      const j = await job();
      return j.status === 'scheduled' && j.run_at.getTime() > t.clock.nowMs() + 5 * 60_000 ? j : undefined;
    });
    expect((await fire()).body).toEqual({ started: 1 });
    expect((await job()).run_at).toEqual(postponed.run_at);

    await standin.press(shopped.token, 5501, inlineButtons(ask)[1].callback_data);
    await standin.waitForSent(5501, 2);
    t.clock.advance(11 * 60_000);
    expect((await standin.waitForSent(5501, 3))[2].text).toBe('Reminder: bring your card');
    await until('start done', async () => (await job()).status === 'done');
    expect((await fire()).body).toEqual({ started: 1 });
    expect(standin.sent(5501)).toHaveLength(3);

    const bad = await t.app.host.get('nudger').ctx.transaction((trx) => t.app.host.get('nudger').ctx.flows.start(trx, { tenantId: shopped.s.tenantId, contactId: 'nope', flowKey: 'nudge' }).catch((e) => e));
    expect(bad).toMatchObject({ code: 'BF_ERR_FLOW_START_INVALID', details: { errors: [{ path: '/contactId' }] } });
  });

  it('a start scheduled before a restart is sent once after it', async () => {
    const shopped = await shop({ late: followUp({ offset: { amount: 3, unit: 'hours', direction: 'after' } }) });
    const { bookingId } = await bookClient(shopped, 5601, '2030-03-20T16:00:00.000Z');
    expect(await triggersDelivered(await complete(shopped, bookingId))).toBe('done');
    const at = t.clock.nowMs();
    const { databaseUrl } = t;
    await t.close();
    await boot(databaseUrl, new Date(at + 3 * HOUR + 60_000).toISOString());
    expect((await standin.waitForSent(5601, 1))[0].text).toBe('How did it go?');
    await until('start done', async () => (await startJobs(shopped.s.tenantId))[0].status === 'done');
    // A few more passes of the job runner send nothing again.
    await new Promise((r) => setTimeout(r, 1000));
    expect(standin.sent(5601)).toHaveLength(1);
  });

  it('“1 day before the booking starts” is the same wall-clock time the day before, across both DST changes', async () => {
    const shopped = await shop({
      eve: graph([
        ['made', 'trigger.event', { event: 'booking.created', contactField: 'clientId', offset: { amount: 1, unit: 'days', direction: 'before', field: 'start' } }],
        ['remind', 'message', { text: en('See you tomorrow at {{event.start}}') }],
        ['fin', 'end', {}],
      ], ['made.next>remind', 'remind.next>fin']),
    });
    const flowId = shopped.flowIds.eve;
    // 10:00 in Berlin on the day summer time starts (CEST, 08:00Z): the day before, 10:00 is CET (09:00Z), 25 h earlier.
    const spring = await bookClient(shopped, 5701, '2030-03-31T08:00:00.000Z');
    // 10:00 on the day it ends (CET, 09:00Z): the day before, 10:00 is CEST (08:00Z), 23 h earlier.
    const autumn = await bookClient(shopped, 5702, '2030-10-27T09:00:00.000Z');
    const springEvent = await eventId(shopped.s.tenantId, 'booking.created', spring.bookingId);
    const autumnEvent = await eventId(shopped.s.tenantId, 'booking.created', autumn.bookingId);
    await triggersDelivered(springEvent, 'booking.created');
    await triggersDelivered(autumnEvent, 'booking.created');
    const runAt = async (event: string) => (await db().selectFrom('plugin_jobs').select('run_at').where('key', '=', `trigger:${flowId}:made:${event}`).executeTakeFirstOrThrow()).run_at.toISOString();
    expect(await runAt(springEvent)).toBe('2030-03-30T09:00:00.000Z');
    expect(await runAt(autumnEvent)).toBe('2030-10-26T08:00:00.000Z');

    // A minute before, the job is not due yet; at the time it is sent.
    t.clock.set('2030-03-30T08:59:00.000Z');
    await new Promise((r) => setTimeout(r, 600));
    expect(standin.sent(5701)).toEqual([]);
    t.clock.set('2030-03-30T09:00:01.000Z');
    expect((await standin.waitForSent(5701, 1))[0].text).toBe('See you tomorrow at 2030-03-31T08:00:00.000Z');
    expect(standin.sent(5702)).toEqual([]);
  });
});
