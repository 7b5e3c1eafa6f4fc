/**
 * Bookflow plugin SDK: everything a plugin author may use. Plugins import core
 * only through this file (type-only imports); runtime services arrive in the
 * PluginContext handed to the plugin's server module. A test enforces the rule.
 *
 * A plugin is a folder plugins/<id>/ with:
 *   plugin.json      — the manifest (PluginManifest), validated before any plugin code runs
 *   server.ts        — default export PluginServer: routes, jobs, event handlers, node runtimes,
 *                      the service it offers and its contributions to other plugins' extension points
 *   contract.ts      — types only: its service and extension points, which dependents `import type`
 *   nodes.ts         — declarative flow node types (NodeTypeDefinition[]), safe for the studio
 *   migrations/      — ordered by file name, one history per plugin (Kysely migrations)
 *   locales/         — ru.json, en.json, uk.json
 *   studio/          — its admin UI (React, built into the studio): index.tsx default-exports the pages and
 *                      zone widgets the manifest's `studio` lists; imports only studio/src/sdk.ts, react and itself
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Expression, InsertQueryBuilder, Kysely, Transaction } from 'kysely';
import type { Logger } from 'pino';

export type Locale = 'ru' | 'en' | 'uk';
export type LocalizedText = Partial<Record<Locale, string>> & { en: string };
export type JsonSchema = Record<string, unknown>;

/** Roles of a business member, most powerful first. */
export type Role = 'owner' | 'admin' | 'manager' | 'specialist';
/**
 * What every route declares in `config.roles`: the business roles allowed,
 * 'public' (no sign-in; a `:tenant` path parameter is resolved to request.tenantId),
 * or 'signed-in' (any signed-in user, no business needed: e.g. listing one's businesses).
 */
export type RouteAccess = readonly Role[] | 'public' | 'signed-in';

export interface ErrorDefinition {
  status: number;
  /** May hold `{name}` placeholders, filled from the error's details. */
  message: string;
  /** "How to solve", shown in docs/errors.md. */
  solve: string;
}

/**
 * What a unique violation of a named constraint answers (a 409 by the framework's one error mapper):
 * `code` from the catalog, `field` the input property it is about (its path is found in the request),
 * `params` message placeholders filled from key columns (camelCase) when the names differ.
 */
export interface ConstraintError {
  code: string;
  field: string;
  params?: Record<string, string>;
}

/** A domain event type this plugin emits; docs/events.md lists every one (`npm run docs:events`). */
export interface EventDefinition {
  /** what happened, for plugin developers (English) */
  description: string;
  /** its name for owners: the studio's event trigger lists it so (the type when absent) */
  label?: LocalizedText;
  /** JSON Schema of the payload as handlers receive it (after JSON: dates are ISO strings); `emit` validates against it */
  payload: JsonSchema;
}

export interface PluginManifest {
  id: string;
  version: string;
  name: LocalizedText;
  description?: LocalizedText;
  /** semver range of the core this plugin works with */
  core: string;
  /** plugin id → semver range; only these plugins' services and extension points are this plugin's to use */
  dependencies?: Record<string, string>;
  /**
   * plugin id → semver range of plugins this one works with when they are installed (loyalty's points as a
   * tender in prepayment): loaded first when present, their services reached with `ctx.optionalService`,
   * their points contributed to; absent ones are skipped, never an error.
   */
  optionalDependencies?: Record<string, string>;
  /** the points this plugin owns, `<id>.<name>` → kind (types in its contract.ts) and the per-contributor timeout */
  extensionPoints?: Record<string, { kind: 'veto' | 'pipeline' | 'provider'; timeoutMs?: number; description?: string }>;
  /**
   * JSON Schema of the per-business config; `default`s fill a new config. A property marked
   * `"x-secret": true` (at any depth) is stored encrypted and write-only: clients see `{set: boolean}`
   * in its place (and send it back, or leave it out, to keep it; `null` clears it), the audit log too.
   */
  configSchema?: JsonSchema;
  enabledByDefault?: boolean;
  /** error codes this plugin throws, merged into the one catalog */
  errors?: Record<string, ErrorDefinition>;
  /** unique constraints (or unique indexes) of this plugin's tables by name → the error a violation answers */
  constraints?: Record<string, ConstraintError>;
  /** settings pages for the studio, generated from configSchema (or a sub-schema at `pointer`) */
  settingsPages?: Array<{ id: string; title: LocalizedText; pointer?: string }>;
  /**
   * The events this plugin emits: type → description and payload schema. Types start with the plugin's
   * id and a dot (`booking.created`). Emitting an undeclared type or a payload the schema rejects throws
   * BF_ERR_EVENT_UNKNOWN / BF_ERR_EVENT_PAYLOAD_INVALID; handling (PluginServer.events) a type that neither
   * core nor an installed plugin declares refuses to load (BF_ERR_EVENT_UNDECLARED_HANDLER).
   */
  events?: Record<string, EventDefinition>;
  /** the plugin's admin UI: its pages in the studio's navigation and the zones its widgets fill (code in `studio/`) */
  studio?: StudioManifest;
}

/**
 * Places in core's and other plugins' studio pages where enabled plugins' widgets show, each with its props
 * (studio/src/sdk.ts ZoneProps): a client's card, a booking's details, a cell of the day's journal, the settings page.
 */
/** `app.overlay`: over every page of the studio (a ringing call's popup), without props. */
/** `booking.form`: the desk's new-booking dialog, for what helps choose (the client's interests). */
export type StudioZone = 'client.card' | 'booking.details' | 'journal.cell' | 'settings' | 'app.overlay' | 'booking.form';

/** A page of the plugin in the studio's navigation, at `/studio/<plugin id>/<page id>`. */
export interface StudioPageEntry {
  /** the key of its component in `studio/index.tsx`'s `pages` */
  id: string;
  label: LocalizedText;
  /** the navigation group: daily work or setup */
  group: 'work' | 'setup';
  /** who sees it; everyone in the business when left out (the API still decides what each may do) */
  roles?: Role[];
  /** a short symbol (an emoji) shown before the label */
  icon?: string;
}

export interface StudioManifest {
  pages?: StudioPageEntry[];
  /** the zones `studio/index.tsx`'s `widgets` fill */
  zones?: StudioZone[];
}

/**
 * The database. A raw statement whose SQL begins with the comment `/* prepared *\/ ` (that text, then a space) is run
 * as a prepared statement, parsed and planned once per connection: for a big statement on a hot path.
 */
export type Db = Kysely<any>;
export type Tx = Transaction<any>;

/** Who is calling, set by the framework on every authenticated request. */
export interface AuthInfo {
  userId: string;
  email: string;
  /** null on 'signed-in' routes, which act on no business */
  role: Role | null;
  tenantId: string;
}

export interface AuditEntry {
  tenantId: string;
  actorId: string | null;
  entity: string;
  entityId: string;
  action: string;
  before?: unknown;
  after?: unknown;
}

export interface RecordedChange {
  audit: AuditEntry;
  events?: Array<{ type: string; payload: Record<string, unknown> }>;
  /** inserts built on the same `trx` (not executed): they run in the same statement */
  rows?: Array<InsertQueryBuilder<any, any, any>>;
}

export interface DomainEvent<P = Record<string, unknown>> {
  id: string;
  tenantId: string;
  type: string;
  payload: P;
  createdAt: Date;
}

/**
 * Handles one domain event. Delivery is at least once; run your writes on `trx`:
 * the delivery mark is committed with them, so a retried event is not applied twice.
 * Each handler of an event is delivered on its own: a throw rolls back only this handler's
 * writes and retries only it, with a growing delay; after EVENT_MAX_ATTEMPTS it is dead-lettered
 * (listed in the studio, retried from there). Other handlers and later events go on meanwhile,
 * so do not rely on one handler running before another.
 */
