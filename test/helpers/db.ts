import crypto from 'node:crypto';
import { inject } from 'vitest';
import { ensureDatabase } from '../../core/db/provision.js';

export const adminUrl = (): string => inject('pgAdminUrl');

/** A new database for one test file: migrated (cloned from the template) or empty. */
export async function freshDatabase(opts: { empty?: boolean } = {}): Promise<string> {
  const name = `t_${crypto.randomBytes(6).toString('hex')}`;
  return ensureDatabase(adminUrl(), name, opts.empty ? undefined : 'bookflow_template');
}
