import { DateTime } from 'luxon';
import { sql } from 'kysely';
import type { PluginContext } from '../../../plugin-sdk.js';
import { toDecimal } from './money.js';
import { tenderTotals } from './write-offs.js';

export interface Range {
  from: Date;
  to: Date;
  timezone: string;
}

/** Days `from`..`to` (YYYY-MM-DD, inclusive) of the business's calendar as UTC instants [from, to). */
export async function dayRange(ctx: PluginContext, tenantId: string, from: string, to: string): Promise<Range> {
  const { timezone } = await ctx.business(tenantId);
  const a = DateTime.fromISO(from, { zone: timezone });
  const b = DateTime.fromISO(to, { zone: timezone }).plus({ days: 1 });
  if (!a.isValid || !b.isValid || b <= a || b.diff(a, 'days').days > 367) throw ctx.error('BF_ERR_PREPAYMENT_RANGE_INVALID', { from, to, field: '/querystring/from' });
  return { from: a.toJSDate(), to: b.toJSDate(), timezone };
}

type Sums = Array<{ key: string | null; payments: number; refunds: number; tips: number; writeOffs: number }>;

/** Ledger sums in the range grouped by one expression: revenue is payments less refunds; tips and tenders written off are apart. */
async function grouped(ctx: PluginContext, tenantId: string, r: Range, by: ReturnType<typeof sql>): Promise<Sums> {
  const { rows } = await sql<{ key: string | null; payments: string; refunds: string; tips: string; write_offs: string }>`
    SELECT ${by} AS key,
      coalesce(sum(amount) FILTER (WHERE kind = 'payment'), 0) AS payments,
      coalesce(sum(amount) FILTER (WHERE kind = 'refund'), 0) AS refunds,
      coalesce(sum(amount) FILTER (WHERE kind = 'tip'), 0) AS tips,
      coalesce(sum(amount) FILTER (WHERE kind = 'write_off'), 0) - coalesce(sum(amount) FILTER (WHERE kind = 'write_off_return'), 0) AS write_offs
    FROM prepayment_ledger WHERE tenant_id = ${tenantId} AND at >= ${r.from} AND at < ${r.to}
    GROUP BY 1 ORDER BY 1`.execute(ctx.db);
  return rows.map((x) => ({ key: x.key, payments: Number(x.payments), refunds: Number(x.refunds), tips: Number(x.tips), writeOffs: Number(x.write_offs) }));
}

/**
 * The studio's finance report: revenue (money taken less refunds) by day, service, specialist and method; tips by
 * specialist; what was refunded; points, certificates and deposits written off at visits; prepayments held for
 * visits still ahead; what is left to pay at the visits of the range not yet completed (price less net prepayment
 * and tenders).
 */
export async function financeReport(ctx: PluginContext, tenantId: string, r: Range) {
  const booking = ctx.service('booking');
  const [byDay, byService, bySpecialist, byMethod, held, { currency }] = await Promise.all([
    grouped(ctx, tenantId, r, sql`to_char(at AT TIME ZONE ${r.timezone}, 'YYYY-MM-DD')`),
    grouped(ctx, tenantId, r, sql`service_id::text`),
    grouped(ctx, tenantId, r, sql`specialist_id::text`),
    grouped(ctx, tenantId, r, sql`method`),
    ctx.db.selectFrom('prepayment_payments').select((eb) => [eb.fn.coalesce(eb.fn.sum<string>(sql`amount - refunded`), eb.val('0')).as('sum'), eb.fn.countAll<string>().as('count')])
      .where('tenant_id', '=', tenantId).where('purpose', '=', 'prepayment').where('status', '=', 'succeeded').where('booking_start', '>', ctx.now()).executeTakeFirstOrThrow(),
    ctx.business(tenantId),
  ]);
  // A completed visit was settled at the desk: only visits not yet completed have something left to pay.
  const visits = await booking.bookings(tenantId, { from: r.from, to: r.to, statuses: ['confirmed', 'pending', 'arrived'] });
  const ids = visits.map((v) => v.id);
  const [paid, tendered] = ids.length ? await Promise.all([
    ctx.db.selectFrom('prepayment_payments').select(['booking_id', sql<string>`amount - refunded`.as('net')])
      .where('tenant_id', '=', tenantId).where('purpose', '=', 'prepayment').where('status', '=', 'succeeded').where('booking_id', 'in', ids).execute(),
    tenderTotals(ctx, tenantId, ids),
  ]) : [[], new Map<string, number>()];
  const netPaid = new Map(paid.map((p) => [p.booking_id, Number(p.net)]));
  const outstanding = visits.map((v) => {
    const money = netPaid.get(v.id) ?? 0, tenders = tendered.get(v.id) ?? 0;
    return { bookingId: v.id, start: v.start, serviceId: v.serviceId, price: v.price.amount, paid: money, tenders, due: Math.max(0, v.price.amount - money - tenders) };
  }).filter((o) => o.due > 0);
  const [services, resources] = await Promise.all([
    booking.services(tenantId, byService.map((s) => s.key!).filter(Boolean)),
    booking.resources(tenantId, bySpecialist.map((s) => s.key!).filter(Boolean)),
  ]);
  const name = (list: Array<{ id: string; name: string }>, id: string | null) => (id && list.find((x) => x.id === id)?.name) || null;
  const revenue = (s: Sums[number]) => s.payments - s.refunds;
  return {
    currency,
    totals: { payments: sum(byDay, 'payments'), refunds: sum(byDay, 'refunds'), revenue: sum(byDay, 'payments') - sum(byDay, 'refunds'), tips: sum(byDay, 'tips'), writeOffs: sum(byDay, 'writeOffs'), held: Number(held.sum), heldCount: Number(held.count), outstanding: outstanding.reduce((a, o) => a + o.due, 0) },
    byDay: byDay.map((d) => ({ day: d.key, revenue: revenue(d), payments: d.payments, refunds: d.refunds, tips: d.tips })),
    byService: byService.filter((s) => s.payments || s.refunds).map((s) => ({ serviceId: s.key, name: name(services, s.key), revenue: revenue(s) })),
    bySpecialist: bySpecialist.map((s) => ({ specialistId: s.key, name: name(resources, s.key), revenue: revenue(s), tips: s.tips })),
    byMethod: byMethod.map((m) => ({ method: m.key, revenue: revenue(m), tips: m.tips, writeOffs: m.writeOffs })),
    outstanding,
  };
}

