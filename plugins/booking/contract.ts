/**
 * What booking offers other plugins (types only: `import type` it). Plugins listing booking in their
 * dependencies get `ctx.service('booking')` and may contribute to these extension points in their
 * server.ts `extensions`; the points' kinds are declared in booking's plugin.json `extensionPoints`.
 */
import type { Contact, ConversationRef, Db, Locale, LocalizedText, Money, PipelinePoint, ProviderPoint, Tx, VetoPoint } from '../../plugin-sdk.js';

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
  serviceName: string;
  /** when the client confirmed they will come (a reminder's button), null until then */
  clientConfirmedAt: string | null;
}

/** A period a resource does not work (a specialist's blocked hour from Telegram, a vacation). */
export interface BlockRequest {
  resourceId: string;
  kind: 'vacation' | 'sick_leave' | 'blocked';
  start: Date;
  end: Date;
  reason?: string;
}

export interface BookingClientSummary {
  id: string;
  name: string;
  /** E.164 */
  phone: string | null;
}

/** Who acts through the service: a member (with that member's rights, checked by the caller), the client, or the system. */
export interface BookingActor {
  kind: 'user' | 'client' | 'system';
  /** the member's user id for `user`, the contact id for `client`, null for `system` */
  id: string | null;
}

/** A free time for a service, as the slot engine finds it. */
export interface BookingSlot {
  start: string;
  end: string;
  resourceIds: string[];
  price: Money;
  seatsLeft?: number;
}

/** A booking made through the service (by a hot window's tap, a notification's alternative). */
export interface ServiceBookingRequest {
  serviceId: string;
  start: Date;
  resourceIds?: string[];
  client: { id: string };
  source: BookingSource;
  comment?: string;
  /** held while the client pays; `holdMinutes` how long */
  hold?: boolean;
  holdMinutes?: number;
  /** the same key again returns the booking made with it */
  idempotencyKey?: string;
  actor: BookingActor;
}

/** A service of the catalog as other plugins see it (a prepayment rule per department, an invoice's title). */
export interface CatalogService {
  id: string;
  name: string;
  departmentId: string;
  kind: string;
  price: Money;
  departmentName: string;
  /** a paid medical service: the client signs a contract before it (CRM lists and marks it) */
  requiresContract: boolean;
}

/** A specialist, room or device; `userId` links a specialist to a member. */
export interface CatalogResource {
  id: string;
  name: string;
  kind: 'staff' | 'room' | 'equipment';
  userId: string | null;
}

