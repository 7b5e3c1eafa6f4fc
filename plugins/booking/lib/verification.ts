import crypto from 'node:crypto';
import { sql } from 'kysely';
import type { Locale, PluginContext } from '../../../plugin-sdk.js';
import type { VerificationMessage } from '../contract.js';
import { normalizePhone } from './clients.js';

export interface Contact {
  channel: 'phone' | 'email';
  /** E.164 phone or lower-case email */
  contact: string;
}


export const CODE_MINUTES = 10;
const TOKEN_MINUTES = 30;
const MAX_ATTEMPTS = 5;
/** codes per contact in one business, and per address across businesses, in an hour */
const PER_CONTACT_PER_HOUR = 5;
const PER_ADDRESS_PER_HOUR = 20;
const MINUTE = 60_000;

const sha256 = (s: string) => crypto.createHash('sha256').update(s).digest('hex');
// Salted by the row id: two requests with the same code do not share a hash.
const codeHash = (id: string, code: string) => sha256(`${id}:${code}`);

/** How a waitlist entry names its contact: 'phone:+7…' or 'email:…'. */
export const contactKey = (c: Contact) => `${c.channel}:${c.contact}`;

export async function toContact(ctx: PluginContext, tenantId: string, input: { phone?: string; email?: string }): Promise<Contact> {
  return input.phone ? { channel: 'phone', contact: await normalizePhone(ctx, tenantId, input.phone) } : { channel: 'email', contact: input.email!.trim().toLowerCase() };
}

/**
 * Creates a one-time code for the contact (stored hashed) and hands it to a sender. Until a messaging plugin provides
 * `booking.sendVerificationCode`, the code is written to the server log for staff to relay; it is never part of the response.
 */
export async function requestVerification(ctx: PluginContext, tenantId: string, c: Contact, ip: string, locale: Locale): Promise<{ id: string; channel: string; expiresAt: string }> {
  const id = crypto.randomUUID();
  const code = crypto.randomInt(0, 1_000_000).toString().padStart(6, '0');
  const expiresAt = new Date(ctx.now().getTime() + CODE_MINUTES * MINUTE);
  await ctx.transaction(async (trx) => {
    // One address and one contact at a time, so parallel requests cannot pass the counts together.
    await sql`SELECT pg_advisory_xact_lock(hashtext('booking-verify-ip'), hashtext(${ip}::text))`.execute(trx);
    await sql`SELECT pg_advisory_xact_lock(hashtext(${tenantId}::text), hashtext(${`booking-verify:${contactKey(c)}`}::text))`.execute(trx);
    const { rows: [n] } = await sql<{ byContact: number; byAddress: number; oldestContact: Date | null; oldestAddress: Date | null }>`SELECT
        count(*) FILTER (WHERE tenant_id = ${tenantId} AND contact = ${c.contact})::int AS "byContact",
        count(*) FILTER (WHERE ip = ${ip})::int AS "byAddress",
        min(created_at) FILTER (WHERE tenant_id = ${tenantId} AND contact = ${c.contact}) AS "oldestContact",
        min(created_at) FILTER (WHERE ip = ${ip}) AS "oldestAddress"
      FROM booking_verifications WHERE created_at > now() - interval '1 hour' AND (ip = ${ip} OR (tenant_id = ${tenantId} AND contact = ${c.contact}))`.execute(trx);
    const oldest = n.byContact >= PER_CONTACT_PER_HOUR ? n.oldestContact : n.byAddress >= PER_ADDRESS_PER_HOUR ? n.oldestAddress : null;
    // real time: created_at is the database's stamp, and the window above is on its now()
    if (oldest) throw ctx.error('BF_ERR_BOOKING_VERIFICATION_RATE_LIMITED', { minutes: Math.max(1, Math.ceil((new Date(oldest).getTime() + 60 * MINUTE - Date.now()) / MINUTE)) });
    await trx.insertInto('booking_verifications').values({ tenant_id: tenantId, id, channel: c.channel, contact: c.contact, code_hash: codeHash(id, code), expires_at: expiresAt, ip }).execute();
    await ctx.audit(trx, { tenantId, actorId: null, entity: 'booking_verification', entityId: id, action: 'create', after: { channel: c.channel, contact: c.contact, ip, expiresAt } });
  });
  const message: VerificationMessage = { tenantId, channel: c.channel, to: c.contact, code, text: ctx.t(locale, 'verificationCode', { code, minutes: CODE_MINUTES }), locale };
  const { results } = await ctx.extensions.collect(tenantId, 'booking.sendVerificationCode', message);
  if (!results.some((r) => r.value === true)) ctx.log.warn({ tenantId, verificationId: id, channel: c.channel, to: c.contact, code }, 'booking verification code: no messaging channel delivers it yet');
  return { id, channel: c.channel, expiresAt: expiresAt.toISOString() };
}

