import type { Locale, PluginContext } from '../../../plugin-sdk.js';
import type { SlotMark } from '../contract.js';
import { fromMoney, toMoney } from '../lib/money.js';
import type { Slot } from '../slots/engine.js';

const slotKey = (start: number | string, resourceIds: string[]) => `${new Date(start).toISOString()}|${[...resourceIds].sort().join(',')}`;

export interface SlotMarks {
  of(slot: Slot): SlotMark | undefined;
  /** what the client pays for the slot: a mark's price, else the slot's */
  price(slot: Slot): number;
  /** one line per kind of mark shown, explaining its emoji */
  legend(shown: Slot[]): string[];
}

/** The marks other plugins put on these slots (`booking.slotMarks`); asked only when someone contributes. */
export async function slotMarks(ctx: PluginContext, tenantId: string, serviceId: string, locale: Locale, currency: string, slots: Slot[]): Promise<SlotMarks> {
  const marks = new Map<string, SlotMark>();
  if (slots.length && (await ctx.extensions.contributors(tenantId, 'booking.slotMarks')).length) {
    const query = { serviceId, locale, slots: slots.map((s) => ({ start: new Date(s.start).toISOString(), end: new Date(s.end).toISOString(), resourceIds: s.resourceIds, price: toMoney(s.price, currency) })) };
    const { results } = await ctx.extensions.collect(tenantId, 'booking.slotMarks', query);
    for (const { value } of results) for (const m of Array.isArray(value) ? value : []) marks.set(slotKey(m.start, m.resourceIds), m);
  }
  const of = (s: Slot) => marks.get(slotKey(s.start, s.resourceIds));
  return {
    of,
    price: (s) => { const m = of(s); return m?.price && m.price.currency === currency ? fromMoney(m.price) : s.price; },
    legend: (shown) => [...new Set(shown.map(of).filter((m): m is SlotMark => Boolean(m)).map((m) => `${m.emoji} — ${m.legend}`))],
  };
}