export type EventHandler = (event: DomainEvent<any>, trx: Tx, ctx: PluginContext) => Promise<void>;

export interface JobInfo<D = Record<string, unknown>> {
  id: string;
  name: string;
  /** The business the job was scheduled for; '' for a plugin-wide `every` job, which acts on no business. */
  tenantId: string;
  /** The key it was scheduled under, null when none. */
  key: string | null;
  data: D;
}
/**
 * Runs a job. Delivery is at least once: a job whose instance died mid-run runs again, and a failing one
 * is retried with a growing delay (5 s, 10 s, 20 s, … up to an hour; after 10 attempts it is left failed).
 */
export type JobHandler = (job: JobInfo<any>, ctx: PluginContext) => Promise<void>;

export interface ScheduleOptions {
  /** The business the job belongs to; it runs only while this plugin is enabled for that business. */
  tenantId: string;
  /**
   * Makes scheduling idempotent: the business's job of this plugin under this key is replaced (new time,
   * name and data), whatever its state, e.g. `hold-expiry:<bookingId>`. A run of the old one already going
   * finishes, but does not mark the new one done.
   */
  key?: string;
  /** Schedule inside this transaction: the job exists only if it commits. Without it the job is written at once. */
  trx?: Tx;
}

/**
 * Jobs of a business: rows in PostgreSQL, so they survive restarts, and each runs on one instance at a
 * time. While the plugin is disabled for the job's business its due jobs are skipped, not lost: they keep
 * their time and run as soon as the plugin is enabled again (one whose time passed meanwhile runs then).
 */
export interface Jobs {
  /** Runs `name` (a job of this plugin, without its prefix) at `when`: a Date on the `ctx.now()` clock, or human text ("in 5 minutes"). Resolves to the job id (a keyed job keeps its id). */
  schedule(when: Date | string, name: string, data: Record<string, unknown>, opts: ScheduleOptions): Promise<string>;
  /** `schedule` for now. */
  now(name: string, data: Record<string, unknown>, opts: ScheduleOptions): Promise<string>;
  /** A plugin-wide periodic job, on no business (`job.tenantId` is ''); not transactional, not skipped. */
  every(interval: string, name: string, data?: Record<string, unknown>): Promise<void>;
  /** Removes the business's job under `key` (inside `trx` when given); resolves to the number removed, 0 or 1. */
  cancel(opts: { tenantId: string; key: string; trx?: Tx }): Promise<number>;
}

export interface Events {
  /**
   * Writes the event to the outbox inside `trx`; it is delivered after commit. `type` must be declared
   * (manifest `events`) and `payload` match its schema, else this throws and the transaction fails.
   */
  emit(trx: Tx, tenantId: string, type: string, payload: Record<string, unknown>): Promise<string>;
}

/** A soft-deletable table: rows carry `deleted_at`; admins restore them through /api/v1/trash. */
export interface SoftDeletable {
  entity: string;
  table: string;
  /** the column shown in the trash list */
  label: string;
  /** the key column within the business, default "id" */
  idColumn?: string;
}

export interface Secrets {
  encrypt(plain: string): string;
  decrypt(sealed: string): string;
}

/* ---------- money, the business, its members ---------- */

/** An amount of money: integer minor units (kopecks, cents; yen have none) and its ISO 4217 currency. */
export interface Money {
  amount: number;
  currency: string;
}

/** A business as plugins see it (`ctx.business`); plugins never read core's tables themselves. */
export interface BusinessProfile {
  id: string;
  slug: string;
  name: string;
  /** IANA zone: schedules are wall-clock times in it */
  timezone: string;
  /** ISO 4217, the currency of its prices */
  currency: string;
  locale: Locale;
  address: string | null;
  /** ISO 3166 alpha-2: the region of phones written without a country code */
  country: string;
  /** wall-clock `HH:MM` in its zone (`from` later than `to` spans midnight) when clients are not to be written to; null: none */
  quietHours: { from: string; to: string } | null;
  /** its connected Telegram bots, oldest first: their usernames make t.me links (`https://t.me/<username>?start=…`) */
  telegramBots: Array<{ id: string; username: string }>;
}

/** A user's place in a business. `active` is false for a former member (removed, kept for history). */
export interface Member {
  userId: string;
  email: string;
  name: string;
  role: Role;
  active: boolean;
}

/** The business's team. `q`: the caller's transaction when it holds one (a second pool connection could starve the pool). */
export interface Members {
  /** true while the user (not deleted) is a current member of the business */
  isMember(q: Db | Tx, tenantId: string, userId: string): Promise<boolean>;
  /** Current members by email; with `userIds`, just those, former members too (who acted in a history). */
  list(q: Db | Tx, tenantId: string, opts?: { userIds?: string[] }): Promise<Member[]>;
}

/* ---------- services and extension points between plugins ---------- */

/**
 * Services plugins offer each other, by plugin id. Each owner augments this in its plugins/<id>/contract.ts
 * (types only), which other plugins `import type`:
 *   declare module '../../plugin-sdk.js' { interface PluginServices { 'booking': BookingService } }
 * `ctx.service(id)` hands it only to plugins listing `id` in their manifest's dependencies.
 */
export interface PluginServices {}

/** A veto point: every contributor may refuse (loyalty's 7-day block, a required prepayment). */
export interface VetoPoint<I> { kind: 'veto'; input: I }
/** A value pipeline: contributors change a value in turn, in dependency order (discounts on a price). */
export interface PipelinePoint<I, V> { kind: 'pipeline'; input: I; value: V }
/** A provider list: every contributor answers, the owner combines the answers (calendar busy times). */
export interface ProviderPoint<I, R> { kind: 'provider'; input: I; result: R }

/**
 * Extension points by name (`<owner id>.<point>`), declared by their owner: typed here by augmenting this
 * interface in the owner's contract.ts, and at run time in its manifest's `extensionPoints`.
 */
export interface ExtensionPoints {}

type PointsOf<K extends string> = { [P in keyof ExtensionPoints]: ExtensionPoints[P] extends { kind: K } ? P : never }[keyof ExtensionPoints];
export type VetoPoints = PointsOf<'veto'>;
export type PipelinePoints = PointsOf<'pipeline'>;
export type ProviderPoints = PointsOf<'provider'>;
type InputOf<P extends keyof ExtensionPoints> = ExtensionPoints[P] extends { input: infer I } ? I : never;
type ValueOf<P extends keyof ExtensionPoints> = ExtensionPoints[P] extends { value: infer V } ? V : never;
type ResultOf<P extends keyof ExtensionPoints> = ExtensionPoints[P] extends { result: infer R } ? R : never;

/** What a contributor learns of the call besides its input: the one business it is for, and when to give up. */
export interface ExtensionCall {
  tenantId: string;
  /** aborted when the call's time is up: pass it to fetch() */
  signal: AbortSignal;
}

/** A refusal: one of the contributing plugin's own error codes (409 or 422) and its details. */
export interface VetoReason {
  code: string;
  details?: Record<string, unknown>;
}

/** A contribution to a point, by the point's kind. A veto returns a reason to refuse, or nothing to allow. */
export type Contribution<P extends keyof ExtensionPoints> =
  ExtensionPoints[P] extends VetoPoint<infer I> ? (input: I, ctx: PluginContext, call: ExtensionCall) => Promise<VetoReason | null | undefined | void>
  : ExtensionPoints[P] extends PipelinePoint<infer I, infer V> ? (input: I, value: V, ctx: PluginContext, call: ExtensionCall) => Promise<V>
  : ExtensionPoints[P] extends ProviderPoint<infer I, infer R> ? (input: I, ctx: PluginContext, call: ExtensionCall) => Promise<R>
  : never;
export type Contributions = { [P in keyof ExtensionPoints]?: Contribution<P> };

