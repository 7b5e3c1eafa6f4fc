import { sql } from 'kysely';
import type { Db, MessageButton, MessageContent, PluginContext, Text, Tx } from '../../../plugin-sdk.js';
import type { CampaignInput } from '../contract.js';
import { audience } from './audience.js';

export type CampaignStatus = 'draft' | 'scheduled' | 'running' | 'paused' | 'cancelled' | 'finished';
export type Action = 'start' | 'pause' | 'resume' | 'cancel';

export interface StoredMessage {
  text: Text;
  photoUrl?: string;
  buttons?: MessageButton[];
}

export interface CampaignRow {
  tenant_id: string;
  id: string;
  name: string;
  segment_ids: string[];
  message: StoredMessage;
  purpose: 'marketing' | 'transactional';
  send_at: Date | null;
  status: CampaignStatus;
  started_at: Date | null;
  finished_at: Date | null;
  created_at: Date;
  excluded: { optedOut?: number; unreachable?: number };
  origin_plugin: string | null;
  origin_id: string | null;
}

export const OPEN_ACTION = 'broadcasts.open';

/** Writes a campaign; one per origin (a hot window asking twice gets its first campaign back). */
export async function createCampaign(ctx: PluginContext, trx: Tx, tenantId: string, c: Omit<CampaignInput, 'origin'> & { origin?: CampaignInput['origin'] }, status: 'draft' | 'scheduled', actorId: string | null): Promise<string> {
  for (const segment of c.segmentIds) await ctx.segments.count(trx, tenantId, segment);
  const message: StoredMessage = { text: c.message.text, ...(c.message.photoUrl ? { photoUrl: c.message.photoUrl } : {}), ...(c.message.buttons?.length ? { buttons: c.message.buttons } : {}) };
  const row = await trx.insertInto('broadcasts_campaigns').values({
    tenant_id: tenantId, name: c.name, segment_ids: c.segmentIds, message: JSON.stringify(message), purpose: c.purpose ?? 'marketing',
    send_at: c.sendAt ?? (status === 'scheduled' ? ctx.now() : null), status, origin_plugin: c.origin?.plugin ?? null, origin_id: c.origin?.id ?? null, created_by: actorId, created_at: ctx.now(),
  }).onConflict((oc) => oc.columns(['tenant_id', 'origin_plugin', 'origin_id']).where('origin_plugin', 'is not', null).doNothing()).returning('id').executeTakeFirst();
  if (row) {
    await ctx.audit(trx, { tenantId, actorId, entity: 'broadcast', entityId: row.id, action: 'create', after: { name: c.name, segmentIds: c.segmentIds, status } });
    return row.id;
  }
  const first = await trx.selectFrom('broadcasts_campaigns').select('id').where('tenant_id', '=', tenantId).where('origin_plugin', '=', c.origin!.plugin).where('origin_id', '=', c.origin!.id).executeTakeFirstOrThrow();
  return first.id;
}

export async function lockCampaign(ctx: PluginContext, trx: Tx, tenantId: string, id: string): Promise<CampaignRow> {
  const row = await trx.selectFrom('broadcasts_campaigns').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).forUpdate().executeTakeFirst();
  if (!row) throw ctx.error('BF_ERR_BROADCAST_NOT_FOUND', { id });
  return row as CampaignRow;
}

/** Fixes the audience: from now on the campaign sends to exactly these contacts, whatever happens. */
export async function materialize(ctx: PluginContext, trx: Tx, c: CampaignRow): Promise<void> {
  const { contactIds, excluded } = await audience(ctx, trx, c.tenant_id, c.segment_ids, c.purpose);
  for (let i = 0; i < contactIds.length; i += 1000) {
    await trx.insertInto('broadcasts_recipients').values(contactIds.slice(i, i + 1000).map((contactId, j) => ({ tenant_id: c.tenant_id, campaign_id: c.id, seq: i + j, contact_id: contactId }))).execute();
  }
  await trx.updateTable('broadcasts_campaigns').set({ status: 'running', started_at: ctx.now(), excluded: JSON.stringify(excluded) }).where('tenant_id', '=', c.tenant_id).where('id', '=', c.id).execute();
}

const NEXT: Record<Action, Partial<Record<CampaignStatus, (c: CampaignRow) => CampaignStatus>>> = {
  start: { draft: (c) => (c.send_at ? 'scheduled' : 'running') },
  pause: { scheduled: () => 'paused', running: () => 'paused' },
  resume: { paused: (c) => (c.started_at ? 'running' : 'scheduled') },
  cancel: { draft: () => 'cancelled', scheduled: () => 'cancelled', running: () => 'cancelled', paused: () => 'cancelled' },
};

