import type { MessageButton, PluginContext, Tx } from '../../../plugin-sdk.js';
import type { HotWindowsConfig } from './config.js';
import { HOT_EMOJI } from './config.js';
import { everyLanguage, major, price, when, type CalendarSlot } from './slots.js';

/** Buttons of the announcement: the earliest hot slots, each a link into the booking flow at that time. */
const MAX_BUTTONS = 6;

/**
 * The announcement of a new hot window to segments, through broadcasts (consent, quiet hours, unsubscribe, the
 * bot's limits): a button per slot lands the client in the booking flow with the service and time already chosen.
 */
export interface Announcement {
  windowId: string;
  segmentIds: string[];
  serviceId: string;
  serviceName: string;
  slots: CalendarSlot[];
  discountPercent: number;
}

export async function announce(ctx: PluginContext, trx: Tx, tenantId: string, a: Announcement): Promise<string> {
  const { windowId, segmentIds, serviceId, serviceName, slots, discountPercent } = a;
  const broadcasts = await ctx.optionalService('broadcasts', tenantId, trx);
  if (!broadcasts) throw ctx.error('BF_ERR_HOT_WINDOW_NOTIFY_UNAVAILABLE', {});
  const cfg = await ctx.config<HotWindowsConfig>(tenantId, trx);
  const { timezone } = await ctx.business(tenantId, trx);
  const buttons: MessageButton[] = slots.slice(0, MAX_BUTTONS).map((s) => ({
    label: everyLanguage(ctx, 'slotButton', (l) => ({ emoji: HOT_EMOJI, when: when(s.start, timezone, l), price: price(s.pay, l) })),
    flow: {
      flowKey: cfg.bookFlowKey, nodeId: cfg.bookNodeId,
      vars: {
        bookingServiceId: serviceId, bookingServiceName: serviceName, bookingDay: s.start.slice(0, 10),
        bookingStart: s.start, bookingEnd: s.end, bookingResourceIds: s.resourceIds, bookingPrice: major(s.pay),
      },
    },
  }));
  const first = slots[0];
  const text = everyLanguage(ctx, 'announcement', (l) => ({ emoji: HOT_EMOJI, service: serviceName, discount: discountPercent, when: first ? when(first.start, timezone, l) : '' }));
  const { id } = await broadcasts.send(trx, tenantId, { name: ctx.t('ru', 'campaignName', { service: serviceName }), segmentIds, message: { text, buttons }, purpose: 'marketing', origin: { plugin: 'hot-windows', id: windowId } });
  return id;
}

