import fs from 'node:fs';
import { createError } from '../errors.js';

export const PASSWORD_MIN_LENGTH = 10;

// The 10,000 most used passwords, most used first (see wordlists/README.md for where the list comes from).
const COMMON = new Set(fs.readFileSync(new URL('./wordlists/common-passwords.txt', import.meta.url), 'utf8').split('\n').filter(Boolean));

export type PasswordProblem = 'blank' | 'too_short' | 'common';

/** Why a password a person chooses is refused, or undefined when it is acceptable. */
export function passwordProblem(password: string): PasswordProblem | undefined {
  if (password.trim() === '') return 'blank';
  if ([...password].length < PASSWORD_MIN_LENGTH) return 'too_short';
  if (COMMON.has(password.trim().toLowerCase())) return 'common';
  return undefined;
}

/** Throws BF_ERR_AUTH_PASSWORD_WEAK naming the body field when a chosen password breaks the rules. */
export function assertStrongPassword(password: string, path: string): void {
  const reason = passwordProblem(password);
  if (reason) throw createError('BF_ERR_AUTH_PASSWORD_WEAK', { path, reason, minLength: PASSWORD_MIN_LENGTH });
}
