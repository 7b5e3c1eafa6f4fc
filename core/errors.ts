/**
 * The one error catalog. Every error a client can see has a stable code
 * `BF_ERR_<AREA>_<PROBLEM>`, an HTTP status and a "how to solve" line that
 * docs/errors.md repeats (a test keeps the two in sync). Codes are never reused:
 * retire a code by leaving it here with `retired: true`.
 */
import type { ErrorDefinition } from '../plugin-sdk.js';
import { CHANNEL_ERRORS } from './channels/errors.js';
import { FILE_ERRORS } from './files/errors.js';

export interface ErrorDetails {
  [key: string]: unknown;
}

export class BookflowError extends Error {
  readonly code: string;
  readonly statusCode: number;
  readonly details: ErrorDetails | undefined;

  constructor(code: string, message: string, statusCode: number, details?: ErrorDetails, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'BookflowError';
    this.code = code;
    this.statusCode = statusCode;
    this.details = details;
  }
}

const catalog = new Map<string, ErrorDefinition & { code: string; owner: string }>();

export function registerErrors(owner: string, defs: Record<string, ErrorDefinition>): void {
  for (const [code, def] of Object.entries(defs)) {
    if (!/^BF_ERR_[A-Z0-9]+_[A-Z0-9_]+$/.test(code)) throw new Error(`Error code ${code} of ${owner} must look like BF_ERR_<AREA>_<PROBLEM>`);
    const existing = catalog.get(code);
    if (existing && existing.owner !== owner) throw new Error(`Error code ${code} of ${owner} is already defined by ${existing.owner}`);
    catalog.set(code, { ...def, code, owner });
  }
}

/** Who registered a code (core or a plugin id): its translations live in that i18n namespace. */
export function errorOwner(code: string): string | undefined {
  return catalog.get(code)?.owner;
}

export function errorCatalog(): ReadonlyArray<ErrorDefinition & { code: string; owner: string }> {
  return [...catalog.values()].sort((a, b) => a.code.localeCompare(b.code));
}

/** Builds an error of a registered code; `{name}` placeholders in the message come from details. */
export function createError(code: string, details?: ErrorDetails, cause?: unknown): BookflowError {
  const def = catalog.get(code);
  if (!def) throw new Error(`Unknown error code ${code}: register it in the catalog first`);
  const message = def.message.replace(/\{(\w+)\}/g, (_, key: string) => String(details?.[key] ?? `{${key}}`));
  return new BookflowError(code, message, def.status, details, { cause });
}

