import { sql, type RawBuilder } from 'kysely';
import type { Db, Locale, SegmentPage, SegmentRule, Segments, Tx } from '../../plugin-sdk.js';
import type { Clock } from '../clock.js';
import { createError } from '../errors.js';
import { BusinessProfiles } from '../tenants/profile.js';
import { allFields, describeFields, fieldsFor, type CatalogField, type FieldSource } from './catalog.js';
import { compileRule, pluginConfigs } from './compile.js';
import { checkRule, ruleSchema } from './schema.js';

/** The built-in segment: every contact of the business. */
export const ALL_SEGMENT = 'all';
const EVERYONE: SegmentRule = { all: [] };
const MAX_PAGE = 1000;

export interface SegmentContact {
  id: string;
  name: string;
  identities: Array<{ kind: string; value: string; verified: boolean }>;
}

/** Segments evaluated now: rules checked against the business's catalog, compiled to SQL over `contacts c`. */
export class SegmentService implements Segments {
  private readonly profiles: BusinessProfiles;
  private fieldList?: ReturnType<typeof allFields>;

  constructor(private readonly db: Db, private readonly clock: Clock, private readonly source: FieldSource) {
    this.profiles = new BusinessProfiles(db);
  }

  /** Every field core and the plugins offer; a plugin's malformed field throws here, at start. */
  definitions(): ReturnType<typeof allFields> {
    this.fieldList ??= allFields(this.source);
    return this.fieldList;
  }

  fields(tenantId: string, q: Db | Tx = this.db): Promise<Map<string, CatalogField>> {
    return fieldsFor(this.source, this.definitions(), tenantId, q);
  }

  async catalog(q: Db | Tx, tenantId: string, locale: Locale) {
    const fields = await this.fields(tenantId, q);
    return { items: await describeFields(fields, q, tenantId, locale), schema: ruleSchema(fields.values()) };
  }

  /** The rule, valid for the business, or BF_ERR_SEGMENT_RULE_INVALID naming paths under `prefix`. */
  async check(q: Db | Tx, tenantId: string, rule: unknown, prefix = ''): Promise<SegmentRule> {
    return checkRule(rule, await this.fields(tenantId, q), prefix);
  }

  /** The rule of a saved segment ('all' included), or the given rule checked. */
  async resolve(q: Db | Tx, tenantId: string, segment: string | SegmentRule): Promise<SegmentRule> {
    if (typeof segment !== 'string') return this.check(q, tenantId, segment);
    if (segment === ALL_SEGMENT) return EVERYONE;
    const row = /^[0-9a-f-]{36}$/i.test(segment)
      ? await q.selectFrom('segments').select('rule').where('tenant_id', '=', tenantId).where('id', '=', segment).where('deleted_at', 'is', null).executeTakeFirst()
      : undefined;
    if (!row) throw createError('BF_ERR_SEGMENT_NOT_FOUND', { id: segment });
    return row.rule as SegmentRule;
  }

  /** The SQL condition on `contacts c` for a checked rule: live, unmerged contacts of the business that match. */
  async where(q: Db | Tx, tenantId: string, rule: SegmentRule): Promise<RawBuilder<boolean>> {
    const [fields, profile] = await Promise.all([this.fields(tenantId, q), this.profiles.get(tenantId, q)]);
    const configs = await pluginConfigs(rule, fields, tenantId, q);
    const matches = compileRule(rule, fields, { tenantId, contactId: sql.ref('c.id'), now: this.clock.now(), timezone: profile.timezone, currency: profile.currency, config: {} }, '', configs);
    return sql<boolean>`c.tenant_id = ${tenantId} AND c.deleted_at IS NULL AND c.merged_into IS NULL AND ${matches}`;
  }

  async count(q: Db | Tx, tenantId: string, segment: string | SegmentRule): Promise<number> {
    const where = await this.where(q, tenantId, await this.resolve(q, tenantId, segment));
    const { rows } = await sql<{ n: string }>`SELECT count(*) AS n FROM contacts c WHERE ${where}`.execute(q);
    return Number(rows[0].n);
  }

  async contactIds(q: Db | Tx, tenantId: string, segment: string | SegmentRule, page: { limit?: number; after?: string | null } = {}): Promise<SegmentPage> {
    const limit = Math.min(Math.max(1, Math.floor(page.limit ?? MAX_PAGE)), MAX_PAGE);
    const where = await this.where(q, tenantId, await this.resolve(q, tenantId, segment));
    const after = page.after ? sql`AND c.id > ${page.after}::uuid` : sql``;
    const { rows } = await sql<{ id: string }>`SELECT c.id FROM contacts c WHERE ${where} ${after} ORDER BY c.id LIMIT ${limit}`.execute(q);
    const ids = rows.map((r) => r.id);
    return { ids, next: ids.length === limit ? ids[ids.length - 1] : null };
  }

  /** A page of the segment's contacts by name, as the contacts API lists them, and how many match in all. */
  async contacts(q: Db | Tx, tenantId: string, rule: SegmentRule, page: { limit: number; offset: number }): Promise<{ items: SegmentContact[]; total: number }> {
    const where = await this.where(q, tenantId, rule);
    const [{ rows }, { rows: total }] = await Promise.all([
      sql<SegmentContact>`SELECT c.id, c.name, coalesce((SELECT json_agg(json_build_object('kind', i.kind, 'value', i.value, 'verified', i.verified) ORDER BY i.kind, i.value)
          FROM contact_identities i WHERE i.tenant_id = c.tenant_id AND i.contact_id = c.id AND i.deleted_at IS NULL), '[]'::json) AS identities
        FROM contacts c WHERE ${where} ORDER BY lower(c.name), c.id LIMIT ${page.limit} OFFSET ${page.offset}`.execute(q),
      sql<{ n: string }>`SELECT count(*) AS n FROM contacts c WHERE ${where}`.execute(q),
    ]);
    return { items: rows, total: Number(total[0].n) };
  }
}
