import { sql } from 'kysely';
import type { FastifyReply } from 'fastify';
import type { Db, Tx } from '../../plugin-sdk.js';
import { createError, type BookflowError } from '../errors.js';

/**
 * Password-guessing limits kept in PostgreSQL, so every instance sees the same counters.
 * Per account (by normalized email, known or not, so the answer does not tell which exist):
 * the first FREE_FAILURES failures in a row cost nothing, then each attempt locks the account
 * for 1 s, 2 s, 4 s … at most CAP_SECONDS: an attacker gets a dozen guesses an hour, and the
 * real owner waits at most a few minutes. Per address: one client address may fail at no more
 * than ADDRESS_ACCOUNTS different accounts within ADDRESS_WINDOW (a spray across accounts).
 */
export const LOGIN_LIMITS = {
  FREE_FAILURES: 10,
  CAP_SECONDS: 300,
  ADDRESS_ACCOUNTS: 30,
  ADDRESS_WINDOW_MINUTES: 10,
  /** a streak of failures this old is forgotten */
  FORGET_HOURS: 24,
} as const;

export const emailKey = (email: string) => email.trim().toLowerCase();

const throttled = (retryAfter: number, scope: 'account' | 'address') =>
  createError('BF_ERR_AUTH_TOO_MANY_ATTEMPTS', { retryAfter: Math.max(1, Math.ceil(retryAfter)), scope });

/**
 * Counts one password attempt before the password is checked (so parallel guesses cannot all
 * slip in before the first failure is written) and throws a 429 when a limit is reached.
 * Call loginSucceeded after a right password: that clears the streak.
 */
export async function beginPasswordAttempt(db: Db, address: string, email: string, reply: FastifyReply): Promise<void> {
  const key = emailKey(email);
  try {
    await db.transaction().execute(async (trx) => {
      await countAddressAttempt(trx, address, key);
      await countAccountAttempt(trx, key);
    });
  } catch (e) {
    if ((e as BookflowError).code === 'BF_ERR_AUTH_TOO_MANY_ATTEMPTS') reply.header('retry-after', String((e as BookflowError).details!.retryAfter));
    throw e;
  }
}

async function countAddressAttempt(trx: Tx, address: string, key: string): Promise<void> {
  // One address at a time, so parallel requests cannot each see room for one more account.
  await sql`SELECT pg_advisory_xact_lock(hashtext(${'login-address:' + address}))`.execute(trx);
  const window = sql`now() - make_interval(mins => ${LOGIN_LIMITS.ADDRESS_WINDOW_MINUTES})`;
  const seen = await sql<{ others: number; known: boolean; wait: number | null }>`
    SELECT count(*) FILTER (WHERE email_key <> ${key})::int AS others, coalesce(bool_or(email_key = ${key}), false) AS known,
           extract(epoch FROM min(at) + make_interval(mins => ${LOGIN_LIMITS.ADDRESS_WINDOW_MINUTES}) - now())::float AS wait
    FROM login_address_attempts WHERE address = ${address} AND at > ${window}`.execute(trx);
  const { others, known, wait } = seen.rows[0];
  if (!known && others >= LOGIN_LIMITS.ADDRESS_ACCOUNTS) throw throttled(wait ?? 1, 'address');
  await trx.insertInto('login_address_attempts').values({ address, email_key: key })
    .onConflict((oc) => oc.columns(['address', 'email_key']).doUpdateSet({ at: sql`now()` })).execute();
}

async function countAccountAttempt(trx: Tx, key: string): Promise<void> {
  await trx.insertInto('login_account_limits').values({ email_key: key, failures: 0 }).onConflict((oc) => oc.column('email_key').doNothing()).execute();
  const row = await sql<{ failures: number; stale: boolean; wait: number | null }>`
    SELECT failures, last_attempt_at < now() - make_interval(hours => ${LOGIN_LIMITS.FORGET_HOURS}) AS stale,
           CASE WHEN locked_until > now() THEN extract(epoch FROM locked_until - now())::float END AS wait
    FROM login_account_limits WHERE email_key = ${key} FOR UPDATE`.execute(trx);
  const { failures, stale, wait } = row.rows[0];
  if (wait !== null) throw throttled(wait, 'account');
  const attempt = stale ? 1 : failures + 1;
  const over = attempt - LOGIN_LIMITS.FREE_FAILURES;
  const lockSeconds = over > 0 ? Math.min(LOGIN_LIMITS.CAP_SECONDS, 2 ** (over - 1)) : 0;
  await trx.updateTable('login_account_limits')
    .set({ failures: attempt, last_attempt_at: sql`now()`, locked_until: lockSeconds ? sql`now() + make_interval(secs => ${lockSeconds})` : null })
    .where('email_key', '=', key).execute();
}

/** The password was right: the account's streak and this address's attempt at it are forgotten. */
export async function loginSucceeded(db: Db, address: string, email: string): Promise<void> {
  const key = emailKey(email);
  await db.deleteFrom('login_account_limits').where('email_key', '=', key).execute();
  await db.deleteFrom('login_address_attempts').where('address', '=', address).where('email_key', '=', key).execute();
}

/** Drops counters nobody will look at again (run by the auth purge job). */
export async function purgeLoginLimits(db: Db): Promise<void> {
  await db.deleteFrom('login_address_attempts').where('at', '<', sql<Date>`now() - make_interval(mins => ${LOGIN_LIMITS.ADDRESS_WINDOW_MINUTES})`).execute();
  await db.deleteFrom('login_account_limits')
    .where('last_attempt_at', '<', sql<Date>`now() - make_interval(hours => ${LOGIN_LIMITS.FORGET_HOURS})`)
    .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', sql<Date>`now()`)])).execute();
}
