/**
 * What booking offers other plugins (types only: `import type` it). Plugins listing booking in their
 * dependencies get `ctx.service('booking')` and may contribute to these extension points in their
 * server.ts `extensions`; the points' kinds are declared in booking's plugin.json `extensionPoints`.
 */
import type { Locale, Money, PipelinePoint, ProviderPoint, VetoPoint } from '../../plugin-sdk.js';

export type BookingStatus = 'held' | 'pending' | 'confirmed' | 'arrived' | 'completed' | 'cancelled' | 'no_show' | 'expired';
export type BookingSource = 'chat' | 'widget' | 'admin' | 'phone' | 'api';

/** A booking as other plugins see it. */
export interface BookingSummary {
  id: string;
  serviceId: string;
  clientId: string;
  status: BookingStatus;
  start: string;
  end: string;
  resourceIds: string[];
  seats: number;
  price: Money;
  source: string;
}

export interface BookingClientSummary {
  id: string;
  name: string;
  /** E.164 */
  phone: string | null;
}

export interface BookingService {
  /** A booking of the business; another business's id is answered like a missing one. */
  getBooking(tenantId: string, id: string): Promise<BookingSummary | undefined>;
  /** The client's bookings starting in [from, to), any status, earliest first. */
  clientBookings(tenantId: string, clientId: string, range: { from: Date; to: Date }): Promise<BookingSummary[]>;
  /** The client holding this phone (any format booking accepts), if any. */
  findClientByPhone(tenantId: string, phone: string): Promise<BookingClientSummary | undefined>;
}

/** A booking about to be made: the slot is free and the booking is not written yet. */
export interface BookingRequest {
  serviceId: string;
  start: string;
  end: string;
  resourceIds: string[];
  seats: number;
  kind: string;
  source: BookingSource;
  /** a hold (the client is paying) rather than a booking */
  hold: boolean;
  /**
   * Who it is for, as known before the write: `id` when the caller names an existing client; else the phone
   * given (E.164; `phoneVerified` when the chat proved it is the client's own) and the name.
   */
  client: { id?: string; phone?: string; phoneVerified: boolean; name?: string };
}

/** `booking.beforeCreate` also sees the price the booking will have. */
export interface BeforeCreateInput extends BookingRequest {
  price: Money;
}

export interface BusyQuery {
  serviceId: string;
  /** the resources that may serve the service */
  resourceIds: string[];
  from: string;
  to: string;
}

/** Busy time of a resource elsewhere (a synced calendar). */
export interface ExternalBusy {
  resourceId: string;
  start: string | Date;
  end: string | Date;
}

/** A one-time code for a messaging plugin to deliver (`booking.sendVerificationCode`); answer true once sent. */
export interface VerificationMessage {
  tenantId: string;
  channel: 'phone' | 'email';
  /** E.164 phone or lower-case email */
  to: string;
  code: string;
  /** the message in the client's language */
  text: string;
  locale: Locale;
}

declare module '../../plugin-sdk.js' {
  interface PluginServices {
    'booking': BookingService;
  }
  interface ExtensionPoints {
    /** Refuse a booking (loyalty's block, a required prepayment): answer `{code}` of one of your 409/422 errors. */
    'booking.beforeCreate': VetoPoint<BeforeCreateInput>;
    /** The booking's price, from the slot's (times seats): discounts, points as payment. Same currency, amount ≥ 0. */
    'booking.price': PipelinePoint<BookingRequest, Money>;
    /** Busy times from elsewhere (calendar sync); called before the booking transaction, 2 s per provider. */
    'booking.busyTimes': ProviderPoint<BusyQuery, ExternalBusy[]>;
    /** Delivers a one-time verification code (SMS, email, a chat); without a provider that answers true it is logged. */
    'booking.sendVerificationCode': ProviderPoint<VerificationMessage, boolean>;
  }
}
