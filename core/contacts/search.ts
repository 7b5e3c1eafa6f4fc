import { sql } from 'kysely';
import type { Db, Tx } from '../../plugin-sdk.js';
import { phoneDigits, toE164 } from './phone.js';

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * Live contacts of a business matching a text: a part of the name or email, a phone in any format (read as
 * the business's country dials it, "8 916 123-45-01" → +79161234501) or a run of its digits ("1234501").
 * Ordered by name; `total` counts every match.
 */
export async function searchContacts(q: Db | Tx, tenantId: string, opts: { q?: string; limit?: number; offset?: number; country: string }): Promise<{ ids: string[]; total: number }> {
  const text = opts.q?.trim() ?? '';
  let query = q.selectFrom('contacts as c').where('c.tenant_id', '=', tenantId).where('c.deleted_at', 'is', null);
  if (text) {
    const like = `%${escapeLike(text)}%`;
    const e164 = toE164(text, opts.country);
    const digits = phoneDigits(text);
    const identity = (kind: string) => q.selectFrom('contact_identities as i').select('i.id').whereRef('i.tenant_id', '=', 'c.tenant_id').whereRef('i.contact_id', '=', 'c.id')
      .where('i.deleted_at', 'is', null).where('i.kind', '=', kind);
    query = query.where((eb) => eb.or([
      // Case folded by ICU: a database in the C locale (as the embedded one) folds only ASCII on its own.
      eb(sql<string>`lower(c.name COLLATE "und-x-icu")`, 'like', `%${escapeLike(text.toLowerCase())}%`),
      eb.exists(identity('email').where('i.value', 'ilike', like)),
      ...(e164 ? [eb.exists(identity('phone').where('i.value', '=', e164))] : []),
      ...(digits ? [eb.exists(identity('phone').where('i.value', 'like', `%${digits}%`))] : []),
    ]));
  }
  const [{ total }, rows] = await Promise.all([
    query.select((eb) => eb.fn.countAll<string>().as('total')).executeTakeFirstOrThrow(),
    query.select('c.id').orderBy('c.name').orderBy('c.id').limit(opts.limit ?? 50).offset(opts.offset ?? 0).execute(),
  ]);
  return { ids: rows.map((r) => r.id as string), total: Number(total) };
}
