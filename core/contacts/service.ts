import { sql, type RawBuilder } from 'kysely';
import { IANAZone } from 'luxon';
import type { Contact, ContactPatch, Contacts, ConversationRef, Db, IdentifyInput, NewContact, Tx } from '../../plugin-sdk.js';
import { createError } from '../errors.js';
import { writeAudit } from '../audit.js';
import type { Clock } from '../clock.js';
import type { BusinessProfiles } from '../tenants/profile.js';
import { identifyContact, normalizeEmail, normalizePhoneOrFail } from './identify.js';
import { mergeContacts, restoreContact, type MergeHooks } from './merge.js';
import { searchContacts } from './search.js';
import { eraseContact } from './erase.js';
import { toE164 } from './phone.js';
import { conversationKey, createContact, holderOf, liveId, loadContacts, lockIdentity, type IdentityKey } from './store.js';

type Q = Db | Tx;

/** `ctx.contacts` for every plugin, and core's own use of contacts (the engine, the routes, the trash). */
export class ContactService implements Contacts {
  constructor(private readonly db: Db, private readonly profiles: BusinessProfiles, private readonly clock: Clock, private readonly hooks: MergeHooks) {}

  /** The business's country (ISO 3166 alpha-2), the region of phones written without a code. */
  readonly country = async (tenantId: string, q: Q = this.db) => (await this.profiles.get(tenantId, q)).country;

  async identify(trx: Tx, tenantId: string, input: IdentifyInput): Promise<Contact> {
    const { id, created } = await identifyContact(trx, tenantId, input, {
      now: () => this.clock.now(), country: this.country,
      merge: (t, tenant, keptId, mergedId) => mergeContacts(t, tenant, keptId, mergedId, null, this.clock.now(), this.hooks),
    });
    return created ?? (await loadContacts(trx, tenantId, [id]))[0];
  }

  async resolve(q: Q, tenantId: string, conversation: ConversationRef): Promise<Contact | null> {
    const id = await holderOf(q, tenantId, conversationKey(conversation));
    return id ? this.get(q, tenantId, id) : null;
  }

  /** The engine's one statement per turn: the conversation's contact id, its last-seen stamp moved to now. */
  async touch(trx: Tx, tenantId: string, conversation: ConversationRef): Promise<string | null> {
    const { rows } = await this.touchStatement(tenantId, conversation).execute(trx);
    return rows[0]?.id ?? null;
  }

  /**
   * touch() as SQL, for a caller that makes it part of a statement of its own (the engine's first of a turn, as a
   * WITH query); `after`: a condition the update waits for (a query of that statement it must come after).
   */
  touchStatement(tenantId: string, conversation: ConversationRef, after: RawBuilder<unknown> = sql`TRUE`): RawBuilder<{ id: string }> {
    const key = conversationKey(conversation);
    return sql<{ id: string }>`UPDATE contacts c SET last_seen_at = ${this.clock.now()} FROM contact_identities i
      WHERE i.tenant_id = ${tenantId} AND i.kind = ${key.kind} AND i.bot_id = ${key.botId ?? ''} AND i.value = ${key.value} AND i.deleted_at IS NULL
        AND c.tenant_id = i.tenant_id AND c.id = i.contact_id AND c.deleted_at IS NULL AND ${after}
      RETURNING c.id`;
  }

  liveId(q: Q, tenantId: string, contactId: string): Promise<string | null> {
    return liveId(q, tenantId, contactId);
  }

  async get(q: Q, tenantId: string, contactId: string): Promise<Contact | null> {
    const id = await liveId(q, tenantId, contactId);
    return id ? (await loadContacts(q, tenantId, [id]))[0] ?? null : null;
  }

  getMany(q: Q, tenantId: string, contactIds: string[]): Promise<Contact[]> {
    return loadContacts(q, tenantId, contactIds);
  }

  async findByPhone(q: Q, tenantId: string, phone: string): Promise<Contact | null> {
    const e164 = toE164(phone, await this.country(tenantId, q));
    return e164 ? this.byIdentity(q, tenantId, { kind: 'phone', value: e164 }) : null;
  }

  async findByEmail(q: Q, tenantId: string, email: string): Promise<Contact | null> {
    const value = email.trim().toLowerCase();
    return value ? this.byIdentity(q, tenantId, { kind: 'email', value }) : null;
  }

  async search(q: Q, tenantId: string, opts: { q?: string; limit?: number; offset?: number }): Promise<{ items: Contact[]; total: number }> {
    const { ids, total } = await searchContacts(q, tenantId, { ...opts, country: await this.country(tenantId, q) });
    return { items: await loadContacts(q, tenantId, ids), total };
  }

  async normalizePhone(tenantId: string, phone: string, q: Q = this.db): Promise<string | null> {
    return toE164(phone, await this.country(tenantId, q));
  }

