import type { AuthInfo, Db, PluginContext, Role, Tx } from '../../../plugin-sdk.js';
import { crmConfig } from './config.js';
import { bonusPercent, statusOf, type ClientStatus } from './status.js';

export type ColorGroup = 'guest' | 'attention' | 'employee' | 'earlier';

/** Only they write and read the confidential note (seed 003: "заполняют в карте админы и только они её видят"). */
const CONFIDENTIAL_ROLES: Role[] = ['owner', 'admin'];
export const seesConfidential = (auth: AuthInfo | null) => Boolean(auth?.role && CONFIDENTIAL_ROLES.includes(auth.role));

export interface CardRow {
  contact_id: string; color: ColorGroup | null; earlier_than: string | Date | null; earlier_comment: string; fixed_resource_id: string | null; locked: boolean;
  public_note: string; confidential_note: string; survey: Record<string, number>; parking: boolean; bonus_percent: number | null; privileges: string[];
  contract_number: string | null; contract_date: string | Date | null; prior_visits: number; visits: number; behaviour: Record<string, number>; last_visit_at: Date | null;
}

const EMPTY = (contactId: string): CardRow => ({
  contact_id: contactId, color: null, earlier_than: null, earlier_comment: '', fixed_resource_id: null, locked: false, public_note: '', confidential_note: '', survey: {},
  parking: false, bonus_percent: null, privileges: [], contract_number: null, contract_date: null, prior_visits: 0, visits: 0, behaviour: {}, last_visit_at: null,
});

/** A `date` column as yyyy-mm-dd. node-postgres hands it over as the server process's local midnight, so the local parts are the day (UTC's would be the day before east of Greenwich). */
const day = (v: string | Date | null) => (v === null ? null : typeof v === 'string' ? v.slice(0, 10)
  : `${v.getFullYear()}-${String(v.getMonth() + 1).padStart(2, '0')}-${String(v.getDate()).padStart(2, '0')}`);

export async function cardRow(q: Db | Tx, tenantId: string, contactId: string): Promise<CardRow> {
  const row = await q.selectFrom('crm_cards').selectAll().where('tenant_id', '=', tenantId).where('contact_id', '=', contactId).executeTakeFirst();
  return (row as CardRow | undefined) ?? EMPTY(contactId);
}

export async function cardRows(q: Db | Tx, tenantId: string, contactIds: string[]): Promise<Map<string, CardRow>> {
  const rows = contactIds.length ? await q.selectFrom('crm_cards').selectAll().where('tenant_id', '=', tenantId).where('contact_id', 'in', contactIds).execute() : [];
  const byId = new Map((rows as CardRow[]).map((r) => [r.contact_id, r]));
  return new Map(contactIds.map((id) => [id, byId.get(id) ?? EMPTY(id)]));
}

export const hasContract = (r: CardRow) => Boolean(r.contract_number && r.contract_date);

/** The marks the journal and the register show: no notes, nothing confidential. */
export function marksOf(r: CardRow, status: ClientStatus) {
  return {
    contactId: r.contact_id, status, color: r.color, earlierThan: day(r.earlier_than), locked: r.locked && Boolean(r.fixed_resource_id),
    fixedResourceId: r.fixed_resource_id, contract: hasContract(r),
  };
}

/** The guest card as `auth` may see it: the confidential note only for owners and admins, left out otherwise (not blanked). */
export async function cardView(ctx: PluginContext, tenantId: string, contactId: string, auth: AuthInfo | null, q: Db | Tx = ctx.db) {
  const [r, cfg, percent, preferences, prescriptions] = await Promise.all([
    cardRow(q, tenantId, contactId), crmConfig(ctx, tenantId), bonusPercent(ctx, tenantId, contactId, q),
    q.selectFrom('crm_preferences').select(['resource_id as resourceId', 'kind']).where('tenant_id', '=', tenantId).where('contact_id', '=', contactId).orderBy('resource_id').execute(),
    q.selectFrom('crm_prescriptions as p').innerJoin('crm_courses as c', (j) => j.onRef('c.tenant_id', '=', 'p.tenant_id').onRef('c.id', '=', 'p.course_id'))
      .select(['p.id', 'p.course_id as courseId', 'c.name', 'c.service_id as serviceId', 'p.count', 'p.interval_days as intervalDays', 'p.doctor_resource_id as doctorResourceId', 'p.prescribed_at as prescribedAt'])
      .where('p.tenant_id', '=', tenantId).where('p.contact_id', '=', contactId).orderBy('p.prescribed_at').execute(),
  ]);
  const status = statusOf(r.visits + r.prior_visits, percent, cfg.vipPercent);
  return {
    ...marksOf(r, status),
    visits: r.visits + r.prior_visits, earlierComment: r.earlier_comment, publicNote: r.public_note,
    ...(seesConfidential(auth) ? { confidentialNote: r.confidential_note } : {}),
    survey: r.survey, behaviour: r.behaviour, lastVisitAt: r.last_visit_at ? new Date(r.last_visit_at).toISOString() : null,
    privileges: { parking: r.parking, bonusPercent: r.bonus_percent ?? percent, custom: r.privileges },
    contractNumber: r.contract_number, contractDate: day(r.contract_date),
    preferences, prescriptions: prescriptions.map((p) => ({ ...p, prescribedAt: new Date(p.prescribedAt).toISOString() })),
    categories: cfg.interestCategories.map((c) => ({ key: c.key, label: c.label })), privilegeOptions: cfg.privilegeOptions,
  };
}

/** Specialists see the cards of clients booked with them only (README: "specialists see clients only through their bookings"). */
export async function assertCanSee(ctx: PluginContext, tenantId: string, contactId: string, auth: AuthInfo | null, bookings: () => Promise<Array<{ resourceIds: string[] }>>): Promise<void> {
  if (auth?.role !== 'specialist') return;
  const mine = new Set((await ctx.service('booking').resources(tenantId)).filter((r) => r.userId === auth.userId).map((r) => r.id));
  if (!(await bookings()).some((b) => b.resourceIds.some((id) => mine.has(id)))) throw ctx.error('BF_ERR_CRM_NOT_YOUR_CLIENT', { id: contactId });
}
