import { sql, type Expression } from 'kysely';
import type { Db, SegmentFieldDefinition, SegmentSqlScope, Tx } from '../../plugin-sdk.js';

/** A field of core's own: may also say how its yearly anniversary is found (birthdays). */
export interface CoreSegmentField extends SegmentFieldDefinition {
  /** a date column whose month-day recurs every year: withinNextDays / withinLastDays then mean its anniversary */
  anniversary?: (scope: SegmentSqlScope) => Expression<unknown>;
}

const KINDS = [
  { value: 'telegram', label: 'Telegram' },
  { value: 'webchat', label: { ru: 'Веб-чат', en: 'Web chat', uk: 'Веб-чат' } },
  { value: 'phone', label: { ru: 'Телефон', en: 'Phone', uk: 'Телефон' } },
  { value: 'email', label: 'Email' },
  { value: 'max', label: 'MAX' },
  { value: 'whatsapp', label: 'WhatsApp' },
];

/** The kinds of a contact's identities; `reachable`: only those no channel has marked unreachable. */
const identityKinds = (reachable: boolean) => ({ tenantId }: SegmentSqlScope) => sql`ARRAY(SELECT DISTINCT i.kind FROM contact_identities i
  WHERE i.tenant_id = ${tenantId} AND i.contact_id = c.id AND i.deleted_at IS NULL ${reachable ? sql`AND i.unreachable_at IS NULL` : sql``})`;

async function tagsInUse(q: Db | Tx, tenantId: string) {
  const { rows } = await sql<{ tag: string }>`SELECT DISTINCT unnest(tags) AS tag FROM contacts
    WHERE tenant_id = ${tenantId} AND deleted_at IS NULL ORDER BY 1 LIMIT 500`.execute(q);
  return rows.map((r) => ({ value: r.tag, label: r.tag }));
}

/** Fields of the contact itself (the `contacts` row is `c`), offered to every business. */
export const CORE_FIELDS: CoreSegmentField[] = [
  { key: 'name', label: { ru: 'Имя', en: 'Name', uk: "Ім'я" }, type: 'string', sql: () => sql`c.name` },
  { key: 'tags', label: { ru: 'Метки', en: 'Tags', uk: 'Мітки' }, type: 'string[]', sql: () => sql`c.tags`, loadOptions: (q, tenantId) => tagsInUse(q, tenantId) },
  {
    key: 'locale', label: { ru: 'Язык', en: 'Language', uk: 'Мова' }, type: 'enum', sql: () => sql`c.locale`,
    options: [{ value: 'ru', label: 'Русский' }, { value: 'en', label: 'English' }, { value: 'uk', label: 'Українська' }],
  },
  {
    key: 'birthday', label: { ru: 'День рождения', en: 'Birthday', uk: 'День народження' }, type: 'date',
    ops: ['withinNextDays', 'withinLastDays', 'gt', 'lt', 'between', 'exists'],
    // Born on a day: that day's local midnight, so day comparisons work like every other date field's.
    sql: ({ timezone }) => sql`(c.birthday::timestamp AT TIME ZONE ${timezone})`,
    anniversary: () => sql`to_char(c.birthday, 'MM-DD')`,
  },
  { key: 'createdAt', label: { ru: 'Добавлен', en: 'Added', uk: 'Доданий' }, type: 'date', sql: () => sql`c.created_at` },
  { key: 'lastSeenAt', label: { ru: 'Был последний раз', en: 'Last seen', uk: 'Востаннє був' }, type: 'date', sql: () => sql`c.last_seen_at` },
  {
    key: 'consent.marketing', label: { ru: 'Согласие на рассылки', en: 'Agreed to marketing', uk: 'Згода на розсилки' }, type: 'boolean',
    // Only an explicit opt-in counts: no answer is no consent.
    sql: () => sql`(c.consent #>> '{marketing,granted}') = 'true'`,
  },
  { key: 'identities', label: { ru: 'Есть контакт', en: 'Has contact details', uk: 'Є контакт' }, type: 'string[]', options: KINDS, sql: identityKinds(false) },
  { key: 'reachable', label: { ru: 'Доступен в канале', en: 'Reachable on', uk: 'Доступний у каналі' }, type: 'string[]', options: KINDS, sql: identityKinds(true) },
];
