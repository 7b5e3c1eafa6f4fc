/**
 * What prepayment offers other plugins (types only: `import type` it): whether the business can take a
 * prepayment, the payment state of a booking, the tip offer after a visit, and the `prepayment.requirement` point through which hot windows (or any plugin
 * depending on prepayment) demand a prepayment for a booking.
 */
import type { Db, Money, PipelinePoint, Tx } from '../../plugin-sdk.js';

export type PaymentState = 'none' | 'pending' | 'paid' | 'partially_refunded' | 'refunded';

export interface BookingPayments {
  state: PaymentState;
  /** what the booking costs after discounts, what was paid in money, refunded, and is left to pay at the visit (minor units) */
  price: Money;
  paid: Money;
  refunded: Money;
  due: Money;
}

/**
 * A booking's price as the client and the desk see it (minor units): the list price, each discount with the plugin
 * that gave it (`hot-windows`, `referrals`…; negative: a surcharge), the price, loyalty's tenders, the money paid
 * ahead and refunded, and what is left to pay at the visit.
 */
export interface PriceBreakdown {
  listPrice: Money;
  discounts: Array<{ source: string; amount: Money }>;
  price: Money;
  tenders: Array<{ kind: 'points' | 'certificate' | 'deposit'; amount: Money; certificateNumber?: string }>;
  prepaid: Money;
  refunded: Money;
  due: Money;
}

/** What a booking must have paid before it is confirmed. */
export type PrepaymentRequirement =
  | { kind: 'none' }
  | { kind: 'fixed'; amount: Money }
  | { kind: 'percent'; percent: number }
  | { kind: 'full' };

export interface RequirementInput {
  tenantId: string;
  serviceId: string;
  start: string;
  resourceIds: string[];
  /** the booking's price after the booking.price pipeline */
  price: Money;
  clientId?: string;
}

/** The payment providers behind PaymentProvider (plugins/prepayment/providers). */
export type ProviderId = 'telegram' | 'yookassa' | 'stripe';

/** How the client confirms a payment: an invoice in the chat, a page to go to, a token for an embedded widget. */
export type PaymentConfirmation = { kind: 'invoice' } | { kind: 'redirect'; url: string } | { kind: 'embedded'; token: string };

/** A 54-FZ receipt line (YooKassa), from the service catalog. */
export interface ReceiptItem {
  description: string;
  amount: Money;
  vatCode: number;
}

export interface CreatePaymentInput {
  /** our payment's id: the order the provider pays, and its idempotency key */
  orderId: string;
  amount: Money;
  description: string;
  returnUrl?: string;
  receipt?: ReceiptItem[];
}

/** A payment as the provider reports it. */
export interface ProviderPayment {
  providerPaymentId: string;
  status: 'pending' | 'waiting_for_capture' | 'succeeded' | 'canceled';
  amount: Money;
  /** our order id, when the provider keeps it (metadata) */
  orderId?: string;
  confirmation?: PaymentConfirmation;
}

export interface ProviderRefund {
  providerRefundId: string;
  providerPaymentId: string;
  status: 'pending' | 'succeeded' | 'canceled';
  amount: Money;
}

/** A notification as it arrived: the raw body (signatures are over it), headers, the sender's address. */
export interface ProviderNotification {
  rawBody: string;
  headers: Record<string, string | string[] | undefined>;
  ip: string;
}

/**
 * One payment gateway: create a payment for an amount and an order, confirm it the provider's way, read what a
 * notification says (verified: a signature, or the object read back from the API), refund all or part, fetch the
 * status. Telegram's invoices are created by the chat (core's channel); their refunds go through the provider
 * behind the bot's token.
 */
export interface PaymentProvider {
  readonly id: ProviderId;
  create(input: CreatePaymentInput): Promise<ProviderPayment>;
  /** a two-step payment that waits for capture */
  capture(providerPaymentId: string, amount: Money): Promise<ProviderPayment>;
  status(providerPaymentId: string): Promise<ProviderPayment>;
  /** `key`: our refund's id, the provider's idempotency key */
  refund(input: { providerPaymentId: string; amount: Money; key: string }): Promise<ProviderRefund>;
  refundStatus(providerRefundId: string): Promise<ProviderRefund>;
  /** What a notification says, once it is proven to come from the provider; null when it does not prove so. */
  verify(notification: ProviderNotification, now: Date): Promise<{ payment?: ProviderPayment; refund?: ProviderRefund } | null>;
}

/**
 * Whether a client's booking that needs a prepayment would be asked for it: `ready`; `disabled` — the plugin is
 * off for the business; `no-provider` — neither a Telegram provider token nor a card gateway with its keys.
 */
export type PaymentReadiness = 'ready' | 'disabled' | 'no-provider';

export interface PrepaymentService {
  /** See PaymentReadiness. Desk bookings are never held for a prepayment: the desk collects at the visit. */
  readiness(tenantId: string, q?: Db | Tx): Promise<PaymentReadiness>;
  /** A booking's money: state, paid, refunded, due. */
  bookingPayments(tenantId: string, bookingId: string, q?: Db | Tx): Promise<BookingPayments>;
  /** The booking's price breakdown (see PriceBreakdown); BF_ERR_PREPAYMENT_BOOKING_NOT_FOUND for one the business does not have. */
  breakdown(tenantId: string, bookingId: string, q?: Db | Tx): Promise<PriceBreakdown>;
  /** Sends the client the tip offer for a completed visit (preset percents, an amount), once per booking. */
  offerTip(trx: Tx, tenantId: string, bookingId: string): Promise<{ offered: boolean }>;
}

declare module '../../plugin-sdk.js' {
  interface PluginServices {
    'prepayment': PrepaymentService;
  }
  interface ExtensionPoints {
    /** The prepayment a new booking needs; the strictest of the business's rule and every contributor's wins. */
    'prepayment.requirement': PipelinePoint<RequirementInput, PrepaymentRequirement>;
  }
}
