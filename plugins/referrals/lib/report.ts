import type { SheetRow } from '../../loyalty/contract.js';
import type { PluginContext } from '../../../plugin-sdk.js';

/** Every referral with both names, newest first, and the totals. */
export async function referralReport(ctx: PluginContext, tenantId: string) {
  const rows = await ctx.db.selectFrom('referrals_referrals').selectAll().where('tenant_id', '=', tenantId).orderBy('created_at', 'desc').orderBy('id').limit(5000).execute();
  const ids = [...new Set(rows.flatMap((r) => [r.referrer_contact_id, r.friend_contact_id].filter(Boolean)))] as string[];
  const names = new Map((await ctx.contacts.getMany(ctx.db, tenantId, ids)).map((c) => [c.id, c.name]));
  const items = rows.map((r) => ({
    id: r.id, referrer: { id: r.referrer_contact_id, name: names.get(r.referrer_contact_id) ?? null },
    friend: { id: r.friend_contact_id, name: r.friend_contact_id ? names.get(r.friend_contact_id) ?? null : null, phone: r.friend_phone },
    converted: r.status === 'converted', points: r.bonus_points, createdAt: new Date(r.created_at).toISOString(), convertedAt: r.converted_at ? new Date(r.converted_at).toISOString() : null,
  }));
  return { items, invited: items.length, converted: items.filter((i) => i.converted).length, pointsPaid: items.reduce((s, i) => s + i.points, 0) };
}

export const REPORT_COLUMNS = ['referrer', 'referrerId', 'friend', 'friendPhone', 'friendId', 'invitedAt', 'converted', 'convertedAt', 'points'];

/** One row per referral for the CSV/XLSX export (a spreadsheet sums them; the JSON carries the totals). */
export function reportRows(report: Awaited<ReturnType<typeof referralReport>>): SheetRow[] {
  return report.items.map((i) => ({
    referrer: i.referrer.name, referrerId: i.referrer.id, friend: i.friend.name, friendPhone: i.friend.phone, friendId: i.friend.id,
    invitedAt: i.createdAt, converted: i.converted ? 'yes' : 'no', convertedAt: i.convertedAt, points: i.points,
  }));
}
