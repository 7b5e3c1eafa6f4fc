import { DateTime } from 'luxon';
import type { PluginContext } from '../../../plugin-sdk.js';
import type { CatalogService } from '../../booking/contract.js';
import { announce } from './announce.js';
import { assertPayable } from './payments.js';
import type { HotWindowsConfig } from './config.js';
import { calendar, toMinor } from './slots.js';
import { toWindow, type HotWindow } from './windows.js';
import { liveWindows } from './live-windows.js';

export interface NewWindow {
  resourceIds: string[];
  serviceIds: string[];
  dateFrom: string;
  dateTo: string;
  /** HH:mm in the business's zone */
  from: string;
  to: string;
  discountPercent?: number;
  /** major units of the business's currency */
  prepaymentAmount?: number;
  segmentIds?: string[];
}

const MAX_DAYS = 31;
const minutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** Marks the free time as hot and, when segments are given, announces it to them in the same transaction. */
export async function createWindow(ctx: PluginContext, tenantId: string, input: NewWindow, actorId: string): Promise<HotWindow> {
  const business = await ctx.business(tenantId);
  const cfg = await ctx.config<HotWindowsConfig>(tenantId);
  const today = DateTime.fromJSDate(ctx.now(), { zone: business.timezone }).toISODate()!;
  const from = DateTime.fromISO(input.dateFrom, { zone: business.timezone });
  const to = DateTime.fromISO(input.dateTo, { zone: business.timezone });
  if (input.dateFrom < today) throw ctx.error('BF_ERR_HOT_WINDOW_RANGE_INVALID', { field: 'dateFrom' });
  if (input.dateTo < input.dateFrom || to.diff(from, 'days').days > MAX_DAYS) throw ctx.error('BF_ERR_HOT_WINDOW_RANGE_INVALID', { field: 'dateTo' });
  const fromMin = minutes(input.from);
  const toMin = input.to === '24:00' ? 1440 : minutes(input.to);
  if (toMin <= fromMin) throw ctx.error('BF_ERR_HOT_WINDOW_RANGE_INVALID', { field: 'to' });
  const booking = ctx.service('booking');
  const services: CatalogService[] = [];
  for (const id of input.serviceIds) {
    const [s] = await booking.services(tenantId, [id]);
    if (!s) throw ctx.error('BF_ERR_BOOKING_SERVICE_NOT_FOUND', { id });
    services.push(s);
  }
  const discountPercent = input.discountPercent ?? cfg.discountPercent;
  const prepayment = toMinor(input.prepaymentAmount ?? cfg.prepaymentAmount, business.currency);
  await assertPayable(ctx, tenantId, prepayment);
  // The announcement lists the window's free times as they are now (network-free reads, before the transaction).
  const row = await ctx.transaction(async (trx) => {
    const created = await trx.insertInto('hot_windows_windows').values({
      tenant_id: tenantId, resource_ids: input.resourceIds, service_ids: input.serviceIds, date_from: input.dateFrom, date_to: input.dateTo, from_min: fromMin, to_min: toMin,
      discount_percent: discountPercent, prepayment_amount: prepayment.amount, currency: business.currency,
      created_by: actorId, created_at: ctx.now(),
    }).returningAll().executeTakeFirstOrThrow();
    let campaignId: string | null = null;
    if (input.segmentIds?.length) {
      const window = toWindow(created);
      const first = services[0];
      const range = { from: from.startOf('day').toJSDate(), to: to.plus({ days: 1 }).startOf('day').toJSDate() };
      const slots = (await calendar(ctx, tenantId, first.id, range.from, range.to, [window])).filter((s) => s.kind === 'hot');
      campaignId = await announce(ctx, trx, tenantId, { windowId: created.id, segmentIds: input.segmentIds, serviceId: first.id, serviceName: first.name, slots, discountPercent });
      await trx.updateTable('hot_windows_windows').set({ campaign_id: campaignId }).where('tenant_id', '=', tenantId).where('id', '=', created.id).execute();
    }
    await ctx.audit(trx, { tenantId, actorId, entity: 'hot_window', entityId: created.id, action: 'create', after: { ...input, discountPercent } });
    await ctx.events.emit(trx, tenantId, 'hot-windows.created', { windowId: created.id, serviceIds: input.serviceIds, resourceIds: input.resourceIds, campaignId });
    await liveWindows(ctx).changed(trx, tenantId);
    return { ...created, campaign_id: campaignId };
  });
  liveWindows(ctx).forget(tenantId);
  return toWindow(row);
}
