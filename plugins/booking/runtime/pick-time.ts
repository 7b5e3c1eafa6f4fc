import type { NodeRuntime } from '../../../plugin-sdk.js';
import { clock, formatPrice, grid, message, say, tenantCurrency, vars } from './common.js';
import { slotMarks } from './marks.js';
import { chatSlots } from './slots.js';
import { toMoney } from '../lib/money.js';

/** Free starts of the chosen day, four to a row; a time taken meanwhile is refused and the list shown again. */
export const pickTime: NodeRuntime = async (input, ctx) => {
  const { locale, settings } = input;
  const day = vars(input).bookingDay;
  if (!day) return { next: 'back' };
  const clk = await clock(ctx, input.tenantId, locale);
  const slots = await chatSlots(ctx, input, clk, { date: day });
  const dayLabel = clk.day(`${day}T12:00`);
  const value = input.input?.callback;
  if (value === 'back') return { next: 'back' };
  if (!slots.length) return { messages: [message(ctx.t(locale, 'dayFull', { day: dayLabel }))], next: 'back' };
  const currency = await tenantCurrency(ctx, input.tenantId);
  const marks = await slotMarks(ctx, input.tenantId, vars(input).bookingServiceId!, locale, currency, slots);
  if (value?.startsWith('t:')) {
    const slot = slots.find((s) => new Date(s.start).toISOString() === value.slice(2));
    if (slot) {
      return { set: { bookingStart: new Date(slot.start).toISOString(), bookingEnd: new Date(slot.end).toISOString(), bookingResourceIds: slot.resourceIds, bookingPrice: marks.price(slot) }, next: 'next' };
    }
  }
  const notes = value?.startsWith('t:') ? [message(ctx.t(locale, 'timeGone'))] : [];
  // Marked slots (hot windows) first, two to a row with their emoji and price: buttons have no colour.
  const button = (s: (typeof slots)[number]) => {
    const mark = marks.of(s);
    const label = mark ? `${mark.emoji} ${clk.time(s.start)} · ${formatPrice(toMoney(marks.price(s), currency), locale)}` : clk.time(s.start);
    return { label, value: `t:${new Date(s.start).toISOString()}` };
  };
  const marked = slots.filter((s) => marks.of(s));
  const buttons = [...grid(marked.map(button), 2), ...grid(slots.filter((s) => !marks.of(s)).map(button), 4), [{ label: ctx.t(locale, 'otherDay'), value: 'back' }]];
  const text = [say(ctx, input, 'pickTime', { day: dayLabel }, settings.text), ...marks.legend(slots)].join('\n');
  return { messages: [...notes, message(text, buttons)], wait: true };
};
