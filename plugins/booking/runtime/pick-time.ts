import type { NodeRuntime } from '../../../plugin-sdk.js';
import { clock, grid, message, say, vars } from './common.js';
import { chatSlots } from './slots.js';

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
  if (value?.startsWith('t:')) {
    const slot = slots.find((s) => new Date(s.start).toISOString() === value.slice(2));
    if (slot) {
      return { set: { bookingStart: new Date(slot.start).toISOString(), bookingEnd: new Date(slot.end).toISOString(), bookingResourceIds: slot.resourceIds, bookingPrice: slot.price }, next: 'next' };
    }
  }
  const notes = value?.startsWith('t:') ? [message(ctx.t(locale, 'timeGone'))] : [];
  const buttons = [...grid(slots.map((s) => ({ label: clk.time(s.start), value: `t:${new Date(s.start).toISOString()}` })), 4), [{ label: ctx.t(locale, 'otherDay'), value: 'back' }]];
  return { messages: [...notes, message(say(ctx, input, 'pickTime', { day: dayLabel }, settings.text), buttons)], wait: true };
};