export interface BookingService {
  /** Services by id (deleted ones too: they name history), or all current ones without `ids`; `q`: the caller's transaction. */
  services(tenantId: string, ids?: string[], q?: Db | Tx): Promise<CatalogService[]>;
  /** Resources by id (deleted ones too), or all current ones without `ids`; `q`: the caller's transaction. */
  resources(tenantId: string, ids?: string[], q?: Db | Tx): Promise<CatalogResource[]>;
  /** Each resource's working minutes in [from, to): its weekly schedule with vacations, blocks and extra work applied. */
  workingMinutes(tenantId: string, resourceIds: string[], period: { from: Date; to: Date }): Promise<Record<string, number>>;
  /** A booking of the business; another business's id is answered like a missing one. */
  getBooking(tenantId: string, id: string): Promise<BookingSummary | undefined>;
  /** The client's bookings starting in [from, to), any status, earliest first. */
  clientBookings(tenantId: string, clientId: string, range: { from: Date; to: Date }): Promise<BookingSummary[]>;
  /** The client holding this phone (any format booking accepts), if any. */
  findClientByPhone(tenantId: string, phone: string): Promise<BookingClientSummary | undefined>;
  /** Bookings starting in [from, to), of some resources and statuses when given, earliest first; `q`: the caller's transaction. */
  bookings(tenantId: string, filter: { from: Date; to: Date; resourceIds?: string[]; statuses?: BookingStatus[] }, q?: Db | Tx): Promise<BookingSummary[]>;
  /** Free starts of a service in [from, to) (the business's schedule, other bookings, busy times elsewhere), optionally on some resources. */
  slots(tenantId: string, query: { serviceId: string; from: Date; to: Date; resourceIds?: string[]; excludeBookingId?: string }): Promise<BookingSlot[]>;
  /** Makes a booking as the desk or the chat would (vetoes, price pipeline, events); BF_ERR_SLOT_TAKEN when the time went. */
  create(tenantId: string, req: ServiceBookingRequest): Promise<BookingSummary>;
  /** Moves a booking along its status graph (confirmed, arrived, completed, cancelled with a reason, no_show), as `actor`. */
  setStatus(tenantId: string, id: string, status: BookingStatus, actor: BookingActor, reason?: string): Promise<BookingSummary>;
  /** Moves a booking to another start, on other resources when given (else any free qualified ones). */
  reschedule(tenantId: string, id: string, to: { start: Date; resourceIds?: string[] }, actor: BookingActor): Promise<BookingSummary>;
  /** The client says they will come (a reminder's "Confirm"): stamps `clientConfirmedAt`, and a pending booking becomes confirmed. Only the booking's own client. */
  confirmByClient(tenantId: string, id: string, clientId: string): Promise<BookingSummary>;
  /**
   * The booking's own client cancels it (a reminder's "Cancel") under the business's cut-off, as the chat's "My bookings"
   * does: BF_ERR_BOOKING_TOO_LATE (`details.noticeMinutes`) closer than `clientCancelNoticeMinutes` to the start, and
   * nothing changes; BF_ERR_BOOKING_FINISHED once it is no longer pending or confirmed.
   */
  cancelByClient(tenantId: string, id: string, clientId: string, reason: string): Promise<BookingSummary>;
  /** The waiter takes a waitlist offer (a "take it" button): the hold becomes a booking; BF_ERR_BOOKING_OFFER_EXPIRED once it ran out. */
  claimWaitlistOffer(tenantId: string, waitlistId: string, actor: BookingActor): Promise<BookingSummary>;
  /** Blocks a resource's period as the schedules page does (booking.period-blocked lists the bookings in it); `actorId` the member. */
  blockPeriod(tenantId: string, block: BlockRequest, actorId: string | null): Promise<{ exceptionId: string; affectedBookingIds: string[] }>;
  /** Names of services and resources by id (deleted ones too: a history names them), for lists and reports. */
  names(tenantId: string, ids: { serviceIds?: string[]; resourceIds?: string[] }): Promise<{ services: CatalogName[]; resources: Array<CatalogName & { kind: 'staff' | 'room' | 'equipment' }> }>;
}

export interface CatalogName {
  id: string;
  name: string;
}

/** Resources about to be offered to a client (the chat's specialist picker). */
export interface BadgeQuery {
  resourceIds: string[];
  locale: Locale;
}

/** A short note shown next to a resource's name, e.g. "★ 4.8 · 120 reviews". */
export interface ResourceBadge {
  resourceId: string;
  text: string;
}

/** Who the desk is about to book: warnings about the client are asked for before staff book them. */
export interface ClientWarningQuery {
  clientId: string;
}

