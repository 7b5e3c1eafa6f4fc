import type { PluginServer } from '../../plugin-sdk.js';
import type { PrepaymentRequirement } from '../prepayment/contract.js';
import { HOT_EMOJI } from './lib/config.js';
import { discounted, windowOf } from './lib/windows.js';
import { liveWindows } from './lib/live-windows.js';
import { price } from './lib/slots.js';
import { hotSlotVeto } from './lib/payments.js';
import { routes } from './routes.js';
import { seedDemo } from './demo.js';

/** What a requirement asks of a booking of this price, to compare it with the hot window's fixed amount. */
const asked = (r: PrepaymentRequirement, total: number): number =>
  r.kind === 'fixed' ? r.amount.amount : r.kind === 'percent' ? Math.round((total * r.percent) / 100) : r.kind === 'full' ? total : 0;

const plugin: PluginServer = {
  routes,

  seedDemo,

  onReady(ctx) {
    // Made now, so this instance hears other instances' changes of windows before it keeps any.
    liveWindows(ctx).listen();
  },

  extensions: {
    // A booking at a hot time costs the discounted price, however it was reached (the announcement, the calendar, the desk).
    'booking.price': async (input, value, ctx, call) => {
      const { timezone } = await ctx.business(call.tenantId);
      const w = windowOf(await liveWindows(ctx).of(call.tenantId, timezone), timezone, ctx.now(), input);
      return w ? discounted(value, w.discountPercent) : value;
    },
    // A client books hot time only when its prepayment can be taken (lib/payments.ts).
    'booking.beforeCreate': (input, ctx, call) => hotSlotVeto(input, ctx, call.tenantId),
    'booking.slotMarks': async (input, ctx, call) => {
      const { timezone } = await ctx.business(call.tenantId);
      const windows = await liveWindows(ctx).of(call.tenantId, timezone);
      if (!windows.length) return [];
      const now = ctx.now();
      return input.slots.flatMap((s) => {
        const w = windowOf(windows, timezone, now, { serviceId: input.serviceId, start: s.start, resourceIds: s.resourceIds });
        if (!w) return [];
        return [{ start: s.start, resourceIds: s.resourceIds, emoji: HOT_EMOJI, price: discounted(s.price, w.discountPercent), legend: ctx.t(input.locale, 'legend', { discount: w.discountPercent, prepayment: price(w.prepayment, input.locale) }) }];
      });
    },
    // A hot slot needs its fixed prepayment, unless the business's own rule already asks for more.
    'prepayment.requirement': async (input, value, ctx, call) => {
      const { timezone } = await ctx.business(call.tenantId);
      const w = windowOf(await liveWindows(ctx).of(call.tenantId, timezone), timezone, ctx.now(), input);
      if (!w || w.prepayment.currency !== input.price.currency) return value;
      return asked(value, input.price.amount) >= w.prepayment.amount ? value : { kind: 'fixed', amount: w.prepayment };
    },
  },
};

export default plugin;