/** A contributor whose answer is missing: it threw, timed out, or answered what the owner does not accept. */
export interface FailedContribution {
  plugin: string;
  reason: 'error' | 'timeout' | 'rejected';
  message: string;
}

export interface ExtensionOptions<V = unknown> {
  /** per contributor; default the manifest's `timeoutMs` for the point, else 2000 */
  timeoutMs?: number;
  /** a pipeline stage whose value fails this is skipped as `rejected` */
  accept?(value: V): boolean;
}

/**
 * Calls the points a plugin owns (the owner calls, others contribute). Every call is for one business and
 * reaches only the contributors enabled for it; each runs with a timeout; one that fails or is slow is
 * logged and left out (listed in `failed`), never an error of the call. Call network-bound points before
 * opening a transaction: a transaction held across them holds its row locks that long.
 */
export interface Extensions {
  /** `allowed` unless some contributor refused; `reasons` are the refusals, as built errors (throw one). */
  veto<P extends VetoPoints>(tenantId: string, point: P, input: InputOf<P>, opts?: ExtensionOptions): Promise<{ allowed: boolean; reasons: Array<{ plugin: string; error: Error }>; failed: FailedContribution[] }>;
  /**
   * Passes `initial` through each contributor in dependency order; a failed stage leaves the value as it was.
   * `steps`: the value after each applied stage, in order (who gave which discount of a price).
   */
  pipeline<P extends PipelinePoints>(tenantId: string, point: P, input: InputOf<P>, initial: ValueOf<P>, opts?: ExtensionOptions<ValueOf<P>>): Promise<{ value: ValueOf<P>; applied: string[]; steps: Array<{ plugin: string; value: ValueOf<P> }>; failed: FailedContribution[] }>;
  /** The plugins enabled for the business that contribute to one of this plugin's points: skip preparing an input nobody reads. */
  contributors(tenantId: string, point: keyof ExtensionPoints): Promise<string[]>;
  /** Every contributor's answer, concurrently. */
  collect<P extends ProviderPoints>(tenantId: string, point: P, input: InputOf<P>, opts?: ExtensionOptions): Promise<{ results: Array<{ plugin: string; value: ResultOf<P> }>; failed: FailedContribution[] }>;
}


/* ---------- contacts: one client across channels ---------- */
/*
 * A business's client is one contact, whatever channel they come by; plugins keep their data about a client by
 * the contact's id (booking's clientId is a contactId) and reach contacts only through ctx.contacts. See README,
 * Contacts.
 */

export type IdentityKind = 'telegram' | 'webchat' | 'phone' | 'email' | 'max' | 'whatsapp';

export interface ContactIdentity {
  kind: IdentityKind;
  /** telegram: chat id; webchat: session id; phone: E.164; email: lower-cased */
  value: string;
  /** the bot of a Telegram chat; null for other kinds */
  botId: string | null;
  verified: boolean;
  /** the channel said it cannot reach it (blocked the bot, bounced) */
  unreachable: boolean;
}

/** Consent per purpose: transactional messages are implied by booking; marketing needs an opt-in and honours an opt-out. */
export type MessagePurpose = 'reply' | 'transactional' | 'marketing';

export interface Contact {
  id: string;
  name: string;
  /** null: the business's */
  locale: Locale | null;
  /** IANA zone; null: the business's */
  timezone: string | null;
  /** YYYY-MM-DD */
  birthday: string | null;
  tags: string[];
  /** marketing: null until the client said yes or no; when and where (`staff`, `chat`, `widget`, a plugin id) they last said it */
  consent: { marketing: boolean | null; marketingAt: Date | null; marketingSource: string | null };
  notes: string;
  identities: ContactIdentity[];
  createdAt: Date;
  lastSeenAt: Date | null;
}

/** A conversation on a chat channel, as the engine knows it. */
export interface ConversationRef {
  channel: 'telegram' | 'webchat';
  /** the bot of a Telegram chat */
  botId?: string | null;
  chatId: string;
}

/**
 * What a caller knows of a client: the contact is found (or made) by the rules of `Contacts.identify`.
 * Without a conversation and not `anonymous`, the caller is the business itself (staff at the desk, an
 * integration with the business's key): its phone and email are the client's own, as if verified.
 */
export interface IdentifyInput {
  conversation?: ConversationRef;
  /** a new contact's name; a known contact keeps theirs */
  name?: string;
  /** any format; normalized with the business's country (BF_ERR_CONTACT_PHONE_INVALID when it is none) */
  phone?: string;
  /** the channel proved the phone is the sender's own (a Telegram contact of the sender), or a code was confirmed */
  phoneVerified?: boolean;
  email?: string;
  emailVerified?: boolean;
  /** typed by an anonymous caller (widget, integrator): unless verified, the phone joins no record */
  anonymous?: boolean;
  locale?: Locale;
}

export interface ContactPatch {
  name?: string;
  locale?: Locale | null;
  timezone?: string | null;
  birthday?: string | null;
  tags?: string[];
  /** an opt-in or opt-out, stamped with the clock's time; `source` defaults to `staff` with an actor, else `system` */
  consent?: { marketing?: boolean; source?: string };
  notes?: string;
}

/** A contact entered by the business (the desk, an import): its phone and email are taken as the client's own. */
export interface NewContact {
  name: string;
  phone?: string;
  email?: string;
  locale?: Locale | null;
  timezone?: string | null;
  birthday?: string | null;
  tags?: string[];
  notes?: string;
}

/** What an erasure tells the plugins (`PluginServer.onContactErased`). */
export interface ContactErasure {
  tenantId: string;
  contactId: string;
}

/** What a merge tells the plugins (`PluginServer.onContactsMerged` / `onContactsUnmerged`). */
export interface ContactMerge {
  tenantId: string;
  /** the merge's id: note which of your rows moved under it, to move exactly those back on undo */
  mergeId: string;
  keptId: string;
  mergedId: string;
}

/**
 * The business's clients. `q`: the caller's transaction when it holds one. Identity rules: a chat joins a
 * contact found by phone only through a verified phone; a typed phone stays unverified on the chat's own
 * contact and never attaches the chat to someone else's record; an anonymous caller's unverified phone gets a
 * contact of its own. Phones in any format are read with the business's country (BusinessProfile.country).
 * Lists (`getMany`, `search`) leave out deleted and merged contacts; `get` follows a merge.
 */
export interface Contacts {
  /**
   * Finds or creates the contact for what is known (conversation, phone, email), by the rules above. A
   * verified phone or email held by another contact than the conversation's own joins the two: the
   * conversation's contact is merged into the holder (as `merge` does: plugins hear of it, staff can undo it).
   */
  identify(trx: Tx, tenantId: string, input: IdentifyInput): Promise<Contact>;
  /** The contact of a conversation, when one is known (nothing is created). */
  resolve(q: Db | Tx, tenantId: string, conversation: ConversationRef): Promise<Contact | null>;
  /** A merged contact's id answers with the contact it was merged into; a deleted one with null. */
  get(q: Db | Tx, tenantId: string, contactId: string): Promise<Contact | null>;
  /** Many at once (lists); missing ids are left out. */
  getMany(q: Db | Tx, tenantId: string, contactIds: string[]): Promise<Contact[]>;
  /** By a phone in any format (the business's country fills a missing code). */
  findByPhone(q: Db | Tx, tenantId: string, phone: string): Promise<Contact | null>;
  findByEmail(q: Db | Tx, tenantId: string, email: string): Promise<Contact | null>;
  /** Name, any phone format, email. */
  search(q: Db | Tx, tenantId: string, opts: { q?: string; limit?: number; offset?: number }): Promise<{ items: Contact[]; total: number }>;
  /** Audited. BF_ERR_CONTACT_PHONE_TAKEN / _EMAIL_TAKEN when another contact has them. */
  create(trx: Tx, tenantId: string, input: NewContact, actorId: string | null): Promise<Contact>;
  /** Audited; BF_ERR_CONTACT_NOT_FOUND for an unknown id. */
  update(trx: Tx, tenantId: string, contactId: string, patch: ContactPatch, actorId: string | null): Promise<Contact>;
  /**
   * Merges `mergedId` into `keptId`: identities and every plugin's data (onContactsMerged) move to the kept
   * contact, the merged one stays for its history (in the trash, where restoring it undoes the merge). Audited.
   */
  merge(trx: Tx, tenantId: string, keptId: string, mergedId: string, actorId: string | null): Promise<Contact>;
  /**
   * Erases the contact on the client's request: anonymized (and the contacts merged into it), identities deleted,
   * message texts blanked, every plugin's `onContactErased` run in `trx`. Irreversible; audited without the data.
   */
  erase(trx: Tx, tenantId: string, contactId: string, actorId: string | null): Promise<void>;
  /** E.164 for a phone in any format, null when it is no phone (the business's country by default). */
  normalizePhone(tenantId: string, phone: string, q?: Db | Tx): Promise<string | null>;
}

