import { DateTime } from 'luxon';
import type { NodeRuntime } from '../../../plugin-sdk.js';
import { clock, grid, message, say, tenantCurrency, vars } from './common.js';
import { slotMarks } from './marks.js';
import { chatSlots } from './slots.js';

/** A calendar of the coming days, seven to a row; days without free time are marked ✕ and cannot be chosen. */
export const pickDay: NodeRuntime = async (input, ctx) => {
  const { locale, settings } = input;
  const days = Math.min(Number(settings.days ?? 14), 31);
  const clk = await clock(ctx, input.tenantId, locale);
  const slots = await chatSlots(ctx, input, clk, { days });
  if (!slots.length) return { messages: [message(ctx.t(locale, 'noDays', { days }))], next: 'none' };
  const free = new Set(slots.map((s) => clk.date(s.start)));
  const marks = await slotMarks(ctx, input.tenantId, vars(input).bookingServiceId!, locale, await tenantCurrency(ctx, input.tenantId), slots);
  const markOfDay = new Map(slots.flatMap((s) => { const m = marks.of(s); return m ? [[clk.date(s.start), m.emoji] as const] : []; }));

  const value = input.input?.callback;
  if (value?.startsWith('day:') && free.has(value.slice(4))) return { set: { bookingDay: value.slice(4) }, next: 'next' };
  const notes = value?.startsWith('x:') ? [message(ctx.t(locale, 'dayUnavailable', { day: clk.day(`${value.slice(2)}T12:00`) }))] : [];

  const today = DateTime.fromJSDate(ctx.now(), { zone: clk.tz }).startOf('day');
  const buttons = Array.from({ length: days }, (_, i) => {
    const d = today.plus({ days: i });
    const iso = d.toISODate()!;
    const label = d.setLocale(locale === 'en' ? 'en-GB' : locale).toFormat('ccc d');
    if (!free.has(iso)) return { label: `✕ ${d.day}`, value: `x:${iso}` };
    return { label: markOfDay.has(iso) ? `${markOfDay.get(iso)} ${label}` : label, value: `day:${iso}` };
  });
  const text = [say(ctx, input, 'pickDay', {}, settings.text), ...marks.legend(slots)].join('\n');
  return { messages: [...notes, message(text, grid(buttons, 7))], wait: true };
};
