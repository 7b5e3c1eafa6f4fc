/**
 * What prepayment offers other plugins (types only: `import type` it): the payment state of a booking, the tip
 * offer after a visit, and the `prepayment.requirement` point through which hot windows (or any plugin
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

export interface PrepaymentService {
  /** A booking's money: state, paid, refunded, due. */
  bookingPayments(tenantId: string, bookingId: string, q?: Db | Tx): Promise<BookingPayments>;
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