/* ---------- outgoing messages ---------- */

export type Text = string | LocalizedText;

/**
 * A button of an outgoing message: one of these kinds. Action and flow buttons reach the chat as short
 * unguessable callback ids (`m` + 16 base64url characters), resolved on the server when pressed — for 30 days,
 * however much dialog happened meanwhile.
 */
export type MessageButton =
  /** a plugin's action (`<plugin>.<name>` in PluginServer.actions); the payload stays on the server */
  | { label: Text; action: string; payload?: Record<string, unknown> }
  /** starts the business's published flow `flowKey` in the chat it was pressed in, at `nodeId` (default its entry), with `vars` */
  | { label: Text; flow: { flowKey: string; nodeId?: string; vars?: Record<string, unknown> } }
  | { label: Text; url: string }
  /** a Telegram Mini App */
  | { label: Text; webApp: string }
  /** a flow node's choice (a session's callback id), answered by the node that showed it */
  | { label: Text; value: string };

export interface MessageContent {
  /** per language: the contact's locale, else the business's */
  text: Text;
  /** an email's subject (other channels leave it out); default: "A message from <business>" */
  subject?: Text;
  photo?: string;
  buttons?: MessageButton[][];
  requestContact?: { label: Text };
  /**
   * A Telegram invoice (`sendInvoice`'s title, description, payload, currency, prices in minor units, provider_data…),
   * written by the payments plugin, whose `telegramPayments.providerToken` supplies the token at send time; without
   * such a plugin Telegram fails the message with a clear reason.
   */
  invoice?: Record<string, unknown>;
}

export type MessageStatus = 'queued' | 'sending' | 'sent' | 'failed' | 'skipped';

export interface SendInput {
  tenantId: string;
  /** `email`: an address that is no contact's (a staff member's own), sent by the business's SMTP; transactional only */
  to: { contactId: string } | { conversation: ConversationRef } | { email: string };
  message: MessageContent;
  purpose: MessagePurpose;
  /** channel kinds in preference order; default the contact's chats, then email, then SMS */
  channels?: IdentityKind[];
  /** one key is sent at most once per business */
  idempotencyKey: string;
  /** not before this moment (on the ctx.now() clock) */
  notBefore?: Date;
}

/**
 * Durable outgoing messages: a row in the caller's transaction, sent after commit by the dispatcher (nothing is
 * sent if the transaction rolls back). Status: queued → sending → sent (the provider's id) | failed (reason,
 * attempts) | skipped (no reachable channel; marketing without an opt-in or after an opt-out). A marketing message
 * gets an unsubscribe button and waits for the end of the business's quiet hours (`quietHours` of PATCH /tenant,
 * in its zone). A message to a contact goes to its first reachable identity in `channels` order; one a channel
 * cannot reach (a Telegram 403 "blocked by the user") is marked unreachable and the next one is tried. Messages
 * to one conversation (or one contact) leave in the order they were written, each after the one before is sent.
 */
export interface Messages {
  /**
   * Validated by JSON Schema (BF_ERR_MESSAGE_INVALID naming the field); an unknown contact is BF_ERR_CONTACT_NOT_FOUND.
   * The same `idempotencyKey` again (even concurrently) answers the first message's row and sends nothing more.
   */
  send(trx: Tx, input: SendInput): Promise<{ id: string; status: MessageStatus }>;
  /** Where messages this business sent stand (a broadcast's progress); ids it does not know are left out. */
  statuses(q: Db | Tx, tenantId: string, ids: string[]): Promise<MessageState[]>;
  /** The contact's messages, both ways, oldest first (a data-subject export): the text in its stored languages. */
  ofContact(q: Db | Tx, tenantId: string, contactId: string): Promise<ContactMessage[]>;
  /**
   * Blanks the texts of the business's messages written before `before` (a retention policy); messages still to
   * be sent keep theirs. Answers how many were blanked.
   */
  forgetBefore(trx: Tx, tenantId: string, before: Date): Promise<number>;
  /**
   * A Telegram invoice link (`createInvoiceLink`: the invoice fields of `MessageContent.invoice`) for a payer outside
   * a chat — a Mini App, the site widget —, made by the business's oldest bot that is on, with the payments plugin's
   * provider token added now (never stored). Its pre-checkout query and successful payment reach
   * `telegramPayments` like a chat invoice's. Undefined when no bot is on or there is no provider token; a
   * refusal by Telegram throws. It calls out over the network: not inside a transaction.
   */
  telegramInvoiceLink(tenantId: string, invoice: Record<string, unknown>): Promise<{ url: string; botId: string } | undefined>;
}

/** A message as the contact's data export lists it. */
export interface ContactMessage {
  id: string;
  direction: 'in' | 'out';
  purpose: MessagePurpose;
  status: MessageStatus | 'received';
  channel: string | null;
  text: Text;
  createdAt: Date;
  sentAt: Date | null;
}

/** A sent message's state: `reason` says why it failed or was skipped (`no-consent`, `no-reachable-channel`, …). */
export interface MessageState {
  id: string;
  status: MessageStatus;
  reason: string | null;
  channel: IdentityKind | null;
  sentAt: Date | null;
}


/** One message to one identity, as a channel adapter gets it: text in the recipient's language, buttons resolved. */
export interface ChannelDelivery {
  messageId: string;
  tenantId: string;
  contactId: string | null;
  identity: ContactIdentity;
  purpose: MessagePurpose;
  locale: Locale;
  text: string;
  /** MessageContent.subject in the recipient's language */
  subject?: string;
  photo?: string;
  /** callback buttons carry short unguessable ids that the channel sends back on a press */
  buttons?: Array<Array<{ label: string; callback?: string; url?: string; webApp?: string }>>;
  requestContact?: { label: string };
  invoice?: Record<string, unknown>;
  /** Telegram: the chat still shows a share-contact keyboard that this (plain) message takes away */
  removeKeyboard?: boolean;
  /**
   * Aborted when this send's time is up (the dispatcher's lease on the message, less a margin): pass it to
   * fetch, and do not start sending once it is aborted; after that the message may be taken by another sender.
   */
  signal?: AbortSignal;
}
export type ChannelSendResult =
  | { status: 'sent'; providerId?: string }
  /**
   * Try again later. With `afterMs` the channel says when (a 429's retry_after, its own rate limit): the
   * message is rescheduled and no attempt is used up. Without it (a network error, a provider's 5xx) an attempt
   * is counted and the next one waits 2 s, 4 s, … at most 10 min; after MESSAGE_MAX_ATTEMPTS the message fails.
   */
  | { status: 'retry'; reason: string; afterMs?: number }
  /** this identity cannot be reached (blocked the bot, invalid number): marked, and the next channel is tried */
  | { status: 'unreachable'; reason: string }
  | { status: 'failed'; reason: string };

