import { sql, type Expression } from 'kysely';
import type { Db, SegmentFieldDefinition, SegmentFieldOption, Tx } from '../../plugin-sdk.js';

/**
 * What booking knows about a contact, for segment rules (core applies the operators). A booking's
 * client id is its contact id. "Used" counts the visits that happened: completed, or arrived and not yet closed.
 */
const USED = sql`('completed','arrived')`;
/** Booked and still ahead: a hold is a payment in progress, not yet a booking. */
const AHEAD = sql`('pending','confirmed')`;

const countOf = (status: string) => ({ tenantId, contactId }: { tenantId: string; contactId: Expression<string> }) =>
  sql`(SELECT count(*) FROM booking_bookings b WHERE b.tenant_id = ${tenantId} AND b.client_id = ${contactId} AND b.status = ${status} AND NOT b.test)`;

async function named(q: Db | Tx, table: 'booking_services' | 'booking_departments', tenantId: string): Promise<SegmentFieldOption[]> {
  const rows = await q.selectFrom(table).select(['id', 'name']).where('tenant_id', '=', tenantId).where('deleted_at', 'is', null).orderBy('name').execute();
  return rows.map((r) => ({ value: r.id as string, label: r.name as string }));
}

export const segmentFields: SegmentFieldDefinition[] = [
  {
    key: 'booking.visits', type: 'number', ops: ['eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'between'],
    label: { ru: 'Визитов (завершённых записей)', en: 'Visits (completed bookings)', uk: 'Візитів (завершених записів)' },
    sql: countOf('completed'),
  },
  {
    key: 'booking.lastVisit', type: 'date',
    label: { ru: 'Последний визит', en: 'Last visit', uk: 'Останній візит' },
    sql: ({ tenantId, contactId }) => sql`(SELECT max(b.start_at) FROM booking_bookings b WHERE b.tenant_id = ${tenantId} AND b.client_id = ${contactId} AND b.status IN ${USED})`,
  },
  {
    key: 'booking.services', type: 'string[]',
    label: { ru: 'Пользовался услугами', en: 'Services used', uk: 'Користувався послугами' },
    sql: ({ tenantId, contactId }) => sql`ARRAY(SELECT DISTINCT b.service_id::text FROM booking_bookings b
      WHERE b.tenant_id = ${tenantId} AND b.client_id = ${contactId} AND b.status IN ${USED})`,
    loadOptions: (q, tenantId) => named(q, 'booking_services', tenantId),
  },
  {
    key: 'booking.departments', type: 'string[]',
    label: { ru: 'Был в подразделениях', en: 'Departments visited', uk: 'Був у підрозділах' },
    sql: ({ tenantId, contactId }) => sql`ARRAY(SELECT DISTINCT s.department_id::text FROM booking_bookings b
      JOIN booking_services s ON s.tenant_id = b.tenant_id AND s.id = b.service_id
      WHERE b.tenant_id = ${tenantId} AND b.client_id = ${contactId} AND b.status IN ${USED})`,
    loadOptions: (q, tenantId) => named(q, 'booking_departments', tenantId),
  },
  {
    key: 'booking.upcoming', type: 'boolean',
    label: { ru: 'Есть предстоящая запись', en: 'Has an upcoming booking', uk: 'Має майбутній запис' },
    sql: ({ tenantId, contactId, now }) => sql`EXISTS (SELECT 1 FROM booking_bookings b
      WHERE b.tenant_id = ${tenantId} AND b.client_id = ${contactId} AND b.status IN ${AHEAD} AND b.start_at > ${now}::timestamptz)`,
  },
  {
    key: 'booking.noShows', type: 'number', ops: ['eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'between'],
    label: { ru: 'Неявок', en: 'No-shows', uk: 'Неявок' },
    sql: countOf('no_show'),
  },
];
