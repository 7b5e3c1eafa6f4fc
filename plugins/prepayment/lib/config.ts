import type { Db, PluginContext, Tx } from '../../../plugin-sdk.js';
import type { PaymentProvider, PrepaymentRequirement, ProviderId } from '../contract.js';
import { yookassa } from '../providers/yookassa.js';
import { stripe } from '../providers/stripe.js';

export interface Rule {
  kind: PrepaymentRequirement['kind'];
  amount?: number;
  percent?: number;
}
export interface Policy {
  fullRefundHours: number;
  laterPercent: number;
}

/** The plugin's config as plugin.json's schema fills it (secrets decrypted: keep it on the server). */
export interface PrepaymentConfig {
  paymentWindowMinutes: number;
  defaultRule: Rule;
  rules: Array<Rule & { serviceId?: string; departmentId?: string }>;
  cancellation: Partial<Policy>;
  cancellationByService: Array<Partial<Policy> & { serviceId: string }>;
  linkProvider: 'none' | 'yookassa' | 'stripe';
  telegram: { providerToken?: string; refundVia: 'none' | 'yookassa' | 'stripe'; sendReceipt: boolean; vatCode: number };
  yookassa: { shopId?: string; secretKey?: string; returnUrl?: string; checkSourceAddress: boolean };
  stripe: { secretKey?: string; webhookSecret?: string };
  tips: { percents: number[]; amounts: number[] };
}

export const prepaymentConfig = (ctx: PluginContext, tenantId: string, q?: Db | Tx) => ctx.config<PrepaymentConfig>(tenantId, q);

/** The gateways' real addresses, and the variables tests point at stand-ins (test/helpers) with; production takes only the real ones. */
const GATEWAYS = {
  yookassa: { variable: 'YOOKASSA_API_ROOT', real: 'https://api.yookassa.ru' },
  stripe: { variable: 'STRIPE_API_ROOT', real: 'https://api.stripe.com' },
} as const;

const rootOf = (ctx: PluginContext, id: keyof typeof GATEWAYS) => ctx.externalApiRoot(GATEWAYS[id].variable, GATEWAYS[id].real);

/** At start: tells the operator which gateway addresses production refused (core warns once per variable). */
export function checkGatewayRoots(ctx: PluginContext): void {
  for (const id of Object.keys(GATEWAYS) as Array<keyof typeof GATEWAYS>) rootOf(ctx, id);
}

/** The gateway of a provider id with the business's keys; undefined when its keys are not set. */
export function gateway(ctx: PluginContext, cfg: PrepaymentConfig, id: Exclude<ProviderId, 'telegram'>): PaymentProvider | undefined {
  if (id === 'yookassa') return cfg.yookassa.shopId && cfg.yookassa.secretKey ? yookassa({ shopId: cfg.yookassa.shopId, secretKey: cfg.yookassa.secretKey, returnUrl: cfg.yookassa.returnUrl }, rootOf(ctx, 'yookassa')) : undefined;
  return cfg.stripe.secretKey ? stripe({ secretKey: cfg.stripe.secretKey, webhookSecret: cfg.stripe.webhookSecret }, rootOf(ctx, 'stripe')) : undefined;
}

/**
 * Who refunds a payment: its own gateway, or for a Telegram payment the provider behind the bot's token (the
 * Bot API refunds only Stars), whose payment id is the charge's `provider_payment_charge_id`.
 */
export function refunder(ctx: PluginContext, cfg: PrepaymentConfig, provider: ProviderId): PaymentProvider | undefined {
  if (provider !== 'telegram') return gateway(ctx, cfg, provider);
  return cfg.telegram.refundVia === 'none' ? undefined : gateway(ctx, cfg, cfg.telegram.refundVia);
}

/** The demo business's Telegram test provider comes from the environment, only when it is set. */
export async function telegramToken(ctx: PluginContext, tenantId: string, cfg: PrepaymentConfig, q?: Db | Tx): Promise<string | undefined> {
  if (cfg.telegram.providerToken) return cfg.telegram.providerToken;
  const env = process.env.TELEGRAM_PAYMENT_PROVIDER_TOKEN;
  return env && (await ctx.business(tenantId, q)).slug === 'demo' ? env : undefined;
}