/**
 * A way to reach a contact (Telegram, web chat, email, SMS, …), registered like node types are. The
 * dispatcher picks the first reachable identity of the kinds in the message's preference order.
 */
export interface ChannelAdapter {
  kind: IdentityKind;
  /** whether the business has this channel set up (a bot, SMTP settings, an SMS provider) */
  available(tenantId: string, ctx: PluginContext): Promise<boolean>;
  send(delivery: ChannelDelivery, ctx: PluginContext): Promise<ChannelSendResult>;
}

/**
 * What pressing an action button runs, at any later time: the handler (`PluginServer.actions`) runs in the turn's
 * transaction (a throw rolls back only its writes; the client gets a friendly fallback). The plugin must be enabled
 * for the business, otherwise the client hears that the choice is not available.
 */
export interface ActionInput {
  tenantId: string;
  /** the contact the message went to ('' when a chat that no contact holds pressed it) */
  contactId: string;
  payload: Record<string, unknown>;
  /** the message the button was on */
  messageId: string;
  conversation: ConversationRef;
  locale: Locale;
}
/** A reply to show (the action decides whether it is stale: "this booking is already cancelled"). */
export interface ActionResult {
  /** sent in the chat the button was pressed in; its action, flow and link buttons work like a message's */
  reply?: MessageContent;
  /** take the pressed message's buttons away (kept otherwise, so another button of it stays pressable) */
  removeButtons?: boolean;
  /** start this published flow here instead of replying, as a flow button would (a tracked deep link) */
  flow?: { flowKey: string; nodeId?: string; vars?: Record<string, unknown> };
  /**
   * Ask the client for more in their own words: the chat's next messages that start no flow (a text, a photo, a
   * video) go to this plugin's `chatInputs[handler]` with `payload`, for `minutes` (at most a day) or until the
   * handler answers `done`. A command or another flow started in the chat ends it.
   */
  awaitMessages?: { handler: string; payload?: Record<string, unknown>; minutes: number };
}
export type ActionHandler = (input: ActionInput, trx: Tx, ctx: PluginContext) => Promise<ActionResult | void>;

/** A photo, video or file a client sent in a chat, as Telegram describes it (fetch its bytes with `ctx.files.fromTelegram`). */
export interface ChatMedia {
  /** `document`: sent "as a file", whatever it holds (its `mimeType` says what the client's app thinks) */
  kind: 'photo' | 'video' | 'document';
  /** Telegram's file id, valid for the bot it came to (`conversation.botId`) */
  fileId: string;
  /** the same file through any bot and over time */
  fileUniqueId: string;
  /** bytes, when Telegram said */
  size?: number;
  mimeType?: string;
  /** a video's length */
  durationSeconds?: number;
  /** a small preview (a photo's smallest size over 90 px, a video's thumbnail), JPEG */
  thumb?: { fileId: string; fileUniqueId: string; size?: number };
  /** photos sent together as an album share it, one message each */
  mediaGroupId?: string;
}

/** A client's free message that a plugin asked for (ActionResult.awaitMessages). */
export interface ChatInput {
  tenantId: string;
  /** the chat's contact ('' when no contact holds it) */
  contactId: string;
  conversation: ConversationRef;
  locale: Locale;
  /** what the action that asked passed, or the handler's last answer changed */
  payload: Record<string, unknown>;
  /** the text, or a photo's or video's caption */
  text?: string;
  media?: ChatMedia;
}

export interface ChatInputResult {
  /** sent in the chat */
  reply?: MessageContent;
  /** nothing more is awaited: the chat's next messages go to the dialog again */
  done?: boolean;
  /** replaces the payload the next message gets */
  payload?: Record<string, unknown>;
}
/**
 * Runs in the turn's transaction, holding the chat's lock: keep it short (schedule a job for downloads). A throw
 * rolls back only its writes and the client gets a friendly fallback; the plugin must be enabled for the business.
 */
export type ChatInputHandler = (input: ChatInput, trx: Tx, ctx: PluginContext) => Promise<ChatInputResult | void>;

/** A Telegram payment update in a business's bot, as core hands it to the payments plugin (`PluginServer.telegramPayments`). */
export interface TelegramPaymentUpdate {
  tenantId: string;
  botId: string;
  chatId: string;
  /** the payer's Telegram user id */
  fromId: string;
  currency: string;
  /** minor units */
  totalAmount: number;
  /** the invoice's payload, as the plugin wrote it */
  payload: string;
}

/**
 * Telegram Payments in core's channel: the bot asks Telegram for `pre_checkout_query` updates and hands them and
 * `message.successful_payment` to the one plugin offering this, while it is enabled for the business.
 */
export interface TelegramPayments {
  /** The provider token for the business's invoices in this bot, asked when an invoice message is sent (never stored with it); undefined: not configured. */
  providerToken(tenantId: string, botId: string, ctx: PluginContext): Promise<string | undefined>;
  /** Answered in the update handler (Telegram waits at most 10 s): ok, or the reason shown to the payer. */
  preCheckout(query: TelegramPaymentUpdate & { queryId: string }, ctx: PluginContext): Promise<{ ok: true } | { ok: false; error: string }>;
  /** The money arrived: fulfil the order, idempotently by `telegramChargeId` (Telegram may deliver it again). */
  paid(payment: TelegramPaymentUpdate & { telegramChargeId: string; providerChargeId: string }, ctx: PluginContext): Promise<void>;
}

/** A flow to start for a contact (see `Flows.start`). */
export interface FlowStartInput {
  tenantId: string;
  contactId: string;
  flowKey: string;
  /** a trigger node of the flow to start at (its outgoing edge is followed); default the flow's entry */
  nodeId?: string;
  /** set before the first node runs (declare them in the flow to use them in texts) */
  vars?: Record<string, unknown>;
  /** the channel to try first; default the contact's most recently active reachable chat */
  channel?: IdentityKind;
  /** one key starts at most once (per plugin, for a week after the start); without one every call starts */
  idempotencyKey?: string;
  /** start at this moment on the `ctx.now()` clock instead of right after commit */
  at?: Date;
}

/** A published flow's node of a plugin's trigger type, with its settings. */
export interface FlowTrigger {
  flowId: string;
  flowKey: string;
  nodeId: string;
  settings: Record<string, unknown>;
}

/**
 * Starting flows for a contact outside a conversation (events, times, actions). Core's `trigger.event` node
 * does this for events by itself. A plugin's own trigger node type (NodeTypeDefinition category 'trigger')
 * is fired by the plugin: it reads the subscribed nodes with `triggers` and starts each with `start` at `nodeId`.
 */
export interface Flows {
  /**
   * Writes the start in `trx` (nothing starts if it rolls back); a job then runs it, surviving restarts. It runs
   * the flow's published version current at that moment (the session keeps it) on the contact's reachable chat
   * (a Telegram chat no one marked unreachable, a web chat); a contact no chat reaches gets the flow's messages
   * through the message outbox (email, then SMS). A client in the middle of a dialog (a message either way within
   * the last 30 minutes) is not cut off: the start waits, trying again every 10 minutes. Missing flows, contacts
   * or nodes are logged and skipped; invalid input throws BF_ERR_FLOW_START_INVALID.
   */
  start(trx: Tx, input: FlowStartInput): Promise<void>;
  /** The business's published flows' nodes of this trigger type (they change on publish, unpublish and delete). */
  triggers(q: Db | Tx, tenantId: string, nodeType: string): Promise<FlowTrigger[]>;
}

/* ---------- segments: saved rules over contacts ---------- */

