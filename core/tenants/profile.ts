import { sql } from 'kysely';
import type { BusinessProfile, Db, Locale, Tx } from '../../plugin-sdk.js';
import { createError } from '../errors.js';

// Another instance (or PATCH /tenant) may change a business; plugins see it within this time.
export const PROFILE_TTL_MS = 5000;

/** Businesses' profiles for plugins (`ctx.business`), read once per TTL. */
export class BusinessProfiles {
  private readonly cache = new Map<string, { at: number; profile: BusinessProfile }>();

  constructor(private readonly db: Db, private readonly now: () => number = Date.now) {}

  /** After a change in this process (a bot connected): the next read asks the database. */
  forget(tenantId: string): void {
    this.cache.delete(tenantId);
  }

  /** `q`: the caller's transaction, when it holds one. */
  async get(tenantId: string, q: Db | Tx = this.db): Promise<BusinessProfile> {
    const cached = this.cache.get(tenantId);
    if (cached && this.now() - cached.at < PROFILE_TTL_MS) return cached.profile;
    const bots = sql<BusinessProfile['telegramBots']>`(SELECT coalesce(json_agg(json_build_object('id', b.id, 'username', b.username) ORDER BY b.created_at, b.id), '[]')
      FROM bots b WHERE b.tenant_id = tenants.id AND b.enabled AND b.deleted_at IS NULL AND b.username IS NOT NULL)`;
    const row = await q.selectFrom('tenants').select(['id', 'slug', 'name', 'timezone', 'currency', 'locale', 'address', 'country', 'quiet_hours', bots.as('bots')]).where('id', '=', tenantId).executeTakeFirst();
    if (!row) throw createError('BF_ERR_TENANT_NOT_FOUND', { tenant: tenantId });
    const profile: BusinessProfile = { id: row.id, slug: row.slug, name: row.name, timezone: row.timezone, currency: row.currency, locale: row.locale as Locale, address: row.address ?? null, country: row.country,
      quietHours: (row.quiet_hours as BusinessProfile['quietHours']) ?? null, telegramBots: row.bots };
    this.cache.set(tenantId, { at: this.now(), profile });
    return profile;
  }
}
