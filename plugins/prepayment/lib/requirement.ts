import type { Money, PluginContext } from '../../../plugin-sdk.js';
import type { PrepaymentRequirement, RequirementInput } from '../contract.js';
import type { PrepaymentConfig, Rule } from './config.js';

/** What a requirement asks of a price, in minor units (never more than the price). */
export function requiredAmount(req: PrepaymentRequirement, price: Money): number {
  switch (req.kind) {
    case 'none': return 0;
    case 'full': return price.amount;
    case 'fixed': return Math.min(price.amount, req.amount.amount);
    case 'percent': return Math.min(price.amount, Math.round((price.amount * req.percent) / 100));
  }
}

const fromRule = (r: Rule, currency: string): PrepaymentRequirement =>
  r.kind === 'fixed' && r.amount ? { kind: 'fixed', amount: { amount: r.amount, currency } }
  : r.kind === 'percent' && r.percent ? { kind: 'percent', percent: r.percent }
  : r.kind === 'full' ? { kind: 'full' } : { kind: 'none' };

/** The business's rule for a service: the service's own, else its department's, else the default. */
export function businessRule(cfg: PrepaymentConfig, service: { id: string; departmentId: string }, currency: string): PrepaymentRequirement {
  const rule = cfg.rules.find((r) => r.serviceId === service.id) ?? cfg.rules.find((r) => !r.serviceId && r.departmentId === service.departmentId) ?? cfg.defaultRule;
  return fromRule(rule, currency);
}

/**
 * The prepayment a booking needs: the business's rule passed through `prepayment.requirement` (hot windows ask
 * for their fixed deposit); whichever asks more of the price wins. Network-bound contributors may answer:
 * call it outside a transaction.
 */
export async function requirementFor(ctx: PluginContext, cfg: PrepaymentConfig, input: RequirementInput, departmentId: string): Promise<{ requirement: PrepaymentRequirement; amount: number }> {
  const rule = businessRule(cfg, { id: input.serviceId, departmentId }, input.price.currency);
  const { value } = await ctx.extensions.pipeline(input.tenantId, 'prepayment.requirement', input, rule, { accept: (v) => ['none', 'fixed', 'percent', 'full'].includes((v as PrepaymentRequirement | undefined)?.kind ?? '') });
  const [ruleAmount, asked] = [requiredAmount(rule, input.price), requiredAmount(value, input.price)];
  return asked > ruleAmount ? { requirement: value, amount: asked } : { requirement: rule, amount: ruleAmount };
}
