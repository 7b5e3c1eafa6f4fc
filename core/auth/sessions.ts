import crypto from 'node:crypto';
import type { Db, Role, Tx } from '../../plugin-sdk.js';
import { executePrepared } from '../db/database.js';

export const digest = (token: string) => crypto.createHash('sha256').update(token).digest('hex');

/** Opaque bearer tokens; only their hash is stored, so a database leak yields no usable token. */
export async function createSession(db: Db, userId: string, ttlHours: number, now: Date): Promise<{ token: string; expiresAt: Date }> {
  const token = crypto.randomBytes(32).toString('base64url');
  const expiresAt = new Date(now.getTime() + ttlHours * 3600_000);
  await db.insertInto('sessions').values({ token_hash: digest(token), user_id: userId, expires_at: expiresAt }).execute();
  return { token, expiresAt };
}

export interface Membership { tenantId: string; role: Role }
export type SessionLookup = { status: 'ok'; userId: string; email: string; membership?: Membership } | { status: 'expired' } | { status: 'unknown' };

/**
 * The session of a token; `member`: also the user's membership, in the same statement (the business named by id or
 * slug, else their first), as every business route asks for both.
 */
export async function findSession(db: Db, token: string, now: Date, member?: { tenant?: { id: string } | { slug: string } }): Promise<SessionLookup> {
  // Prepared: every signed-in request asks it first.
  const { rows: [row] } = await executePrepared(db, db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .select(['sessions.user_id', 'sessions.expires_at', 'users.email'])
    .$if(member !== undefined, (q) => q.leftJoinLateral((eb) => {
      let m = eb.selectFrom('memberships').innerJoin('tenants', 'tenants.id', 'memberships.tenant_id')
        .select(['memberships.tenant_id', 'memberships.role']).whereRef('memberships.user_id', '=', 'sessions.user_id')
        .where('memberships.deleted_at', 'is', null).where('tenants.deleted_at', 'is', null);
      const t = member?.tenant;
      if (t) m = 'id' in t ? m.where('tenants.id', '=', t.id) : m.where('tenants.slug', '=', t.slug);
      return m.orderBy('memberships.created_at').orderBy('memberships.tenant_id').limit(1).as('m');
    }, (j) => j.onTrue()).select(['m.tenant_id', 'm.role']))
    .where('sessions.token_hash', '=', digest(token))
    .where('users.deleted_at', 'is', null)) as { rows: Array<{ user_id: string; expires_at: Date; email: string; tenant_id?: string | null; role?: Role | null }> };
  if (!row) return { status: 'unknown' };
  if (new Date(row.expires_at) <= now) return { status: 'expired' };
  return { status: 'ok', userId: row.user_id, email: row.email, ...(row.tenant_id && row.role ? { membership: { tenantId: row.tenant_id, role: row.role } } : {}) };
}

export async function deleteSession(db: Db, token: string): Promise<void> {
  await db.deleteFrom('sessions').where('token_hash', '=', digest(token)).execute();
}

/** Every session of a user but the one presented (after a password change), or all of them. */
export async function deleteUserSessions(db: Db | Tx, userId: string, keepToken?: string): Promise<number> {
  let query = db.deleteFrom('sessions').where('user_id', '=', userId);
  if (keepToken !== undefined) query = query.where('token_hash', '<>', digest(keepToken));
  const result = await query.executeTakeFirst();
  return Number(result.numDeletedRows);
}

export async function purgeExpiredSessions(db: Db, now: Date): Promise<number> {
  const result = await db.deleteFrom('sessions').where('expires_at', '<', now).executeTakeFirst();
  return Number(result.numDeletedRows);
}
