import type { Db, IdentityKind } from '../../plugin-sdk.js';

/** A contact with identities, written straight into core's tables (the contacts service is built alongside). */
export async function makeContact(db: Db, tenantId: string, c: {
  name: string;
  locale?: 'ru' | 'en' | 'uk';
  marketing?: boolean;
  identities: Array<{ kind: IdentityKind; value: string; botId?: string; verified?: boolean }>;
}): Promise<{ id: string; identityIds: string[] }> {
  const consent = c.marketing === undefined ? {} : { marketing: { granted: c.marketing, at: new Date(0).toISOString(), source: 'test' } };
  const contact = await db.insertInto('contacts').values({ tenant_id: tenantId, name: c.name, locale: c.locale ?? null, consent: JSON.stringify(consent) }).returning('id').executeTakeFirstOrThrow();
  if (!c.identities.length) return { id: contact.id, identityIds: [] };
  const ids = await db.insertInto('contact_identities').values(c.identities.map((i) => ({
    tenant_id: tenantId, contact_id: contact.id, kind: i.kind, value: i.value, bot_id: i.botId ?? '', verified: i.verified ?? i.kind !== 'phone',
  }))).returning('id').execute();
  return { id: contact.id, identityIds: ids.map((r) => r.id) };
}