/** Checks the code (at most MAX_ATTEMPTS wrong ones, counted under the row lock); the right one gets a short-lived token. */
export async function confirmVerification(ctx: PluginContext, tenantId: string, id: string, code: string): Promise<{ verificationToken: string; expiresAt: string }> {
  const token = crypto.randomBytes(32).toString('base64url');
  const expiresAt = new Date(ctx.now().getTime() + TOKEN_MINUTES * MINUTE);
  // A wrong attempt is counted (committed) before it is answered.
  const outcome = await ctx.transaction(async (trx) => {
    const v = await trx.selectFrom('booking_verifications').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).forUpdate().executeTakeFirst();
    if (!v || v.confirmed_at || v.attempts >= MAX_ATTEMPTS || new Date(v.expires_at) <= ctx.now()) return { expired: true } as const;
    if (!crypto.timingSafeEqual(Buffer.from(codeHash(id, code)), Buffer.from(v.code_hash as string))) {
      await trx.updateTable('booking_verifications').set({ attempts: v.attempts + 1 }).where('tenant_id', '=', tenantId).where('id', '=', id).execute();
      return { attemptsLeft: MAX_ATTEMPTS - v.attempts - 1 } as const;
    }
    await trx.updateTable('booking_verifications').set({ confirmed_at: ctx.now(), token_hash: sha256(token), token_expires_at: expiresAt }).where('tenant_id', '=', tenantId).where('id', '=', id).execute();
    await ctx.audit(trx, { tenantId, actorId: null, entity: 'booking_verification', entityId: id, action: 'confirm', after: { channel: v.channel, contact: v.contact } });
    return { ok: true } as const;
  });
  if ('expired' in outcome) throw ctx.error('BF_ERR_BOOKING_VERIFICATION_EXPIRED');
  if ('attemptsLeft' in outcome) throw ctx.error('BF_ERR_BOOKING_VERIFICATION_CODE_WRONG', { attemptsLeft: outcome.attemptsLeft });
  return { verificationToken: token, expiresAt: expiresAt.toISOString() };
}

/** The contact a token proves (it may be used until it expires), or BF_ERR_BOOKING_VERIFICATION_INVALID. */
export async function provenContact(ctx: PluginContext, tenantId: string, token: string): Promise<Contact> {
  const row = await ctx.db.selectFrom('booking_verifications').select(['channel', 'contact']).where('tenant_id', '=', tenantId).where('token_hash', '=', sha256(token))
    .where('token_expires_at', '>', ctx.now()).executeTakeFirst();
  if (!row) throw ctx.error('BF_ERR_BOOKING_VERIFICATION_INVALID');
  return { channel: row.channel, contact: row.contact };
}

/** Codes and tokens are short-lived; rows older than a day only served the hourly counts. */
export async function purgeVerifications(ctx: PluginContext): Promise<void> {
  // real time: created_at is the database's stamp
  await ctx.db.deleteFrom('booking_verifications').where('created_at', '<', new Date(Date.now() - 24 * 60 * MINUTE)).execute();
}
