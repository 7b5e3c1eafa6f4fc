import type { Member, Members, Role } from '../../plugin-sdk.js';

/** The business's team for plugins (`ctx.members`): memberships joined with their users. */
export const members: Members = {
  async isMember(q, tenantId, userId) {
    const row = await q.selectFrom('memberships as m').innerJoin('users as u', 'u.id', 'm.user_id').select('m.user_id')
      .where('m.tenant_id', '=', tenantId).where('m.user_id', '=', userId).where('m.deleted_at', 'is', null).where('u.deleted_at', 'is', null).executeTakeFirst();
    return Boolean(row);
  },

  async list(q, tenantId, opts = {}) {
    const byId = opts.userIds !== undefined;
    if (byId && !opts.userIds!.length) return [];
    const rows = await q.selectFrom('memberships as m').innerJoin('users as u', 'u.id', 'm.user_id')
      .select(['u.id', 'u.email', 'u.name', 'm.role', 'm.deleted_at as removed', 'u.deleted_at as user_removed'])
      .where('m.tenant_id', '=', tenantId)
      .$if(byId, (qb) => qb.where('m.user_id', 'in', opts.userIds!))
      .$if(!byId, (qb) => qb.where('m.deleted_at', 'is', null).where('u.deleted_at', 'is', null))
      .orderBy('u.email').execute();
    return rows.map((r): Member => ({ userId: r.id, email: r.email, name: r.name, role: r.role as Role, active: !r.removed && !r.user_removed }));
  },
};
