import crypto from 'node:crypto';
import { sql } from 'kysely';
import type { Db, Role, Tx } from '../../plugin-sdk.js';
import { createError } from '../errors.js';
import { writeAudit } from '../audit.js';
import { digest } from './sessions.js';

export const INVITATION_TTL_DAYS = 7;

export interface Invitation {
  id: string;
  tenant_id: string;
  email: string;
  role: Role;
  expires_at: Date;
  tenant_name: string;
  tenant_slug: string;
}

/**
 * A one-time link to join a business with a role. Only the token's hash is stored (like
 * sessions), and a new invitation of the same email replaces the pending one, so at most
 * one link per person and business works at a time.
 */
export async function createInvitation(trx: Tx, input: { tenantId: string; email: string; role: Role; invitedBy: string }, now: Date): Promise<{ id: string; token: string; expiresAt: Date }> {
  const member = await trx.selectFrom('memberships').innerJoin('users', 'users.id', 'memberships.user_id').select('users.id')
    .where('memberships.tenant_id', '=', input.tenantId).where('memberships.deleted_at', 'is', null)
    .where(sql`lower(users.email)`, '=', input.email.toLowerCase()).executeTakeFirst();
  if (member) throw createError('BF_ERR_MEMBER_EXISTS', { email: input.email });
  const replaced = await trx.updateTable('invitations').set({ revoked_at: sql`now()` })
    .where('tenant_id', '=', input.tenantId).where(sql`lower(email)`, '=', input.email.toLowerCase())
    .where('accepted_at', 'is', null).where('revoked_at', 'is', null).returning(['id', 'role']).execute();
  for (const r of replaced) {
    await writeAudit(trx, { tenantId: input.tenantId, actorId: input.invitedBy, entity: 'invitation', entityId: r.id, action: 'revoke', before: { email: input.email, role: r.role }, after: { replacedByNewInvitation: true } });
  }
  const token = crypto.randomBytes(32).toString('base64url');
  const expiresAt = new Date(now.getTime() + INVITATION_TTL_DAYS * 86_400_000);
  const row = await trx.insertInto('invitations')
    .values({ tenant_id: input.tenantId, email: input.email, role: input.role, token_hash: digest(token), invited_by: input.invitedBy, expires_at: expiresAt })
    .returning('id').executeTakeFirstOrThrow();
  await writeAudit(trx, { tenantId: input.tenantId, actorId: input.invitedBy, entity: 'invitation', entityId: row.id, action: 'create', after: { email: input.email, role: input.role, expiresAt } });
  return { id: row.id, token, expiresAt };
}

/** The invitation a link stands for, while it can still be accepted; `lock` holds it for the accepting transaction. */
export async function usableInvitation(q: Db | Tx, token: string, now: Date, lock = false): Promise<Invitation> {
  let query = q.selectFrom('invitations').innerJoin('tenants', 'tenants.id', 'invitations.tenant_id')
    .select(['invitations.id', 'invitations.tenant_id', 'invitations.email', 'invitations.role', 'invitations.expires_at', 'tenants.name as tenant_name', 'tenants.slug as tenant_slug'])
    .where('invitations.token_hash', '=', digest(token)).where('invitations.accepted_at', 'is', null).where('invitations.revoked_at', 'is', null)
    .where('tenants.deleted_at', 'is', null);
  if (lock) query = query.forUpdate('invitations');
  const row = await query.executeTakeFirst();
  if (!row) throw createError('BF_ERR_INVITATION_NOT_FOUND');
  if (new Date(row.expires_at) <= now) throw createError('BF_ERR_INVITATION_EXPIRED', { expiresAt: new Date(row.expires_at).toISOString() });
  return row as Invitation;
}

/**
 * Membership starts here, on the invitee's own acceptance. A member removed earlier comes
 * back with the invited role; an active member keeps theirs (a stale link never demotes).
 */
export async function acceptInvitation(trx: Tx, invitation: Invitation, userId: string): Promise<void> {
  await trx.insertInto('memberships').values({ tenant_id: invitation.tenant_id, user_id: userId, role: invitation.role })
    .onConflict((oc) => oc.columns(['tenant_id', 'user_id']).doUpdateSet({ role: invitation.role, deleted_at: null }).where('memberships.deleted_at', 'is not', null))
    .execute();
  await trx.updateTable('invitations').set({ accepted_at: sql`now()`, accepted_by: userId }).where('id', '=', invitation.id).execute();
  await writeAudit(trx, { tenantId: invitation.tenant_id, actorId: userId, entity: 'invitation', entityId: invitation.id, action: 'accept', after: { email: invitation.email, role: invitation.role } });
  await writeAudit(trx, { tenantId: invitation.tenant_id, actorId: userId, entity: 'member', entityId: userId, action: 'create', after: { email: invitation.email, role: invitation.role } });
}