/** A warning the desk shows while booking a client (loyalty's online-booking block); staff may still book. */
export interface ClientWarning {
  /** one of the contributor's codes, e.g. `loyalty.blocked` */
  code: string;
  text: LocalizedText;
  details?: Record<string, unknown>;
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
   * given (E.164; `phoneVerified` when the chat proved it is the client's own) and the name. `phoneHolder`: the
   * contact that phone belongs to now, or null (read once by booking for every contributor; not necessarily the
   * client the booking will have, when the phone is not verified).
   */
  client: { id?: string; phone?: string; phoneVerified: boolean; name?: string; conversation?: ConversationRef; phoneHolder?: Contact | null };
}

/** `booking.beforeCreate` also sees the price the booking will have. */
export interface BeforeCreateInput extends BookingRequest {
  price: Money;
}

/** Whether a new booking is made as a hold while the client pays (a prepayment due), and for how many minutes. */
export interface HoldDecision {
  hold: boolean;
  minutes?: number;
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

/** Whom a client may be offered among the qualified staff of a service (`booking.staffChoice`). */
export interface StaffChoiceQuery {
  serviceId: string;
  clientId: string;
  staffIds: string[];
}

/** `only`: offer just these (a fixed specialist); `avoid`: leave out when others remain; `prefer`: offer first. */
export interface StaffChoice {
  only?: string[];
  avoid?: string[];
  prefer?: string[];
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

/** Free slots of a service about to be shown to a client (`booking.slotMarks`), texts in `locale`. */
export interface SlotMarksQuery {
  serviceId: string;
  locale: Locale;
  slots: BookingSlot[];
}

/** A slot a plugin marks (a hot window): the chat shows its emoji and price, the legend explains the emoji. */
export interface SlotMark {
  start: string;
  resourceIds: string[];
  emoji: string;
  /** what the client pays for it, when not the slot's price */
  price?: Money;
  legend: string;
}

/** A booking made through the public API (the widget, a Mini App) that is held until paid (`booking.publicPayment`). */
export interface PublicPaymentQuery {
  bookingId: string;
}

/** How that client pays, for the public answer: a page to open or a token for an embedded form. */
export interface PublicPayment {
  provider: string;
  /** a page: a Telegram invoice link (`https://t.me/$…`), a card gateway's confirmation URL */
  url?: string;
  /** an embedded form's token (Stripe's client secret) */
  token?: string;
  amount: Money;
  /** when the hold runs out, ISO */
  expiresAt: string | null;
}

/** Time that was booked is free again and still ahead (`booking.freedTimeCandidates`): whom to offer it before the waitlist. */
export interface FreedTimeQuery {
  /** the service that was booked there */
  serviceId: string;
  resourceIds: string[];
  start: string;
  end: string;
}

/**
 * A client who wants this service earlier than they are booked (CRM's "yellow" card): `bookingId` is their later open
 * booking of the service, cancelled as moved once they take the earlier time. Booking checks both before it offers.
 */
export interface FreedTimeCandidate {
  clientId: string;
  bookingId: string;
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
    /** Make the booking a hold while the client pays (a prepayment): it is confirmed when paid, expires otherwise. */
    'booking.hold': PipelinePoint<BeforeCreateInput, HoldDecision>;
    /** Busy times from elsewhere (calendar sync); called before the booking transaction, 2 s per provider. */
    'booking.busyTimes': ProviderPoint<BusyQuery, ExternalBusy[]>;
    /** Delivers a one-time verification code (SMS, email, a chat); without a provider that answers true it is logged. */
    'booking.sendVerificationCode': ProviderPoint<VerificationMessage, boolean>;
    /** Marks on free slots shown in the chat's calendar (hot windows: 🔥 and the discounted price). */
    'booking.slotMarks': ProviderPoint<SlotMarksQuery, SlotMark[]>;
    /** Narrows and orders the staff a client is offered (CRM's fixed specialist and preferences). */
    'booking.staffChoice': ProviderPoint<StaffChoiceQuery, StaffChoice>;
    /** Notes next to resources' names where clients pick them (reviews' rating); read inside the chat turn: answer from your own tables quickly. */
    'booking.resourceBadges': ProviderPoint<BadgeQuery, ResourceBadge[]>;
    /** What the desk should know before booking a client (a block online channels refuse); the desk books anyway. */
    'booking.clientWarnings': ProviderPoint<ClientWarningQuery, ClientWarning[]>;
    /** How the client of a held public booking pays; asked after the booking is written, outside its transaction (network-bound: 15 s). */
    'booking.publicPayment': ProviderPoint<PublicPaymentQuery, PublicPayment | null>;
    /** Clients to offer freed time before the waitlist (CRM's yellow clients), most wanting first; the same offer message and claim. */
    'booking.freedTimeCandidates': ProviderPoint<FreedTimeQuery, FreedTimeCandidate[]>;
  }
}