/** The value kinds a segment field holds; each has its operators (`SEGMENT_OPS` in core/segments/ops.ts). */
export type SegmentFieldType = 'number' | 'date' | 'string' | 'boolean' | 'string[]' | 'enum';

/**
 * Operators of a condition, by field type:
 * - string: eq, neq, in, notIn, contains (a case-insensitive part), exists
 * - enum: eq, neq, in, notIn, exists
 * - number: eq, neq, gt, gte, lt, lte, between ([from, to], inclusive), exists
 * - boolean: eq
 * - date (an instant): gt (after the day), lt (before the day), between ([from, to] days, inclusive),
 *   withinLastDays / olderThanDays / withinNextDays (N whole days back or ahead of today), exists.
 *   Days are the business's calendar days: computed in its time zone from `ctx.now()`, so DST is safe.
 * - string[]: contains (holds the value), in (holds any of), all (holds every one of), notIn (holds none of), exists (not empty)
 * `exists` takes `true` (has a value) or `false` (has none).
 */
export type SegmentOp = 'eq' | 'neq' | 'in' | 'notIn' | 'contains' | 'all' | 'gt' | 'gte' | 'lt' | 'lte' | 'between'
  | 'withinLastDays' | 'olderThanDays' | 'withinNextDays' | 'exists';

/** One condition of a rule: a field (`tags`, `booking.visits`), an operator of its type and the operator's value. */
export interface SegmentCondition {
  field: string;
  op: SegmentOp;
  value?: unknown;
}

/**
 * A segment rule: a condition, or a group — `all` (every child holds; `{all: []}` is everyone), `any` (some
 * child holds; `{any: []}` is nobody) or `not` (the child does not hold). Validated by one JSON Schema made
 * from the business's field catalog; a bad rule is a 400 naming the path of the offending part.
 */
export type SegmentRule = { all: SegmentRule[] } | { any: SegmentRule[] } | { not: SegmentRule } | SegmentCondition;

export interface SegmentFieldOption {
  value: string;
  label: string | LocalizedText;
}

/** What a field's SQL builder gets: bind `tenantId` as a parameter, correlate on `contactId`, use `now` instead of SQL now(). */
export interface SegmentSqlScope {
  tenantId: string;
  /** the contact id column of the row being tested, e.g. sql`b.client_id = ${contactId}` */
  contactId: Expression<string>;
  /** ctx.now() of this evaluation */
  now: Date;
  /** the business's IANA zone */
  timezone: string;
  /** the business's ISO 4217 currency (money columns in minor units compare against amounts in its major unit) */
  currency: string;
  /** the business's config of the field's plugin, defaults applied (a tier's thresholds): bind its values as parameters */
  config: Record<string, unknown>;
}

/**
 * A field a plugin contributes to segment rules (`PluginServer.segmentFields`), listed for a business only
 * while the plugin is enabled for it. The plugin owns the SQL over its own tables: `sql` returns one
 * expression per contact, of the field's type — a number, a timestamptz (date), text, a boolean or a
 * text[] (string[]) — and core applies the operators to it. Build it with Kysely's `sql` tag and interpolate
 * values (never concatenate them), e.g.
 *   sql: ({ tenantId, contactId }) => sql`(SELECT count(*) FROM booking_bookings b
 *     WHERE b.tenant_id = ${tenantId} AND b.client_id = ${contactId} AND b.status = 'completed')`
 */
export interface SegmentFieldDefinition {
  /** `<plugin id>.<name>`, e.g. `booking.visits` */
  key: string;
  label: LocalizedText;
  type: SegmentFieldType;
  /** a subset of the type's operators, when not all make sense */
  ops?: SegmentOp[];
  /** the values of an enum or string[] field, for the editor (and, being fixed, checked by the rule schema) */
  options?: SegmentFieldOption[];
  /** the values when they are the business's data (its services); `q` may be a transaction */
  loadOptions?(q: Db | Tx, tenantId: string, ctx: PluginContext): Promise<SegmentFieldOption[]>;
  sql(scope: SegmentSqlScope): Expression<unknown>;
}

/** A page of a segment's contacts, by id order; pass `next` as `after` for the following page (null: the last). */
export interface SegmentPage {
  ids: string[];
  next: string | null;
}

/**
 * Segments for plugins (broadcasts): a saved segment by id (`'all'` is every contact) or a rule, evaluated now.
 * Read a large segment in pages: `for (let after = null; ; ) { const p = await ctx.segments.contactIds(db, t, id, { after });
 * …; if (!p.next) break; after = p.next; }`. A segment of another business is BF_ERR_SEGMENT_NOT_FOUND.
 */
export interface Segments {
  contactIds(q: Db | Tx, tenantId: string, segment: string | SegmentRule, page?: { limit?: number; after?: string | null }): Promise<SegmentPage>;
  count(q: Db | Tx, tenantId: string, segment: string | SegmentRule): Promise<number>;
}

/* ---------- files: the product's own store ---------- */

/** What a file may be: its type is read from its first bytes, never taken from a name or a header. */
export type FileKind = 'photo' | 'video';

/**
 * A stored file. Photos are JPEG, PNG or WebP up to 10 MB, videos MP4 up to 20 MB (what a bot may download from
 * Telegram); anything else is BF_ERR_FILE_TYPE_UNSUPPORTED or BF_ERR_FILE_TOO_LARGE.
 */
export interface StoredFile {
  id: string;
  contentType: 'image/jpeg' | 'image/png' | 'image/webp' | 'video/mp4';
  size: number;
  /** hex SHA-256 of the bytes */
  sha256: string;
  createdAt: Date;
}

export interface FileContent extends StoredFile {
  data: Buffer;
}

export interface NewFile {
  kind: FileKind;
  /** one key is stored once per business and plugin: the same key again answers the first file */
  key?: string;
  /** staff roles that may open it in the studio (GET /api/v1/files/:id; the owner always may); default owner, admin, manager */
  roles?: Role[];
  /** a lower limit than core's for this kind */
  maxBytes?: number;
}

/** A plugin's files of a business (other plugins' files are not found). `q`: the caller's transaction when it holds one. */
export interface Files {
  put(q: Db | Tx, tenantId: string, file: NewFile & { data: Uint8Array }): Promise<StoredFile>;
  get(q: Db | Tx, tenantId: string, id: string): Promise<FileContent | null>;
  /** Deletes this plugin's files (a contact erased); answers how many went. */
  delete(trx: Tx, tenantId: string, ids: string[]): Promise<number>;
  /**
   * Downloads a file a client sent to one of the business's bots (Bot API getFile, then its file URL), refusing it
   * past the limit before and while downloading, and stores it. Takes its time: call it outside a transaction (a job).
   * BF_ERR_FILE_DOWNLOAD_FAILED when Telegram does not give it (a retry may succeed), BF_ERR_BOT_NOT_FOUND for another business's bot.
   */
  fromTelegram(tenantId: string, source: { botId: string; fileId: string }, file: NewFile): Promise<StoredFile>;
  /**
   * A link that opens the file without signing in (`PUBLIC_URL/api/v1/public/<tenant>/files/<id>/<signature>`), for
   * what the business chose to make public (a published review's photo in its channel); undefined without PUBLIC_URL.
   */
  publicUrl(tenantId: string, id: string): string | undefined;
}

/* ---------- staff tasks ---------- */
/*
 * One to-do list per business that every plugin adds to (notifications' "call the client" after an unanswered
 * reminder, reviews' low score, CRM's sleeping clients and birthdays), shown on the studio's Tasks page and
 * in the contact card. A plugin creates tasks by its own key, so a retried handler never makes two.
 */
export type TaskStatus = 'open' | 'done' | 'snoozed' | 'cancelled';

