import { sql } from 'kysely';
import type { MessageState, PluginContext, Tx } from '../../../plugin-sdk.js';
import { content, lockCampaign, materialize, type CampaignRow } from './campaigns.js';

/**
 * Messages of a campaign handed to the outbox and not yet sent: about three seconds of the bot's 30 a second.
 * The outbox keeps Telegram's limits; the window only keeps a pause or a cancel quick (what is handed over goes).
 */
export const WINDOW = 90;
const TICK_MS = 500;
/**
 * Handed over in one step: above the bot's 30/s for a tick of 0.5 s, so the window fills while the outbox drains at the
 * limit, yet a campaign paused right after its start has at most this many on their way, not the whole window.
 */
const STEP = 20;

/** What the outbox's final states mean for a recipient. */
function finalState(m: MessageState): string | null {
  if (m.status === 'sent') return 'sent';
  if (m.status === 'failed') return m.reason?.startsWith('unreachable') ? 'blocked' : 'failed';
  if (m.status === 'skipped') return m.reason === 'no-consent' ? 'optedout' : m.reason === 'no-reachable-channel' ? 'blocked' : 'failed';
  return null;
}

/** Reads back where the handed-over messages stand; answers how many are still on their way. */
async function sync(ctx: PluginContext, trx: Tx, c: CampaignRow): Promise<number> {
  const open = await trx.selectFrom('broadcasts_recipients').select(['contact_id', 'message_id'])
    .where('tenant_id', '=', c.tenant_id).where('campaign_id', '=', c.id).where('state', '=', 'queued').execute();
  if (!open.length) return 0;
  const states = await ctx.messages.statuses(trx, c.tenant_id, open.map((r) => r.message_id));
  const done = states.flatMap((m) => { const state = finalState(m); return state ? [{ id: m.id, state, sent_at: m.sentAt }] : []; });
  if (done.length) {
    await sql`UPDATE broadcasts_recipients r SET state = d.state, sent_at = d.sent_at
      FROM jsonb_to_recordset(${JSON.stringify(done)}::jsonb) AS d(id uuid, state text, sent_at timestamptz)
      WHERE r.tenant_id = ${c.tenant_id} AND r.campaign_id = ${c.id} AND r.message_id = d.id`.execute(trx);
  }
  return open.length - done.length;
}

/** Hands the next recipients to the outbox, each message in the same transaction as the mark that it was handed over. */
async function topUp(ctx: PluginContext, trx: Tx, c: CampaignRow, room: number): Promise<number> {
  if (room <= 0) return 0;
  const next = await trx.selectFrom('broadcasts_recipients').select('contact_id').where('tenant_id', '=', c.tenant_id).where('campaign_id', '=', c.id)
    .where('state', '=', 'pending').orderBy('seq').limit(room).execute();
  const message = content(c);
  for (const r of next) {
    // The key makes a message per campaign and contact at most once, whatever a crash or a second instance does.
    const sent = await ctx.messages.send(trx, { tenantId: c.tenant_id, to: { contactId: r.contact_id }, message, purpose: c.purpose, idempotencyKey: `broadcast:${c.id}:${r.contact_id}` });
    await trx.updateTable('broadcasts_recipients').set({ state: 'queued', message_id: sent.id })
      .where('tenant_id', '=', c.tenant_id).where('campaign_id', '=', c.id).where('contact_id', '=', r.contact_id).execute();
  }
  return next.length;
}

/** One step of one campaign, on whichever instance locks it first: start when due, read back, hand over more, finish. */
async function step(ctx: PluginContext, tenantId: string, id: string): Promise<void> {
  await ctx.transaction(async (trx) => {
    const locked = await sql<{ id: string }>`SELECT id FROM broadcasts_campaigns WHERE tenant_id = ${tenantId} AND id = ${id} FOR UPDATE SKIP LOCKED`.execute(trx);
    if (!locked.rows.length) return;
    let c = await lockCampaign(ctx, trx, tenantId, id);
    if (c.status === 'scheduled' && c.send_at && c.send_at <= ctx.now()) {
      await materialize(ctx, trx, c);
      c = await lockCampaign(ctx, trx, tenantId, id);
    }
    let inflight = await sync(ctx, trx, c);
    if (c.status === 'running') {
      inflight += await topUp(ctx, trx, c, Math.min(STEP, WINDOW - inflight));
      if (inflight === 0) await finish(ctx, trx, c);
    }
    await trx.updateTable('broadcasts_campaigns').set({ inflight }).where('tenant_id', '=', tenantId).where('id', '=', id).execute();
  });
}

async function finish(ctx: PluginContext, trx: Tx, c: CampaignRow): Promise<void> {
  const left = await trx.selectFrom('broadcasts_recipients').select('seq').where('tenant_id', '=', c.tenant_id).where('campaign_id', '=', c.id).where('state', '=', 'pending').limit(1).executeTakeFirst();
  if (left) return;
  await trx.updateTable('broadcasts_campaigns').set({ status: 'finished', finished_at: ctx.now() }).where('tenant_id', '=', c.tenant_id).where('id', '=', c.id).execute();
  const n = await trx.selectFrom('broadcasts_recipients').select([sql<number>`count(*)::int`.as('recipients'), sql<number>`count(*) FILTER (WHERE state = 'sent')::int`.as('sent')])
    .where('tenant_id', '=', c.tenant_id).where('campaign_id', '=', c.id).executeTakeFirstOrThrow();
  await ctx.events.emit(trx, c.tenant_id, 'broadcasts.finished', { campaignId: c.id, recipients: n.recipients, sent: n.sent });
}

/** Campaigns with something to do now: due, running, or with messages still on their way after a pause or cancel. */
async function due(ctx: PluginContext): Promise<Array<{ tenant_id: string; id: string }>> {
  return ctx.db.selectFrom('broadcasts_campaigns').select(['tenant_id', 'id'])
    .where((eb) => eb.or([eb('status', '=', 'running'), eb.and([eb('status', '=', 'scheduled'), eb('send_at', '<=', ctx.now())]), eb('inflight', '>', 0)]))
    .orderBy('created_at').execute();
}

/**
 * Every instance runs this loop. All state is in the database and every step is one transaction holding the
 * campaign's row, so a killed instance leaves nothing half done and two instances never hand over the same recipient.
 */
export function startPump(ctx: PluginContext): () => Promise<void> {
  let running: Promise<void> | null = null;
  let stopped = false;
  const tick = async () => {
    for (const c of await due(ctx)) {
      if (stopped) return;
      if (!(await ctx.isEnabled(c.tenant_id))) continue;
      await step(ctx, c.tenant_id, c.id).catch((e) => ctx.log.error({ err: e, campaignId: c.id }, 'a broadcast step failed; the next tick tries again'));
    }
  };
  const timer = setInterval(() => {
    if (running || stopped) return;
    running = tick().catch((e) => ctx.log.error({ err: e }, 'broadcast tick failed')).finally(() => { running = null; });
  }, TICK_MS);
  return async () => {
    stopped = true;
    clearInterval(timer);
    await running;
  };
}
