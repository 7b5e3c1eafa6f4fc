import type { Db } from '../../plugin-sdk.js';
import type { SignupMode } from '../config.js';
import { createError } from '../errors.js';

export interface SignupPolicy {
  mode: SignupMode;
  /** ADMIN_EMAIL: the operator's own account, which may always create businesses */
  bootstrapEmail: string;
}

/**
 * ALLOW_SIGNUP: who may create a business. Unchecked, any team member (a specialist
 * included) could open a business of their own and invite anyone into it.
 */
export async function assertMayCreateBusiness(db: Db, policy: SignupPolicy, user: { userId: string; email: string }): Promise<void> {
  if (policy.mode === 'all' || user.email.toLowerCase() === policy.bootstrapEmail.toLowerCase()) return;
  if (policy.mode === 'owners') {
    const owns = await db.selectFrom('memberships').innerJoin('tenants', 'tenants.id', 'memberships.tenant_id').select('memberships.tenant_id')
      .where('memberships.user_id', '=', user.userId).where('memberships.role', '=', 'owner')
      .where('memberships.deleted_at', 'is', null).where('tenants.deleted_at', 'is', null).executeTakeFirst();
    if (owns) return;
  }
  throw createError('BF_ERR_TENANT_SIGNUP_CLOSED', { allowSignup: policy.mode });
}