  async create(trx: Tx, tenantId: string, input: NewContact, actorId: string | null): Promise<Contact> {
    const keys: IdentityKey[] = [];
    if (input.phone?.trim()) keys.push({ kind: 'phone', value: await normalizePhoneOrFail(trx, tenantId, input.phone, { country: this.country }) });
    if (input.email?.trim()) keys.push({ kind: 'email', value: normalizeEmail(input.email) });
    for (const key of keys) await lockIdentity(trx, tenantId, key);
    for (const key of keys) {
      if (await holderOf(trx, tenantId, key, { verifiedOnly: true })) throw createError(key.kind === 'phone' ? 'BF_ERR_CONTACT_PHONE_TAKEN' : 'BF_ERR_CONTACT_EMAIL_TAKEN', { [key.kind]: key.value });
    }
    validZone(input.timezone);
    const now = this.clock.now();
    const created = await createContact(trx, tenantId, {
      name: input.name.trim(), locale: input.locale ?? null, timezone: input.timezone ?? null, birthday: input.birthday ?? null, tags: normalTags(input.tags ?? []), notes: input.notes ?? '',
    }, keys.map((key) => ({ key, verified: true })), now);
    await writeAudit(trx, { tenantId, actorId, entity: 'contact', entityId: created.id, action: 'create', after: created });
    return created;
  }

  async update(trx: Tx, tenantId: string, contactId: string, patch: ContactPatch, actorId: string | null): Promise<Contact> {
    const id = await liveId(trx, tenantId, contactId);
    const row = id && await trx.selectFrom('contacts').select(['id', 'consent']).where('tenant_id', '=', tenantId).where('id', '=', id).forUpdate().executeTakeFirst();
    if (!id || !row) throw createError('BF_ERR_CONTACT_NOT_FOUND', { id: contactId });
    const [before] = await loadContacts(trx, tenantId, [id]);
    validZone(patch.timezone);
    const now = this.clock.now();
    const marketing = patch.consent?.marketing;
    await trx.updateTable('contacts').set({
      ...(patch.name !== undefined ? { name: patch.name.trim() } : {}),
      ...(patch.locale !== undefined ? { locale: patch.locale } : {}),
      ...(patch.timezone !== undefined ? { timezone: patch.timezone } : {}),
      ...(patch.birthday !== undefined ? { birthday: patch.birthday } : {}),
      ...(patch.tags !== undefined ? { tags: normalTags(patch.tags) } : {}),
      ...(patch.notes !== undefined ? { notes: patch.notes } : {}),
      ...(marketing !== undefined ? { consent: JSON.stringify({ ...row.consent, marketing: { granted: marketing, at: now.toISOString(), source: patch.consent?.source ?? (actorId ? 'staff' : 'system') } }) } : {}),
      updated_at: now,
    }).where('tenant_id', '=', tenantId).where('id', '=', id).execute();
    const [after] = await loadContacts(trx, tenantId, [id]);
    await writeAudit(trx, { tenantId, actorId, entity: 'contact', entityId: id, action: 'update', before, after });
    return after;
  }

  async merge(trx: Tx, tenantId: string, keptId: string, mergedId: string, actorId: string | null): Promise<Contact> {
    const [kept, merged] = await Promise.all([liveId(trx, tenantId, keptId), liveId(trx, tenantId, mergedId)]);
    if (!kept || !merged) throw createError('BF_ERR_CONTACT_NOT_FOUND', { id: kept ? mergedId : keptId });
    await mergeContacts(trx, tenantId, kept, merged, actorId, this.clock.now(), this.hooks);
    return (await loadContacts(trx, tenantId, [kept]))[0];
  }

  /** Into the trash with its identities (so a new contact may take its chat or phone); restore brings both back. */
  async remove(trx: Tx, tenantId: string, contactId: string, actorId: string | null): Promise<void> {
    const [before] = await loadContacts(trx, tenantId, [contactId]);
    if (!before) throw createError('BF_ERR_CONTACT_NOT_FOUND', { id: contactId });
    const now = this.clock.now();
    await trx.updateTable('contacts').set({ deleted_at: now, updated_at: now }).where('tenant_id', '=', tenantId).where('id', '=', contactId).execute();
    await trx.updateTable('contact_identities').set({ deleted_at: now }).where('tenant_id', '=', tenantId).where('contact_id', '=', contactId).where('deleted_at', 'is', null).execute();
    await writeAudit(trx, { tenantId, actorId, entity: 'contact', entityId: contactId, action: 'delete', before });
  }

  /** Erases the contact on request (see eraseContact); irreversible. */
  erase(trx: Tx, tenantId: string, contactId: string, actorId: string | null): Promise<void> {
    return eraseContact(trx, tenantId, contactId, actorId, this.clock.now(), this.hooks.erased);
  }

  /** The trash's restore of a contact (see restoreContact). */
  restore(trx: Tx, tenantId: string, contactId: string): Promise<Record<string, unknown> | undefined> {
    return restoreContact(trx, tenantId, contactId, this.clock.now(), this.hooks);
  }

  private async byIdentity(q: Q, tenantId: string, key: IdentityKey): Promise<Contact | null> {
    const id = await holderOf(q, tenantId, key);
    return id ? (await loadContacts(q, tenantId, [id]))[0] ?? null : null;
  }
}

function validZone(zone: string | null | undefined): void {
  if (zone && !IANAZone.isValidZone(zone)) throw createError('BF_ERR_CONTACT_TIMEZONE_INVALID', { timezone: zone.slice(0, 64) });
}

const normalTags = (tags: string[]) => [...new Set(tags.map((t) => t.trim()).filter(Boolean))];
