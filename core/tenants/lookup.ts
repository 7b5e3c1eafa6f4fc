import type { Db } from '../../plugin-sdk.js';
import { createError } from '../errors.js';

/** Whether a business is named by its id (else by its slug). */
export const byId = (slugOrId: string): boolean => UUID.test(slugOrId);

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A live business's id from its slug or id; BF_ERR_TENANT_NOT_FOUND otherwise. */
export async function resolveTenantId(db: Db, slugOrId: string): Promise<string> {
  const row = await db
    .selectFrom('tenants')
    .select('id')
    .where(byId(slugOrId) ? 'id' : 'slug', '=', slugOrId)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  if (!row) throw createError('BF_ERR_TENANT_NOT_FOUND', { tenant: slugOrId });
  return row.id;
}