export interface NewTask {
  /** the plugin's own kind, e.g. `call-client`, `birthday` (its label comes from the title) */
  kind: string;
  /** unique per business and plugin: the same key again returns the task already there (created or reopened: never two) */
  key: string;
  title: LocalizedText;
  body?: LocalizedText;
  contactId?: string | null;
  bookingId?: string | null;
  /** when it should be done (the list sorts by it); default now */
  dueAt?: Date;
  /** who sees it besides the owner; default admins and managers */
  roles?: Role[];
  /** one member it is for (a specialist's own task) */
  assigneeId?: string | null;
  /** free data for the plugin's own widgets and actions */
  data?: Record<string, unknown>;
}

export interface Task extends Required<Pick<NewTask, 'kind' | 'key' | 'title'>> {
  id: string;
  pluginId: string;
  body: LocalizedText | null;
  contactId: string | null;
  bookingId: string | null;
  dueAt: string;
  roles: Role[];
  assigneeId: string | null;
  data: Record<string, unknown>;
  status: TaskStatus;
  snoozedUntil: string | null;
  /** what staff noted when closing it ("reached, confirmed") */
  result: string | null;
  doneBy: string | null;
  doneAt: string | null;
  createdAt: string;
}

export interface Tasks {
  /** Creates the task, or answers the one of this plugin with the same key (open ones keep their state). Emits `task.created` once. */
  create(trx: Tx, tenantId: string, task: NewTask): Promise<Task>;
  /** Closes this plugin's task by its key (the client reacted after all): `done` with a result, or `cancelled`. No task, no error. */
  close(trx: Tx, tenantId: string, key: string, close: { status: 'done' | 'cancelled'; result?: string; actorId?: string | null }): Promise<Task | null>;
  /** This plugin's tasks by key or contact. */
  find(q: Db | Tx, tenantId: string, filter: { key?: string; contactId?: string; bookingId?: string; status?: TaskStatus[] }): Promise<Task[]>;
}

export interface PluginContext {
  readonly pluginId: string;
  readonly log: Logger;
  readonly db: Db;
  transaction<T>(fn: (trx: Tx) => Promise<T>): Promise<T>;
  readonly events: Events;
  readonly jobs: Jobs;
  /** the points this plugin owns: veto, pipeline, collect */
  readonly extensions: Extensions;
  /** The service of a plugin this one lists in its dependencies; BF_ERR_PLUGIN_SERVICE_FORBIDDEN otherwise. */
  service<K extends keyof PluginServices>(pluginId: K): PluginServices[K];
  /**
   * The service of a plugin in this one's optionalDependencies, when it is installed and enabled for the
   * business (`q`: the caller's transaction); undefined otherwise. Ask per business: enabling changes it.
   */
  optionalService<K extends keyof PluginServices>(pluginId: K, tenantId: string, q?: Db | Tx): Promise<PluginServices[K] | undefined>;
  /** the business's to-do list for staff (call the client, prepare a contract), shared by every plugin */
  readonly tasks: Tasks;
  /** The business's profile (briefly cached). `q`: the caller's transaction, when it holds one. */
  business(tenantId: string, q?: Db | Tx): Promise<BusinessProfile>;
  readonly members: Members;
  readonly contacts: Contacts;
  readonly messages: Messages;
  readonly flows: Flows;
  /** contacts matching saved segments or rules, in pages */
  readonly segments: Segments;
  readonly secrets: Secrets;
  /** the product's file store (photos and videos clients send), in PostgreSQL */
  readonly files: Files;
  /** Builds a catalog error; throw it. */
  error(code: string, details?: Record<string, unknown>, cause?: unknown): Error;
  /** A coded error's message in a locale (from its owner's translations), e.g. to say it in a chat. */
  errorMessage(error: unknown, locale: Locale): string;
  audit(trx: Tx, entry: AuditEntry): Promise<void>;
  /**
   * Writes what one change leaves behind in one statement on `trx`: `rows` (this plugin's own inserts, e.g. its
   * history), the audit entry and the events (of the entry's business, checked as `events.emit` checks them). Answers
   * the events' ids in order. For a change that writes all three, one round trip instead of three.
   */
  record(trx: Tx, change: RecordedChange): Promise<string[]>;
  /** The business's config of this plugin, defaults applied, `x-secret` fields decrypted: keep it on the server. `q`: the caller's transaction. */
  config<C = Record<string, unknown>>(tenantId: string, q?: Db | Tx): Promise<C>;
  /** Replaces the business's config of this plugin in `trx` (checked against configSchema, defaults filled): a seedDemo's settings that name ids it seeded. */
  setConfig(trx: Tx, tenantId: string, config: Record<string, unknown>): Promise<void>;
  /** `q`: the caller's transaction, when it holds one. */
  isEnabled(tenantId: string, q?: Db | Tx): Promise<boolean>;
  /** Translates a key of this plugin's locales (falls back to core's, then to en); its {{variables}} are filled as `render` does. */
  t(locale: Locale, key: string, vars?: Record<string, unknown>): string;
  /**
   * Fills `{{variables}}` in a text: the one grammar of flow texts, node settings and locale files. A name may
   * be a dotted path (`{{client.name}}`); a missing or null value becomes '', an object its JSON.
   */
  render(text: string, vars: Record<string, unknown>): string;
  /** The server's public base URL (PUBLIC_URL, no trailing slash) for links sent to clients; undefined when not set. */
  readonly publicUrl: string | undefined;
  /**
   * An external API's base URL (no trailing slash): the environment variable `variable` (tests point it at a
   * stand-in), else `real`. In production (NODE_ENV) only `real` itself is taken; any other value is refused,
   * `real` used and the operator warned once: a stand-in left in the environment must not take real clients'
   * payments, texts or calls. Ask it at each call (tests change the variable); it reads only the environment.
   */
  externalApiRoot(variable: string, real: string): string;
  /** Resolves a tenant slug or id to its id, or throws BF_ERR_TENANT_NOT_FOUND. */
  tenantId(slugOrId: string): Promise<string>;
  /**
   * Now, from the app's one clock (tests move it). Ask it, not Date.now() / new Date(), whenever the time
   * decides something; in SQL pass it as a parameter instead of now(), which is the database's real time.
   */
  now(): Date;
  /**
   * LISTENs on this plugin's PostgreSQL channel `channel` (on every app instance), over a connection of its
   * own; NOTIFY it as `bookflow_<pluginId>_<channel>` (non-word characters as `_`) with `SELECT pg_notify(…, payload)`
   * on a transaction, so it fires on commit. A lost connection reconnects; NOTIFYs meanwhile are missed. Call the answer to stop.
   */
  listen(channel: string, onNotify: (payload?: string) => void): Promise<() => Promise<void>>;
  /**
   * A per-business change signal on this plugin's `channel`, for live views (SSE streams): `announce` on the
   * transaction that changed something, and every instance's `on` subscribers of that business hear it on commit.
   * One LISTEN per instance and channel, kept by core for the app's life; the same feed for the same channel.
   */
  changes(channel: string): Changes;
}

/** `ctx.changes(channel)`: see there. */
export interface Changes {
  announce(trx: Tx, tenantId: string): Promise<void>;
  /** this instance's subscriber for one business; the answer unsubscribes */
  on(tenantId: string, fn: () => void): () => void;
}

/** Routes are mounted under /api/v1 inside the plugin's own encapsulated fastify context. */
export type PluginRoutes = (app: FastifyInstance, ctx: PluginContext) => Promise<void> | void;

