import type { Logger } from 'pino';
import type { Db } from '../../plugin-sdk.js';
import type { Scheduler } from '../jobs/scheduler.js';
import type { Clock } from '../clock.js';
import { purgeExpiredSessions } from './sessions.js';
import { purgeLoginLimits } from './login-limits.js';

export const AUTH_PURGE_JOB = 'core.auth-purge';

/** Expired sessions and stale login counters are deleted by an hourly job, not left to pile up. */
export async function scheduleAuthPurge(scheduler: Scheduler, db: Db, log: Logger, clock: Clock): Promise<void> {
  scheduler.agenda.define(AUTH_PURGE_JOB, async () => {
    const sessions = await purgeExpiredSessions(db, clock.now());
    await purgeLoginLimits(db);
    if (sessions) log.info({ sessions }, 'expired sessions purged');
  });
  await scheduler.agenda.every('1 hour', AUTH_PURGE_JOB, {});
}