/** Moves a campaign along draft → scheduled → running ⇄ paused → finished, or to cancelled. */
export async function transition(ctx: PluginContext, tenantId: string, id: string, action: Action, actorId: string): Promise<void> {
  await ctx.transaction(async (trx) => {
    const c = await lockCampaign(ctx, trx, tenantId, id);
    const next = NEXT[action][c.status]?.(c);
    if (!next) throw ctx.error('BF_ERR_BROADCAST_BAD_TRANSITION', { id, status: c.status, action });
    if (next === 'running' && !c.started_at) await materialize(ctx, trx, c);
    else await trx.updateTable('broadcasts_campaigns').set({ status: next }).where('tenant_id', '=', tenantId).where('id', '=', id).execute();
    // Those not handed to the outbox yet are not sent; those handed over go (at most a few seconds of sending).
    if (next === 'cancelled') await trx.updateTable('broadcasts_recipients').set({ state: 'cancelled' }).where('tenant_id', '=', tenantId).where('campaign_id', '=', id).where('state', '=', 'pending').execute();
    await ctx.audit(trx, { tenantId, actorId, entity: 'broadcast', entityId: id, action, before: { status: c.status }, after: { status: next } });
  });
}

/** A button as sent: links into a flow go through this plugin's action, which counts the tap and then opens the flow. */
function tracked(campaignId: string, b: MessageButton): MessageButton {
  return 'flow' in b ? { label: b.label, action: OPEN_ACTION, payload: { campaignId, flow: b.flow } } : b;
}

export function content(c: Pick<CampaignRow, 'id' | 'message'>): MessageContent {
  const m = c.message;
  return {
    text: m.text,
    ...(m.photoUrl ? { photo: m.photoUrl } : {}),
    ...(m.buttons?.length ? { buttons: m.buttons.map((b) => [tracked(c.id, b)]) } : {}),
  };
}

export interface Counts {
  /** `queued`: not sent yet (waiting their turn or handed to the outbox); `sending`: handed to the outbox */
  recipients: number; queued: number; sending: number; sent: number; failed: number; blocked: number; unsubscribed: number;
  optedOut: number; cancelled: number; clicked: number; booked: number;
}

export async function counts(q: Db | Tx, tenantId: string, campaignIds: string[]): Promise<Map<string, Counts>> {
  const out = new Map<string, Counts>();
  if (!campaignIds.length) return out;
  const rows = await q.selectFrom('broadcasts_recipients').select([
    'campaign_id',
    sql<number>`count(*)::int`.as('recipients'),
    sql<number>`count(*) FILTER (WHERE state IN ('pending', 'queued'))::int`.as('queued'),
    sql<number>`count(*) FILTER (WHERE state = 'queued')::int`.as('sending'),
    sql<number>`count(*) FILTER (WHERE state = 'sent')::int`.as('sent'),
    sql<number>`count(*) FILTER (WHERE state = 'failed')::int`.as('failed'),
    sql<number>`count(*) FILTER (WHERE state = 'blocked')::int`.as('blocked'),
    sql<number>`count(*) FILTER (WHERE unsubscribed_at IS NOT NULL OR state = 'optedout')::int`.as('unsubscribed'),
    sql<number>`count(*) FILTER (WHERE state = 'optedout')::int`.as('optedOut'),
    sql<number>`count(*) FILTER (WHERE state = 'cancelled')::int`.as('cancelled'),
    sql<number>`count(*) FILTER (WHERE clicked_at IS NOT NULL)::int`.as('clicked'),
    sql<number>`count(*) FILTER (WHERE booking_id IS NOT NULL)::int`.as('booked'),
  ]).where('tenant_id', '=', tenantId).where('campaign_id', 'in', campaignIds).groupBy('campaign_id').execute();
  for (const { campaign_id, ...n } of rows) out.set(campaign_id, n as Counts);
  return out;
}

const EMPTY: Counts = { recipients: 0, queued: 0, sending: 0, sent: 0, failed: 0, blocked: 0, unsubscribed: 0, optedOut: 0, cancelled: 0, clicked: 0, booked: 0 };
const rate = (part: number, whole: number) => (whole > 0 ? Math.round((part / whole) * 1000) / 1000 : 0);

export function view(c: CampaignRow, n: Counts = EMPTY) {
  return {
    id: c.id, name: c.name, status: c.status, segmentIds: c.segment_ids, purpose: c.purpose, message: c.message,
    sendAt: c.send_at, createdAt: c.created_at, startedAt: c.started_at, finishedAt: c.finished_at,
    origin: c.origin_plugin ? { plugin: c.origin_plugin, id: c.origin_id } : null,
    excluded: { optedOut: c.excluded.optedOut ?? 0, unreachable: c.excluded.unreachable ?? 0 },
    counts: n,
    results: { deliveryRate: rate(n.sent, n.recipients), clickRate: rate(n.clicked, n.sent), bookings: n.booked, bookingRate: rate(n.booked, n.sent) },
  };
}