export interface PluginServer {
  routes?: PluginRoutes;
  /** the service this plugin offers to its dependents (typed in its contract.ts); made once, on first use */
  service?(ctx: PluginContext): PluginServices[keyof PluginServices] | object;
  /** contributions to points of plugins listed in dependencies, by point name */
  extensions?: Contributions;
  /**
   * A contact was merged into another (by staff, or by identify on a verified phone), in the merge's
   * transaction: move your data about `mergedId` to `keptId`, noting what moved under `mergeId`.
   */
  onContactsMerged?(trx: Tx, merge: ContactMerge, ctx: PluginContext): Promise<void>;
  /** The merge was undone (the merged contact restored from the trash): move back what moved under `mergeId`. */
  onContactsUnmerged?(trx: Tx, merge: ContactMerge, ctx: PluginContext): Promise<void>;
  /**
   * A contact is being erased on request, in the erasure's transaction: delete your free text and personal data
   * about it; keep what reports need (amounts, times) only without anything that names the person.
   */
  onContactErased?(trx: Tx, erasure: ContactErasure, ctx: PluginContext): Promise<void>;
  /** channel adapters this plugin provides, one per identity kind (core ships Telegram, web chat, email, SMS); used only where the plugin is enabled */
  channels?: ChannelAdapter[];
  /** button action name (without the `<pluginId>.` prefix) → handler; buttons name it `<pluginId>.<name>` */
  actions?: Record<string, ActionHandler>;
  /** handlers of clients' free messages an action asked for (ActionResult.awaitMessages names one) */
  chatInputs?: Record<string, ChatInputHandler>;
  /** job name (without the `<pluginId>.` prefix) → handler */
  jobs?: Record<string, JobHandler>;
  /** event type → handler */
  events?: Record<string, EventHandler>;
  /** flow node type → runtime; the declarative half lives in nodes.ts */
  nodes?: Record<string, NodeRuntime>;
  softDelete?: SoftDeletable[];
  /** called once every plugin is loaded and migrated, before the server listens */
  onReady?(ctx: PluginContext): Promise<void> | void;
  onClose?(ctx: PluginContext): Promise<void> | void;
  /** fields this plugin adds to segment rules (core/segments), e.g. booking's visits; keys start with `<plugin id>.` */
  segmentFields?: SegmentFieldDefinition[];
  /** pre-checkout queries and successful payments of Telegram invoices (one plugin per app offers it) */
  telegramPayments?: TelegramPayments;
  /** seeds the demo business (tenant slug `demo`) on first start */
  seedDemo?(ctx: PluginContext, trx: Tx, tenantId: string): Promise<void>;
}

export interface Migration {
  up(db: Kysely<any>): Promise<void>;
  down?(db: Kysely<any>): Promise<void>;
}

/* ---------- flow nodes ---------- */

export interface NodePort {
  id: string;
  label: LocalizedText;
  /** an optional port may stay unconnected (e.g. `error`: without an edge the engine sends a friendly fallback) */
  optional?: boolean;
}

/** The declarative half of a flow node type: what the studio palette and the validator need. */
export interface NodeTypeDefinition {
  type: string;
  /**
   * 'trigger': a node that starts the flow (the validator counts it as a start). A plugin's trigger type is fired
   * by the plugin itself: `ctx.flows.triggers` lists the published nodes of the type, `ctx.flows.start` with their
   * `nodeId` starts each for a contact (its runtime runs first, then its `next` edge). Core's `trigger.event`
   * starts flows from any installed plugin's event by itself.
   */
  category: 'trigger' | 'message' | 'logic' | 'input' | 'integration' | 'booking' | string;
  label: LocalizedText;
  description?: LocalizedText;
  /** JSON Schema of the node's settings; `x-ui` keywords carry editor hints */
  settingsSchema: JsonSchema;
  /** fixed output ports */
  ports: NodePort[];
  /** settings property holding an array whose items each get a port (e.g. buttons) */
  dynamicPorts?: { from: string; idKey: string; labelKey: string };
  /** variables this node writes: name → type */
  writes?: Record<string, string>;
  /**
   * The node calls out over the network (an extension point with network-bound contributors, an HTTP API) or
   * opens transactions of its own: the engine commits the turn up to it, runs it holding no session lock and
   * no pool connection (`input.db` is the pool; `ctx.transaction` is allowed), then goes on in a new
   * transaction if the session has not moved on meanwhile (else its result is dropped; a retry must be
   * safe, e.g. an idempotency key kept in a variable). Client updates arriving meanwhile find the dialog busy:
   * texts are ignored, buttons stale, commands restart it.
   */
  outsideTransaction?: boolean;
}

export interface NodeRunInput {
  tenantId: string;
  /**
   * Where the node reads and writes: the turn's transaction, which holds the conversation's lock; its writes
   * commit with the turn, and a node that throws has them undone. Pass it as `q` to ctx.business, ctx.config,
   * ctx.members…: ctx.db or ctx.transaction would take a second pool connection per turn and can starve the
   * pool. For an `outsideTransaction` node it is the pool.
   */
  db: Db | Tx;
  settings: Record<string, any>;
  vars: Record<string, unknown>;
  locale: Locale;
  /** the client's latest input when the node is resumed after waiting */
  /**
   * `contact.verified` is true only when the channel proved the phone is the sender's own (Telegram:
   * a shared contact whose user_id is the sender's); a typed, forwarded or web chat phone is not.
   */
  input?: { text?: string; callback?: string; contact?: { phone: string; name?: string; verified?: boolean } };
  /**
   * `id` is `telegram:<user id>`, `webchat:<session id>`, or `contact:<contact id>` for a flow started for a contact
   * no chat reaches (its messages go out by email or SMS); `channel` is 'telegram', 'webchat' or 'contact'.
   * `contactId`: the conversation's contact (ctx.contacts), null until one is known (e.g. before the client's first booking).
   */
  client: { id: string; name?: string; phone?: string; chatId?: string; channel: string; contactId?: string | null };
  /** the conversation, as ctx.contacts.identify / resolve take it; none for a flow run for a contact without a chat */
  conversation?: ConversationRef;
  flowId: string;
  nodeId: string;
  /**
   * A studio test chat with a draft: what the node does must not touch the real business (a booking is
   * marked test, holds its time briefly and is cancelled when the chat closes — core's flow.test-chat-closed).
   */
  test?: boolean;
  /**
   * What the client answered this flow's questions so far: each question step (`input`, a `choice` that saves)
   * whose variable holds a value, labelled by its question in the client's language, then the flow's other
   * declared variables that hold one (labelled by their name). Booking stores them with the booking they led to.
   */
  answers?: FlowAnswer[];
}

/** One answer of a client in a flow (`NodeRunInput.answers`). */
export interface FlowAnswer {
  variable: string;
  /** the question the step asked, else the variable's name */
  label: string;
  /** the answer as the client gave it (a choice's button label) */
  value: string;
}

/** A node's reply. Button `value`s stay on the server; channels show short callback ids. */
export interface OutgoingMessage {
  text: string;
  buttons?: Array<Array<{ label: string; value: string }>>;
  requestContact?: { label: string };
  photo?: string;
}

/** What a node run produces: messages, variable updates, and either a port to follow or a wait for input. */
export interface NodeRunResult {
  messages?: OutgoingMessage[];
  set?: Record<string, unknown>;
  next?: string;
  wait?: boolean;
}

export type NodeRuntime = (input: NodeRunInput, ctx: PluginContext) => Promise<NodeRunResult>;

/** Request helpers set by the framework. */
export interface BookflowRequest extends FastifyRequest {
  auth: AuthInfo | null;
  tenantId: string;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    roles?: RouteAccess;
    /**
     * A NUL or lone surrogate in the body is refused with a 400 naming the field ('reject', the default);
     * 'replace' turns them into U+FFFD instead, for senders that retry whatever is not a 2xx (webhooks).
     */
    badStrings?: 'reject' | 'replace';
  }
  interface FastifyRequest {
    auth: AuthInfo | null;
    /** the business this request acts on ('' before it is resolved) */
    tenantId: string;
    /** a JSON body as it came, for a webhook's signature over the raw bytes */
    rawBody?: string;
  }
}
