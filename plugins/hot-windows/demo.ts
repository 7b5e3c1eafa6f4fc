import { DateTime } from 'luxon';
import type { PluginContext, Tx } from '../../plugin-sdk.js';
import type { HotWindowsConfig } from './lib/config.js';
import { liveWindows } from './lib/live-windows.js';
import { toMinor } from './lib/slots.js';

/** Services and specialists by their demo names, days ahead, hours and discount: the massage evening tomorrow, a nail morning after. */
const WINDOWS: Array<{ services: string[]; staff: string[]; inDays: number; from: string; to: string; discountPercent: number }> = [
  { services: ['Массаж спины', 'Общий массаж'], staff: ['Ольга Смирнова', 'Игорь Волков', 'Наталья Кузнецова'], inDays: 1, from: '17:00', to: '19:00', discountPercent: 20 },
  { services: ['Маникюр с покрытием'], staff: ['Юлия Соколова', 'Кристина Попова'], inDays: 2, from: '11:00', to: '14:00', discountPercent: 15 },
];
const hhmm = (s: string) => Number(s.slice(0, 2)) * 60 + Number(s.slice(3, 5));

/**
 * The demo's coming hot windows (no announcement: nothing is sent). Each asks the configured prepayment only when
 * the business can take it (prepayment's readiness on the seed's transaction: the demo's Telegram provider token is
 * set); otherwise it is a plain discount, as a window asking money without a provider cannot be made.
 */
export async function seedDemo(ctx: PluginContext, trx: Tx, tenantId: string): Promise<void> {
  const booking = ctx.service('booking');
  const [services, resources, business, cfg] = await Promise.all([
    booking.services(tenantId, undefined, trx), booking.resources(tenantId, undefined, trx), ctx.business(tenantId, trx), ctx.config<HotWindowsConfig>(tenantId, trx),
  ]);
  const payable = (await ctx.service('prepayment').readiness(tenantId, trx)) === 'ready';
  const prepayment = toMinor(payable ? cfg.prepaymentAmount : 0, business.currency);
  const today = DateTime.fromJSDate(ctx.now(), { zone: business.timezone });
  for (const w of WINDOWS) {
    const serviceIds = services.filter((s) => w.services.includes(s.name)).map((s) => s.id);
    const resourceIds = resources.filter((r) => w.staff.includes(r.name)).map((r) => r.id);
    if (!serviceIds.length || !resourceIds.length) continue;
    const day = today.plus({ days: w.inDays }).toISODate()!;
    await trx.insertInto('hot_windows_windows').values({
      tenant_id: tenantId, resource_ids: resourceIds, service_ids: serviceIds, date_from: day, date_to: day, from_min: hhmm(w.from), to_min: hhmm(w.to),
      discount_percent: w.discountPercent, prepayment_amount: prepayment.amount, currency: business.currency, created_by: null, created_at: ctx.now(),
    }).execute();
  }
  await liveWindows(ctx).changed(trx, tenantId);
}
