import { sql } from 'kysely';
import type { ContactErasure, ContactMerge, Tx } from '../../plugin-sdk.js';
import { createError } from '../errors.js';
import { writeAudit } from '../audit.js';

/** What plugins do with their data about contacts when two are merged or a merge is undone. */
export interface MergeHooks {
  merged(trx: Tx, merge: ContactMerge): Promise<void>;
  unmerged(trx: Tx, merge: ContactMerge): Promise<void>;
  /** a contact erased on request: each plugin removes its data about it */
  erased(trx: Tx, erasure: ContactErasure): Promise<void>;
}

const LABELS = ['name', 'locale', 'timezone', 'birthday', 'tags', 'consent', 'notes'] as const;

/**
 * Merges `mergedId` into `keptId`: the merged contact's identities and every plugin's data move to the kept one,
 * which also takes the tags, the notes and whatever it lacks (locale, zone, birthday; the newer marketing answer).
 * The merged row stays, marked, for its history and for undoing the merge from the trash.
 */
export async function mergeContacts(trx: Tx, tenantId: string, keptId: string, mergedId: string, actorId: string | null, now: Date, hooks: MergeHooks): Promise<void> {
  if (keptId === mergedId) throw createError('BF_ERR_CONTACT_MERGE_SELF');
  // Both rows locked in id order, so two merges of the same pair cannot cross.
  const rows = await trx.selectFrom('contacts').selectAll().where('tenant_id', '=', tenantId).where('id', 'in', [keptId, mergedId]).where('deleted_at', 'is', null)
    .orderBy('id').forUpdate().execute();
  const kept = rows.find((r) => r.id === keptId);
  const merged = rows.find((r) => r.id === mergedId);
  if (!kept || !merged) throw createError('BF_ERR_CONTACT_NOT_FOUND', { id: kept ? mergedId : keptId });

  const moved = await trx.updateTable('contact_identities').set({ contact_id: keptId }).where('tenant_id', '=', tenantId).where('contact_id', '=', mergedId).where('deleted_at', 'is', null)
    .returning('id').execute();
  const [km, mm] = [kept.consent.marketing, merged.consent.marketing];
  const marketing = km && mm ? (Date.parse(mm.at) > Date.parse(km.at) ? mm : km) : km ?? mm;
  const notes = [kept.notes, merged.notes].map((n: string) => n.trim()).filter(Boolean);
  await trx.updateTable('contacts').set({
    tags: [...new Set([...kept.tags, ...merged.tags])],
    notes: [...new Set(notes)].join('\n\n'),
    locale: kept.locale ?? merged.locale, timezone: kept.timezone ?? merged.timezone, birthday: kept.birthday ?? merged.birthday,
    consent: JSON.stringify({ ...merged.consent, ...kept.consent, ...(marketing ? { marketing } : {}) }),
    last_seen_at: [kept.last_seen_at, merged.last_seen_at].filter(Boolean).sort((a, b) => +new Date(b) - +new Date(a))[0] ?? null,
    updated_at: now,
  }).where('tenant_id', '=', tenantId).where('id', '=', keptId).execute();
  await trx.updateTable('contacts').set({ merged_into: keptId, deleted_at: now, updated_at: now }).where('tenant_id', '=', tenantId).where('id', '=', mergedId).execute();
  const merge = await trx.insertInto('contact_merges').values({ tenant_id: tenantId, kept_id: keptId, merged_id: mergedId, identity_ids: moved.map((m) => m.id), actor_id: actorId, at: now })
    .returning('id').executeTakeFirstOrThrow();
  await hooks.merged(trx, { tenantId, mergeId: merge.id, keptId, mergedId });
  const shown = (r: Record<string, unknown>) => Object.fromEntries(LABELS.map((k) => [k, r[k]]));
  await writeAudit(trx, { tenantId, actorId, entity: 'contact', entityId: mergedId, action: 'merge', before: shown(merged), after: { mergedInto: keptId, mergeId: merge.id } });
  await writeAudit(trx, { tenantId, actorId, entity: 'contact', entityId: keptId, action: 'merge', before: shown(kept), after: { merged: mergedId, mergeId: merge.id } });
}

/**
 * Brings a contact back from the trash: a merged one gets its identities and plugin data back (what the kept
 * contact took over of its tags and notes stays there); a deleted one its identities deleted with it. The trash
 * route audits it.
 */
export async function restoreContact(trx: Tx, tenantId: string, asked: string, now: Date, hooks: MergeHooks): Promise<Record<string, unknown> | undefined> {
  // The trash takes any text as the id: compared as text, a malformed one is simply not there.
  const row = await trx.selectFrom('contacts').selectAll().where('tenant_id', '=', tenantId).where(sql`id::text`, '=', asked).where('deleted_at', 'is not', null).forUpdate().executeTakeFirst();
  if (!row) return undefined;
  const id: string = row.id;
  try {
    if (row.merged_into) {
      const merge = await trx.selectFrom('contact_merges').selectAll().where('tenant_id', '=', tenantId).where('merged_id', '=', id).where('undone_at', 'is', null)
        .orderBy('at', 'desc').forUpdate().executeTakeFirstOrThrow();
      if (merge.identity_ids.length) {
        await trx.updateTable('contact_identities').set({ contact_id: id }).where('tenant_id', '=', tenantId).where('id', 'in', merge.identity_ids).where('deleted_at', 'is', null).execute();
      }
      await trx.updateTable('contact_merges').set({ undone_at: now }).where('tenant_id', '=', tenantId).where('id', '=', merge.id).execute();
      await hooks.unmerged(trx, { tenantId, mergeId: merge.id, keptId: merge.kept_id, mergedId: id });
    } else {
      await trx.updateTable('contact_identities').set({ deleted_at: null }).where('tenant_id', '=', tenantId).where('contact_id', '=', id).where('deleted_at', '=', row.deleted_at).execute();
    }
  } catch (e) {
    // A chat or verified phone of it now belongs to another contact.
    if ((e as { code?: string }).code === '23505') throw createError('BF_ERR_TRASH_CONFLICT', { entity: 'contact', id, constraint: (e as { constraint?: string }).constraint });
    throw e;
  }
  return trx.updateTable('contacts').set({ deleted_at: null, merged_into: null, updated_at: now }).where('tenant_id', '=', tenantId).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
}
