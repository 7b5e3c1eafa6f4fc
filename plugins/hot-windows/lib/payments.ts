/**
 * A hot window's discount is paid for by its prepayment: hot time that asks one is neither made nor booked by a
 * client while the business cannot take it (prepayment's readiness), so no discount goes out unpaid.
 */
import type { Money, PluginContext, VetoReason } from '../../../plugin-sdk.js';
import type { BeforeCreateInput } from '../../booking/contract.js';
import type { PaymentReadiness } from '../../prepayment/contract.js';
import { major } from './slots.js';
import { windowOf } from './windows.js';
import { liveWindows } from './live-windows.js';

type Why = Exclude<PaymentReadiness, 'ready'>;
const CREATE_ERRORS: Record<Why, string> = { disabled: 'BF_ERR_HOT_WINDOW_PREPAYMENT_OFF', 'no-provider': 'BF_ERR_HOT_WINDOW_NO_PAYMENT_PROVIDER' };
/** Clients booking themselves pay ahead; the desk is never held for a prepayment (prepayment's contract). */
const PAYS_AHEAD = new Set(['chat', 'widget', 'api']);

async function whyUnpayable(ctx: PluginContext, tenantId: string, prepayment: Money): Promise<Why | null> {
  if (prepayment.amount <= 0) return null;
  const readiness = await ctx.service('prepayment').readiness(tenantId);
  return readiness === 'ready' ? null : readiness;
}

const amountOf = (m: Money) => ({ amount: major(m), currency: m.currency });

/** Creating a hot window: its prepayment must be collectable, or the owner learns what to set up first. */
export async function assertPayable(ctx: PluginContext, tenantId: string, prepayment: Money): Promise<void> {
  const why = await whyUnpayable(ctx, tenantId, prepayment);
  if (why) throw ctx.error(CREATE_ERRORS[why], amountOf(prepayment));
}

/** booking.beforeCreate: a client's booking of hot time whose prepayment cannot be taken now is refused, saying why. */
export async function hotSlotVeto(input: BeforeCreateInput, ctx: PluginContext, tenantId: string): Promise<VetoReason | null> {
  if (!PAYS_AHEAD.has(input.source)) return null;
  const { timezone } = await ctx.business(tenantId);
  const w = windowOf(await liveWindows(ctx).of(tenantId, timezone), timezone, ctx.now(), input);
  const why = w ? await whyUnpayable(ctx, tenantId, w.prepayment) : null;
  return w && why ? { code: 'BF_ERR_HOT_WINDOW_PREPAYMENT_UNAVAILABLE', details: { ...amountOf(w.prepayment), reason: why } } : null;
}
