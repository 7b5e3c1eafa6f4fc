import { sql } from 'kysely';
import type { ContactErasure, Tx } from '../../plugin-sdk.js';
import { createError } from '../errors.js';
import { writeAudit } from '../audit.js';

/** The name an erased contact keeps: its bookings still count in reports, under nobody. */
export const ERASED_NAME = '—';

/**
 * Erases a contact on the client's request (a data-subject right): the row and the rows merged into it are
 * anonymized and put away, identities deleted, message texts blanked, the audit log's copies of the contact
 * dropped, and every plugin removes its own data (`onContactErased`). Irreversible; audited without the data.
 */
export async function eraseContact(trx: Tx, tenantId: string, contactId: string, actorId: string | null, now: Date, erased: (trx: Tx, e: ContactErasure) => Promise<void>): Promise<void> {
  const row = await trx.selectFrom('contacts').select('id').where('tenant_id', '=', tenantId).where('id', '=', contactId).forUpdate().executeTakeFirst();
  if (!row) throw createError('BF_ERR_CONTACT_NOT_FOUND', { id: contactId });
  const ids = [contactId, ...(await trx.selectFrom('contacts').select('id').where('tenant_id', '=', tenantId).where('merged_into', '=', contactId).execute()).map((r) => r.id as string)];
  await trx.updateTable('contacts').set({
    name: ERASED_NAME, birthday: null, tags: sql`'{}'::text[]`, notes: '', consent: JSON.stringify({}), locale: null, timezone: null, last_seen_at: null, updated_at: now,
    deleted_at: sql`coalesce(deleted_at, ${now})`,
  }).where('tenant_id', '=', tenantId).where('id', 'in', ids).execute();
  await trx.deleteFrom('contact_identities').where('tenant_id', '=', tenantId).where('contact_id', 'in', ids).execute();
  await trx.updateTable('messages').set({ content: JSON.stringify({ text: '' }) }).where('tenant_id', '=', tenantId).where('contact_id', 'in', ids).execute();
  await trx.updateTable('audit_log').set({ before: null, after: null }).where('tenant_id', '=', tenantId).where('entity', '=', 'contact').where('entity_id', 'in', ids).execute();
  for (const id of ids) await erased(trx, { tenantId, contactId: id });
  await writeAudit(trx, { tenantId, actorId, entity: 'contact', entityId: contactId, action: 'erase', after: { contacts: ids.length } });
}