const sum = (rows: Sums, k: 'payments' | 'refunds' | 'tips' | 'writeOffs') => rows.reduce((a, r) => a + r[k], 0);

const COLUMNS = ['at', 'kind', 'amount', 'currency', 'method', 'booking_id', 'contact_id', 'service', 'specialist'] as const;

/** The ledger of the range, one row per entry, amounts in major units, times in the business's zone. */
export async function ledgerRows(ctx: PluginContext, tenantId: string, r: Range): Promise<Array<Record<(typeof COLUMNS)[number], string | number>>> {
  const rows = await ctx.db.selectFrom('prepayment_ledger').selectAll().where('tenant_id', '=', tenantId).where('at', '>=', r.from).where('at', '<', r.to).orderBy('at').orderBy('id').limit(100_000).execute();
  const booking = ctx.service('booking');
  const [services, resources] = await Promise.all([booking.services(tenantId, [...new Set(rows.map((x) => x.service_id))]), booking.resources(tenantId, [...new Set(rows.map((x) => x.specialist_id).filter(Boolean))])]);
  return rows.map((x) => ({
    at: DateTime.fromJSDate(new Date(x.at), { zone: r.timezone }).toFormat('yyyy-MM-dd HH:mm'), kind: x.kind, amount: Number(toDecimal({ amount: Number(x.amount), currency: x.currency })), currency: x.currency, method: x.method,
    booking_id: x.booking_id, contact_id: x.contact_id, service: services.find((s) => s.id === x.service_id)?.name ?? '', specialist: resources.find((s) => s.id === x.specialist_id)?.name ?? '',
  }));
}

const csvCell = (v: string | number) => {
  const s = String(v);
  // A leading = + - @ would run as a formula in a spreadsheet.
  const safe = typeof v === 'string' && /^[=+\-@]/.test(s) ? `'${s}` : s;
  return /[",\n\r;]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
};

export function ledgerCsv(rows: Awaited<ReturnType<typeof ledgerRows>>): string {
  // BOM so Excel opens Cyrillic UTF-8 correctly.
  return '\uFEFF' + [COLUMNS.join(','), ...rows.map((r) => COLUMNS.map((c) => csvCell(r[c])).join(','))].join('\r\n') + '\r\n';
}

export async function ledgerXlsx(rows: Awaited<ReturnType<typeof ledgerRows>>): Promise<Buffer> {
  // Loaded on the first export: the library costs a third of a second at every start otherwise.
  const { default: ExcelJS } = await import('exceljs');
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('ledger');
  ws.columns = COLUMNS.map((c) => ({ header: c, key: c, width: Math.max(12, c.length + 2) }));
  for (const r of rows) ws.addRow(COLUMNS.map((c) => r[c]));
  ws.getRow(1).font = { bold: true };
  return Buffer.from(await wb.xlsx.writeBuffer());
}
