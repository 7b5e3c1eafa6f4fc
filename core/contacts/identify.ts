import type { Contact, IdentifyInput, Tx } from '../../plugin-sdk.js';
import { createError } from '../errors.js';
import { toE164 } from './phone.js';
import { addIdentity, conversationKey, createContact, holderOf, lockIdentity, type IdentityKey } from './store.js';

export interface IdentifyDeps {
  now(): Date;
  country(tenantId: string, q: Tx): Promise<string>;
  /** merges `mergedId` into `keptId` on this transaction (plugins hear of it) */
  merge(trx: Tx, tenantId: string, keptId: string, mergedId: string): Promise<void>;
}

const EMAIL = /^[^\s@]{1,64}@[^\s@]+\.[^\s@]{2,}$/;

export function normalizeEmail(raw: string): string {
  const email = raw.trim().toLowerCase();
  if (email.length > 254 || !EMAIL.test(email)) throw createError('BF_ERR_CONTACT_EMAIL_INVALID', { email: raw.slice(0, 100) });
  return email;
}

export async function normalizePhoneOrFail(trx: Tx, tenantId: string, raw: string, deps: Pick<IdentifyDeps, 'country'>): Promise<string> {
  const phone = toE164(raw, await deps.country(tenantId, trx));
  if (!phone) throw createError('BF_ERR_CONTACT_PHONE_INVALID', { phone: raw.slice(0, 64) });
  return phone;
}

interface Claim { key: IdentityKey; verified: boolean; skip?: boolean }

/**
 * The rules of Contacts.identify (plugin-sdk.d.ts), returning the contact's id:
 * - a conversation finds its own contact; a verified phone or email found on another contact joins them: the
 *   conversation's contact is merged into the holder, who is the person the channel proved the chat to be;
 * - an unverified phone or email is only noted on the caller's own contact: it never finds anyone, so typing
 *   someone's number neither reaches their record nor squats it;
 * - without a conversation, the business's own entry (not anonymous) finds the holder of its phone or email,
 *   an anonymous caller's unverified phone gets a contact of its own.
 * Identities are locked in one order (conversation, phone, email), so concurrent calls meet instead of duplicating.
 * A contact made here comes back whole; one found comes back as its id, for the caller to read.
 */
export async function identifyContact(trx: Tx, tenantId: string, input: IdentifyInput, deps: IdentifyDeps): Promise<{ id: string; created?: Contact }> {
  const trusted = !input.conversation && !input.anonymous;
  const claims: Claim[] = [];
  if (input.phone?.trim()) claims.push({ key: { kind: 'phone', value: await normalizePhoneOrFail(trx, tenantId, input.phone, deps) }, verified: trusted || input.phoneVerified === true });
  if (input.email?.trim()) claims.push({ key: { kind: 'email', value: normalizeEmail(input.email) }, verified: trusted || input.emailVerified === true });
  const conversation = input.conversation ? conversationKey(input.conversation) : null;
  if (conversation?.kind === 'telegram' && !conversation.botId) throw new Error('a Telegram conversation needs its botId');

  if (conversation) await lockIdentity(trx, tenantId, conversation);
  for (const c of claims) await lockIdentity(trx, tenantId, c.key);
  const chatOwn = conversation ? await holderOf(trx, tenantId, conversation) : null;
  let own = chatOwn;
  for (const c of claims.filter((x) => x.verified)) {
    const holder = await holderOf(trx, tenantId, c.key, { verifiedOnly: true });
    if (!holder || holder === own) continue;
    if (!own) {
      own = holder;
    } else if (own === chatOwn) {
      await deps.merge(trx, tenantId, holder, own);
      own = holder;
    } else {
      // Held by a third contact: two others are not joined on the caller's word.
      c.skip = true;
    }
  }
  const now = deps.now();
  const adding = [...(conversation ? [{ key: conversation, verified: true }] : []), ...claims.filter((x) => !x.skip)];
  if (!own) {
    const first = claims[0]?.key.value;
    const created = await createContact(trx, tenantId, { name: input.name?.trim().slice(0, 200) || first || '—', locale: input.locale ?? null }, adding, now);
    return { id: created.id, created };
  }
  for (const c of adding) await addIdentity(trx, tenantId, own, c.key, c.verified, now);
  return { id: own };
}
