import { sql } from 'kysely';
import type { Db } from '../../../plugin-sdk.js';

export interface ContactSeed {
  name: string;
  locale?: string | null;
  tags?: string[];
  consent?: Record<string, unknown>;
  birthday?: string | null;
  lastSeenAt?: string | null;
  createdAt?: string;
  deleted?: boolean;
  mergedInto?: string;
  identities?: Array<{ kind: string; value: string; verified?: boolean; unreachable?: boolean; botId?: string }>;
}

/** Writes a contact and its identities straight into core's tables, as the contacts service keeps them. */
export async function addContact(db: Db, tenantId: string, c: ContactSeed): Promise<string> {
  const { rows } = await sql<{ id: string }>`INSERT INTO contacts (tenant_id, name, locale, tags, consent, birthday, last_seen_at, created_at, deleted_at, merged_into)
    VALUES (${tenantId}, ${c.name}, ${c.locale ?? null}, ${c.tags ?? []}::text[], ${JSON.stringify(c.consent ?? {})}::jsonb, ${c.birthday ?? null}::date,
      ${c.lastSeenAt ?? null}::timestamptz, ${c.createdAt ?? '2025-01-01T00:00:00Z'}::timestamptz, ${c.deleted ? '2026-01-01T00:00:00Z' : null}::timestamptz, ${c.mergedInto ?? null}::uuid)
    RETURNING id`.execute(db);
  for (const i of c.identities ?? []) {
    await sql`INSERT INTO contact_identities (tenant_id, contact_id, kind, value, bot_id, verified, unreachable_at)
      VALUES (${tenantId}, ${rows[0].id}, ${i.kind}, ${i.value}, ${i.kind === 'telegram' ? i.botId ?? 'bot-1' : ''}, ${i.verified ?? false}, ${i.unreachable ? '2026-03-01T00:00:00Z' : null}::timestamptz)`.execute(db);
  }
  return rows[0].id;
}

/** A plugin of the test's own contributing segment fields over its table, as loyalty will. */
export const POINTS_PLUGIN = {
  manifest: { name: { en: 'Points' }, enabledByDefault: false },
  files: {
    'migrations/0001_points.ts': `import { sql } from 'kysely';
export async function up(db) {
  await sql\`CREATE TABLE points_balances (tenant_id uuid NOT NULL REFERENCES tenants(id), contact_id uuid NOT NULL, balance int NOT NULL, expires_at timestamptz, PRIMARY KEY (tenant_id, contact_id))\`.execute(db);
}`,
    'server.ts': `import { sql } from 'kysely';
export default {
  segmentFields: [
    { key: 'points.balance', type: 'number', label: { en: 'Points', ru: 'Баллы', uk: 'Бали' },
      sql: ({ tenantId, contactId }) => sql\`(SELECT p.balance FROM points_balances p WHERE p.tenant_id = \${tenantId} AND p.contact_id = \${contactId})\` },
    { key: 'points.expiresAt', type: 'date', label: { en: 'Points expire', ru: 'Баллы сгорают', uk: 'Бали згорають' },
      sql: ({ tenantId, contactId }) => sql\`(SELECT p.expires_at FROM points_balances p WHERE p.tenant_id = \${tenantId} AND p.contact_id = \${contactId})\` },
    // Its choices come from a service that is down: the editor types the value instead.
    { key: 'points.tier', type: 'string', label: { en: 'Tier', ru: 'Уровень', uk: 'Рівень' },
      loadOptions: async () => { throw new Error('tiers unavailable'); }, sql: () => sql\`'gold'::text\` },
  ],
};`,
  },
};