export const CORE_ERRORS: Record<string, ErrorDefinition> = {
  BF_ERR_VALIDATION_FAILED: { status: 400, message: 'The request is not valid', solve: 'Read details.errors: each names the field path and what is wrong with it.' },
  BF_ERR_HTTP_NOT_FOUND: { status: 404, message: 'Route {method} {url} not found', solve: 'Check the URL and method against the OpenAPI document at /docs.' },
  BF_ERR_HTTP_BAD_REQUEST: { status: 400, message: 'The request could not be read: {reason}', solve: 'Send a well-formed JSON body with Content-Type: application/json.' },
  BF_ERR_HTTP_BODY_TOO_LARGE: { status: 413, message: 'The request body is larger than {limit} bytes', solve: 'Send less in one request: split a list, shorten texts, or leave out what the route does not need.' },
  BF_ERR_HTTP_BODY_TOO_DEEP: { status: 400, message: 'The request body nests deeper than {max} levels', solve: 'Flatten the JSON: no body needs more than a few levels of objects and arrays.' },
  BF_ERR_HTTP_UNSUPPORTED_MEDIA_TYPE: { status: 415, message: 'Bodies of type {contentType} are not accepted', solve: 'Send JSON with Content-Type: application/json.' },
  BF_ERR_HTTP_RATE_LIMITED: { status: 429, message: 'Too many requests, retry in {retryAfter}', solve: 'Slow down; wait for the time given in the Retry-After header.' },
  BF_ERR_SERVER_INTERNAL: { status: 500, message: 'Something went wrong on our side (request {requestId})', solve: 'Not your fault. Report the request id to support; the server log has the cause.' },
  BF_ERR_AUTH_INVALID_CREDENTIALS: { status: 401, message: 'Wrong email or password', solve: 'Check the email and password; after several failures wait a minute.' },
  BF_ERR_AUTH_REQUIRED: { status: 401, message: 'Sign in first', solve: 'Send Authorization: Bearer <token> from POST /api/v1/auth/login.' },
  BF_ERR_AUTH_TOKEN_EXPIRED: { status: 401, message: 'Your session has expired', solve: 'Sign in again to get a new token.' },
  BF_ERR_AUTH_FORBIDDEN: { status: 403, message: 'Your role {role} may not do this (needs one of {allowed})', solve: 'Ask the business owner for a role that allows it.' },
  BF_ERR_AUTH_CSRF_FAILED: { status: 403, message: 'A request signed in by cookie must carry the X-CSRF-Token header', solve: 'Send the value of the bf_csrf cookie in the X-CSRF-Token header on POST, PUT, PATCH and DELETE; API clients send Authorization: Bearer <token> instead of the cookie.' },
  BF_ERR_TENANT_NOT_FOUND: { status: 404, message: 'Business {tenant} not found', solve: 'Check the tenant slug or id; you may only use businesses you belong to.' },
  BF_ERR_TENANT_SLUG_TAKEN: { status: 409, message: 'The address {slug} is already taken', solve: 'Choose another slug.' },
  BF_ERR_TENANT_NOT_MEMBER: { status: 403, message: 'You are not a member of business {tenant}', solve: 'Ask its owner to invite you, or pick one of your businesses.' },
  BF_ERR_USER_EMAIL_TAKEN: { status: 409, message: 'A user with email {email} already exists', solve: 'Use another email, or add the existing user to the business.' },
  BF_ERR_USER_NOT_FOUND: { status: 404, message: 'User {id} not found', solve: 'Check the id; deleted users can be restored from the trash.' },
  BF_ERR_AUTH_TOO_MANY_ATTEMPTS: { status: 429, message: 'Too many sign-in attempts, retry in {retryAfter} s', solve: 'Wait details.retryAfter seconds (also the Retry-After header); the wait grows with each failure on one account, at most 5 minutes, and a successful sign-in resets it.' },
  BF_ERR_AUTH_PASSWORD_WEAK: { status: 400, message: 'Choose a password of at least {minLength} characters that is not one of the common ones', solve: 'details.reason says why (too_short, blank, common); use a longer phrase that is not a well-known password.' },
  BF_ERR_AUTH_CURRENT_PASSWORD_WRONG: { status: 403, message: 'The current password is not right', solve: 'Type the password you signed in with; repeated failures are slowed down like failed sign-ins.' },
  BF_ERR_TENANT_SIGNUP_CLOSED: { status: 403, message: 'This account may not create businesses on this server', solve: 'The operator decides who may with ALLOW_SIGNUP (see README, Environment); ask them, or ask an owner to invite you to their business.' },
  BF_ERR_MEMBER_LAST_OWNER: { status: 409, message: 'The business must keep at least one owner', solve: 'Make another member an owner first, then change or remove this one.' },
  BF_ERR_MEMBER_INVITATION_REQUIRED: { status: 410, message: 'Team members are added by invitation', solve: 'POST /api/v1/members/invitations {email, role}; the invitee opens the link and accepts it themselves.' },
  BF_ERR_MEMBER_EXISTS: { status: 409, message: 'This email already belongs to a member of the business', solve: 'Find them in GET /api/v1/members; remove them first to invite them again with another role.' },
  BF_ERR_INVITATION_NOT_FOUND: { status: 404, message: 'This invitation is not valid: it was used, withdrawn or never existed', solve: 'Ask the business for a new invitation link.' },
  BF_ERR_INVITATION_EXPIRED: { status: 410, message: 'This invitation has expired', solve: 'Ask the business for a new invitation link; links last 7 days.' },
  BF_ERR_INVITATION_WRONG_ACCOUNT: { status: 403, message: 'The invitation is for another account than the one you are signed in with', solve: 'Sign out, then open the link again and sign in as the invited email.' },
  BF_ERR_INVITATION_PASSWORD_REQUIRED: { status: 400, message: 'A password is needed to accept this invitation', solve: 'A new account chooses its password in body.password; an existing account signs in (Authorization: Bearer) or gives its current password.' },
  BF_ERR_PLUGIN_MANIFEST_INVALID: { status: 500, message: 'Plugin manifest {file} is invalid', solve: 'Fix the fields listed in details.errors; see plugins/example/plugin.json.' },
  BF_ERR_PLUGIN_DEPENDENCY_MISSING: { status: 500, message: 'Plugin {plugin} needs {dependency}, which is not installed', solve: 'Install the missing plugin or remove the dependency.' },
  BF_ERR_PLUGIN_DEPENDENCY_CYCLE: { status: 500, message: 'Plugins depend on each other in a cycle: {cycle}', solve: 'Break the cycle: move the shared part into one plugin.' },
  BF_ERR_PLUGIN_VERSION_MISMATCH: { status: 500, message: 'Plugin {plugin} needs {needs} {range}, found {found}', solve: 'Upgrade or downgrade one of them so the version ranges meet.' },
  BF_ERR_PLUGIN_DUPLICATE: { status: 500, message: 'Two plugins have the id {plugin}', solve: 'Plugin ids must be unique; rename one folder and its manifest id.' },
  BF_ERR_PLUGIN_NOT_FOUND: { status: 404, message: 'Plugin {plugin} not found', solve: 'List the installed plugins with GET /api/v1/plugins.' },
  BF_ERR_PLUGIN_CONFIG_INVALID: { status: 400, message: 'The settings of plugin {plugin} are not valid', solve: 'Fix the fields in details.errors; the previous settings stay in force.' },
  BF_ERR_PLUGIN_DISABLED: { status: 404, message: 'Plugin {plugin} is not enabled for this business', solve: 'Enable it in the studio under Settings → Plugins.' },
  BF_ERR_PLUGIN_REQUIRED_BY: { status: 409, message: 'Plugin {plugin} is needed by enabled plugin {dependent}', solve: 'Disable the dependent plugin first.' },
  BF_ERR_PLUGIN_SERVICE_FORBIDDEN: { status: 500, message: 'Plugin {plugin} uses the service of {service} without depending on it', solve: 'List the plugin offering the service under dependencies in plugin.json.' },
  BF_ERR_PLUGIN_SERVICE_MISSING: { status: 500, message: 'Plugin {service} offers no service', solve: 'Export service(ctx) from its server.ts, or stop calling ctx.service for it.' },
  BF_ERR_PLUGIN_EXTENSION_UNDECLARED: { status: 500, message: 'Plugin {plugin} contributes to {point}, which none of its dependencies declares', solve: 'Depend on the point\'s owner in plugin.json, and check the point\'s name in the owner\'s contract.ts and manifest extensionPoints.' },
  BF_ERR_PLUGIN_EXTENSION_MISUSED: { status: 500, message: 'Plugin {plugin} called {point} as a {kind} point, which it does not own as one', solve: 'Only the owner calls a point, with the kind its manifest extensionPoints declares; other plugins contribute in server.ts extensions.' },
  BF_ERR_TRASH_NOT_FOUND: { status: 404, message: 'Nothing deleted with id {id} in {entity}', solve: 'List the trash with GET /api/v1/trash to find restorable items.' },
  BF_ERR_TRASH_UNKNOWN_ENTITY: { status: 400, message: 'Items of kind {entity} cannot be restored', solve: 'Use one of the kinds listed by GET /api/v1/trash.' },
  BF_ERR_TRASH_CONFLICT: { status: 409, message: 'Restoring {id} of {entity} would clash with an existing item', solve: 'Another item now uses the same unique value (details.constraint names it); change or delete that one, then restore again.' },
  BF_ERR_CONTACT_NOT_FOUND: { status: 404, message: 'Contact {id} not found', solve: 'Search contacts with GET /api/v1/contacts?q= (name, phone in any format, email); a merged contact answers as the one it was merged into.' },
  BF_ERR_CONTACT_PHONE_INVALID: { status: 400, message: 'Phone number {phone} is not valid', solve: 'Send a phone number, with its country code or as the business\'s country dials it (e.g. +79161234567 or 8 916 123-45-67 in Russia).' },
  BF_ERR_CONTACT_EMAIL_INVALID: { status: 400, message: 'Email {email} is not valid', solve: 'Send an address like name@example.com.' },
  BF_ERR_CONTACT_PHONE_TAKEN: { status: 409, message: 'Another contact already has the phone {phone}', solve: 'Find that contact with GET /api/v1/contacts?q=<phone> and use it, or merge the two (POST /api/v1/contacts/{id}/merge).' },
  BF_ERR_CONTACT_EMAIL_TAKEN: { status: 409, message: 'Another contact already has the email {email}', solve: 'Find that contact with GET /api/v1/contacts?q=<email> and use it, or merge the two (POST /api/v1/contacts/{id}/merge).' },
  BF_ERR_CONTACT_IDENTITY_TAKEN: { status: 409, message: 'This chat, phone or email already belongs to another contact', solve: 'Find the contact holding it with GET /api/v1/contacts?q= and merge the two (POST /api/v1/contacts/{id}/merge).' },
  BF_ERR_CONTACT_MERGE_SELF: { status: 400, message: 'A contact cannot be merged into itself', solve: 'Send the id of the other contact (the duplicate) in otherId.' },
  BF_ERR_CONTACT_TIMEZONE_INVALID: { status: 400, message: 'Time zone {timezone} is not known', solve: 'Use an IANA zone name such as Europe/Moscow, or null for the business\'s zone.' },
  BF_ERR_AUDIT_NOT_FOUND: { status: 404, message: 'Audit entry {id} not found', solve: 'Check the id in GET /api/v1/audit.' },
  BF_ERR_DB_UNIQUE_VIOLATION: { status: 409, message: 'Another item already has this value ({constraint})', solve: 'Change the value named in details.field (or by the constraint) to one not in use, or change the item that holds it.' },
  BF_ERR_DB_REFERENCE_NOT_FOUND: { status: 404, message: '{field} refers to something that does not exist', solve: 'Check the id in details.field: it must name an existing item of this business (list them first).' },
  BF_ERR_DB_REFERENCE_IN_USE: { status: 409, message: 'Other items still refer to this one', solve: 'Remove or change the items that refer to it first (details.constraint names the link).' },
  BF_ERR_DB_VALUE_INVALID: { status: 400, message: 'A value cannot be stored: {reason}', solve: 'Fix the value named in details.field (or described by the reason): out of range, too long or malformed for its column.' },
  BF_ERR_EVENT_UNKNOWN: { status: 500, message: 'Event type {type} is not declared', solve: 'Declare it with a payload schema: plugins in plugin.json `events`, core in CORE_EVENTS (core/outbox/catalog.ts); see docs/events.md.' },
  BF_ERR_EVENT_PAYLOAD_INVALID: { status: 500, message: 'The payload of event {type} does not match its schema', solve: 'A bug in the emitting code: fix the fields in details.errors, or change the declared schema (and run `npm run docs:events`).' },
  BF_ERR_EVENT_DUPLICATE: { status: 500, message: 'Event type {type} of {owner} is already declared by {declaredBy}', solve: 'Event types are unique: a plugin declares only types starting with its own id and a dot.' },
  BF_ERR_EVENT_UNDECLARED_HANDLER: { status: 500, message: 'Plugin {plugin} handles event {type}, which nobody declares', solve: 'Fix the event type in the plugin\'s server `events` (see docs/events.md), or install the plugin that declares it.' },
  BF_ERR_EVENT_DELIVERY_NOT_FOUND: { status: 404, message: 'No dead-letter delivery {id}', solve: 'List them with GET /api/v1/events/dead; a delivery already retried is no longer there.' },
  BF_ERR_DB_UNAVAILABLE: { status: 503, message: 'The database is not reachable', solve: 'Check DATABASE_URL or the embedded server logs; retry shortly.' },
  BF_ERR_CONFIG_INVALID: { status: 500, message: 'Environment variable {name} is invalid: {reason}', solve: 'Fix the variable; README lists every variable and its format.' },
  BF_ERR_SECRET_UNREADABLE: { status: 500, message: 'A stored secret cannot be decrypted', solve: 'The key in DATA_DIR/secret.key (or BOOKFLOW_SECRET_KEY) changed; restore the original key.' },
  BF_ERR_JOB_UNKNOWN: { status: 500, message: 'Plugin {plugin} has no job {name}', solve: 'Schedule only jobs the plugin declares in its server.ts `jobs` (the name without the `<plugin id>.` prefix).' },
  BF_ERR_FLOW_NOT_FOUND: { status: 404, message: 'Flow {id} not found', solve: 'List the flows with GET /api/v1/flows; deleted flows are restored from the trash.' },
  BF_ERR_FLOW_KEY_TAKEN: { status: 409, message: 'Another flow already has the key {key}', solve: 'Choose another key: keys are unique within a business (jump nodes refer to them).' },
  BF_ERR_FLOW_DRAFT_MALFORMED: { status: 400, message: 'The draft of flow {key} is not a well-formed flow graph yet', solve: 'Fix the items of details.errors (JSON paths given) in the editor, or import a valid flow JSON.' },
  BF_ERR_FLOW_INVALID: { status: 400, message: 'The flow has {count} problem(s) and cannot be published', solve: 'Fix each item of details.errors (node id and JSON path given), or check with POST /api/v1/flows/validate.' },
  BF_ERR_FLOW_VERSION_NOT_FOUND: { status: 404, message: 'Flow {id} has no published version {version}', solve: 'List the versions with GET /api/v1/flows/{id}/versions.' },
  BF_ERR_FLOW_NOT_PUBLISHED: { status: 409, message: 'Flow {key} has no published version', solve: 'Publish the flow in the studio first (or test its draft in the test chat).' },
  BF_ERR_FLOW_NODE_FAILED: { status: 500, message: 'Node {nodeId} of flow {flowId} failed: {reason}', solve: 'Check the node settings; connect its error port to handle the failure in the flow.' },
  BF_ERR_FLOW_NODE_TYPE_UNKNOWN: { status: 500, message: 'Node {nodeId} has type {type}, which no enabled plugin provides', solve: 'Enable the plugin that provides the node type, or replace the node and publish again.' },
  BF_ERR_FLOW_START_INVALID: { status: 400, message: 'A flow start is not valid', solve: 'A plugin called ctx.flows.start with bad input: fix the fields in details.errors (contactId and tenantId are uuids, flowKey a flow key, at a Date).' },
  BF_ERR_TASK_NOT_FOUND: { status: 404, message: 'Task {id} not found', solve: 'List your tasks with GET /api/v1/tasks; a task another role handles is not shown to you.' },
  BF_ERR_TASK_CLOSED: { status: 409, message: 'Task {id} is already {status}', solve: 'Closed tasks do not change; add a new task if there is more to do.' },
  BF_ERR_TASK_SNOOZE_PAST: { status: 400, message: 'Snooze until {until}: that time has passed', solve: 'Send a time in the future (ISO 8601 with an offset) in `until`.' },
  BF_ERR_SEGMENT_NOT_FOUND: { status: 404, message: 'Segment {id} not found', solve: 'List the segments with GET /api/v1/segments; deleted ones are restored from the trash.' },
  BF_ERR_SEGMENT_RULE_INVALID: { status: 400, message: 'The segment rule is not valid', solve: 'Fix each item of details.errors (JSON path given); GET /api/v1/segments/fields lists the fields, their operators and the rules\' JSON Schema.' },
  BF_ERR_SEGMENT_BUILT_IN: { status: 409, message: 'The built-in segment {id} cannot be changed or deleted', solve: 'Create a segment of your own (POST /api/v1/segments) and change that one.' },
  BF_ERR_SEGMENT_NAME_TAKEN: { status: 409, message: 'Another segment is already called {name}', solve: 'Choose another name: segment names are unique within a business.' },
  BF_ERR_SEGMENT_FIELD_UNAVAILABLE: { status: 409, message: 'The segment uses field {field}, which this business no longer has', solve: 'Enable the plugin that offers the field again, or edit the segment\'s rule (details.path points at the condition).' },
  BF_ERR_SEGMENT_FIELD_INVALID: { status: 500, message: 'Plugin {plugin} offers segment field {key} that is not valid: {reason}', solve: 'Fix the field in the plugin\'s server.ts segmentFields (see SegmentFieldDefinition in plugin-sdk.d.ts).' },
  BF_ERR_BOT_NOT_FOUND: { status: 404, message: 'Bot {id} not found', solve: 'List the bots with GET /api/v1/bots.' },
  BF_ERR_BOT_TOKEN_INVALID: { status: 400, message: 'Telegram did not accept the bot token: {reason}', solve: 'Copy the token again from @BotFather (it looks like 123456:ABC-...).' },
  BF_ERR_BOT_TOKEN_TAKEN: { status: 409, message: 'The bot @{username} is already connected', solve: 'A bot can serve one business; disconnect it there first or create another bot in @BotFather.' },
  BF_ERR_BOT_WEBHOOK_FORBIDDEN: { status: 401, message: 'The webhook secret does not match', solve: 'Telegram sends the secret set by setWebhook; reconnect the bot (PATCH /api/v1/bots/{id}) to set it again.' },
  BF_ERR_WEBCHAT_SESSION_NOT_FOUND: { status: 404, message: 'Chat session {id} not found', solve: 'Start a new chat with POST .../webchat/sessions.' },
  BF_ERR_WEBCHAT_MESSAGE_EMPTY: { status: 400, message: 'Send text, a button callback or a contact', solve: 'Put one of text, callback or contact in the body.' },
  BF_ERR_WEBCHAT_TOO_MANY_STREAMS: { status: 429, message: 'This chat already has {max} open event streams', solve: 'Close another tab or event stream of this chat, then connect again.' },
  BF_ERR_WEBCHAT_ADDRESS_STREAMS: { status: 429, message: 'Your address already has {max} open chat event streams', solve: 'Close chats open in other tabs or on other devices behind the same address, then connect again; the operator can raise WEBCHAT_MAX_STREAMS_PER_ADDRESS.' },
  BF_ERR_WEBCHAT_STREAMS_FULL: { status: 429, message: 'The server already holds {max} open chat event streams', solve: 'Connect again in a minute; the operator can raise WEBCHAT_MAX_STREAMS.' },
  ...CHANNEL_ERRORS,
  ...FILE_ERRORS,
  BF_ERR_WEBCHAT_SESSION_IDLE: { status: 409, message: 'This chat has had no messages for {seconds} seconds, so its event stream is closed', solve: 'Send a message to the chat (POST .../messages), then open the event stream again with Last-Event-ID to get what was missed.' },
  BF_ERR_MESSAGE_INVALID: { status: 400, message: 'The message is not valid', solve: 'Fix the fields listed in details.errors: a text (or texts per language with en), buttons of one kind each (action, flow, url, webApp), a recipient and an idempotency key.' },
  BF_ERR_MESSAGE_NOT_FOUND: { status: 404, message: 'Message {id} not found', solve: 'Use an id returned by POST /api/v1/messages or listed in GET /api/v1/contacts/:id/messages.' },
  BF_ERR_CHANNEL_DUPLICATE: { status: 500, message: 'Channel {kind} of {owner} is already provided by {registeredBy}', solve: 'One adapter per identity kind: remove the plugin that provides the same channel, or give it a kind of its own.' },
};

registerErrors('core', CORE_ERRORS);
