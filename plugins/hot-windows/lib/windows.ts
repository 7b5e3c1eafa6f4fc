import { DateTime } from 'luxon';
import type { Money } from '../../../plugin-sdk.js';

export interface HotWindow {
  id: string;
  resourceIds: string[];
  serviceIds: string[];
  /** yyyy-mm-dd, the business's calendar days */
  dateFrom: string;
  dateTo: string;
  /** minutes from local midnight: a slot starting in [fromMin, toMin) is hot */
  fromMin: number;
  toMin: number;
  discountPercent: number;
  prepayment: Money;
  campaignId: string | null;
  createdAt: Date;
  cancelledAt: Date | null;
}

const day = (v: unknown) => (v instanceof Date ? DateTime.fromJSDate(v, { zone: 'UTC' }).toISODate()! : String(v).slice(0, 10));

export function toWindow(r: Record<string, any>): HotWindow {
  return {
    id: r.id, resourceIds: r.resource_ids, serviceIds: r.service_ids, dateFrom: day(r.date_from), dateTo: day(r.date_to), fromMin: r.from_min, toMin: r.to_min,
    discountPercent: r.discount_percent, prepayment: { amount: Number(r.prepayment_amount), currency: r.currency }, campaignId: r.campaign_id, createdAt: r.created_at, cancelledAt: r.cancelled_at,
  };
}

/**
 * The window a slot is hot in (the largest discount when several cover it): its service, one of its resources, a
 * start on one of its days within its hours. A slot that has begun is no longer hot: a window expires at its start.
 */
export function windowOf(windows: HotWindow[], timezone: string, now: Date, slot: { serviceId: string; start: string | Date; resourceIds: string[] }): HotWindow | undefined {
  if (!windows.length) return undefined;
  const start = typeof slot.start === 'string' ? DateTime.fromISO(slot.start, { zone: timezone }) : DateTime.fromJSDate(slot.start, { zone: timezone });
  if (start.toMillis() <= now.getTime()) return undefined;
  const date = start.toISODate()!;
  const minute = start.hour * 60 + start.minute;
  return windows
    .filter((w) => w.serviceIds.includes(slot.serviceId) && slot.resourceIds.some((r) => w.resourceIds.includes(r)) && date >= w.dateFrom && date <= w.dateTo && minute >= w.fromMin && minute < w.toMin)
    .sort((a, b) => b.discountPercent - a.discountPercent)[0];
}

export const discounted = (price: Money, percent: number): Money => ({ amount: Math.round((price.amount * (100 - percent)) / 100), currency: price.currency });
