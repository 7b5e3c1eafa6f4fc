/**
 * The time-sensitive test files run as if it were another date and hour: each case starts vitest with
 * BOOKFLOW_FAKE_NOW (the app's and the tests' clock starts there and runs on) and a process TZ unlike the
 * business's zone, so code that reads the real time or the server's zone instead of the clock and
 * tenants.timezone fails. Cases run one after another, each on its own embedded PostgreSQL.
 *
 *   npm run test:clock                       the CI set (2 cases: the business's late evening, the server's zone a year ahead)
 *   npm run test:clock -- --all              every case (weekly)
 *   npm run test:clock -- --all plugins/booking/test/chat.test.ts   other files
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';

interface Case {
  name: string;
  /** an instant with the offset of the zone it is named after */
  now: string;
  tz: string;
  ci?: boolean;
}

const CASES: Case[] = [
  // Late evening in Moscow (the demo's and the test salons' zone): today's times are gone, tomorrow is in reach.
  { name: '23:30 in Moscow', now: '2026-12-01T23:30:00+03:00', tz: 'America/Los_Angeles', ci: true },
  // The server's zone has its DST change today: its local day is 25 h (autumn) or 23 h (spring) long.
  { name: 'autumn DST day in Berlin, 01:30', now: '2026-10-25T01:30:00+02:00', tz: 'Europe/Berlin' },
  // Weekly only: the business's own DST days are in the suite (Europe/Berlin schedules, reminders across both changes),
  // and CI's 20 minutes do not hold a third pass of these files.
  { name: 'spring DST day in Berlin, 01:30', now: '2027-03-28T01:30:00+01:00', tz: 'Europe/Berlin' },
  { name: '29 February', now: '2028-02-29T10:00:00+03:00', tz: 'Asia/Tokyo' },
  // Already next year in the server's zone (Tokyo), still this year in the business's.
  { name: 'New Year\'s Eve, 23:59 in Moscow', now: '2026-12-31T23:59:00+03:00', tz: 'Asia/Tokyo', ci: true },
];

/** The files whose tests ask "now": slots, bookings, holds, waitlist, one-time codes, the booking bot, flows and sessions, sign-in and invitations, plugin jobs (due by the clock), reminders and the daily agenda, the CRM's daily tasks and retention, loyalty's and referrals' rules. */
const FILES = [
  'plugins/booking/test/api.test.ts',
  'plugins/booking/test/bookings.test.ts',
  'plugins/booking/test/holds.test.ts',
  'plugins/booking/test/waitlist.test.ts',
  'plugins/booking/test/public.test.ts',
  'plugins/booking/test/identity.test.ts',
  'plugins/booking/test/chat.test.ts',
  'plugins/booking/test/demo.test.ts',
  'plugins/booking/test/public-abuse.test.ts',
  'core/channels/webchat/test/webchat.test.ts',
  'core/test/auth.test.ts',
  'core/test/accounts.test.ts',
  'core/test/clock.test.ts',
  'core/test/jobs.test.ts',
  'core/test/plugin-jobs.test.ts',
  'plugins/example/test/example.test.ts',
  'plugins/notifications/test/notifications.test.ts',
  // The CRM's days: the morning tasks job at the business's hour, sleeping clients, birthdays (across the new year),
  // course due dates, the contracts of today's bookings, erasure's grace period and the reports' periods.
  'plugins/crm/test/crm.test.ts',
  'plugins/crm/test/staff-report.test.ts',
  // Telephony: a replay is judged by the clock, the retention job forgets recordings months on.
  'plugins/crm-telephony/test/telephony.test.ts',
  // Loyalty: accrual and quick rebooking, redemption intervals, late cancels, no-show blocks (bot, public API, desk),
  // expiry, certificates' validity; referrals' first visit and the bonus on completion. (Chromium tests stay out: the
  // browser's clock is not moved.)
  'plugins/loyalty/test/loyalty.test.ts',
  'plugins/referrals/test/referrals.test.ts',
  'plugins/referrals/test/demo-bot.test.ts',
];

function main(): void {
  const args = process.argv.slice(2);
  const all = args.includes('--all');
  const files = args.filter((a) => !a.startsWith('--'));
  const cases = CASES.filter((c) => all || c.ci);
  const root = path.resolve(import.meta.dirname, '..');
  const failed: string[] = [];
  for (const c of cases) {
    console.log(`\n=== moved clock: ${c.name} (BOOKFLOW_FAKE_NOW=${c.now}, TZ=${c.tz}) ===`);
    const started = Date.now();
    const run = spawnSync('npx', ['vitest', 'run', ...(files.length ? files : FILES)], {
      cwd: root, stdio: 'inherit', env: { ...process.env, BOOKFLOW_FAKE_NOW: c.now, TZ: c.tz },
    });
    console.log(`=== ${c.name}: ${run.status === 0 ? 'passed' : 'FAILED'} in ${Math.round((Date.now() - started) / 1000)} s ===`);
    if (run.status !== 0) failed.push(c.name);
  }
  if (failed.length) {
    console.error(`\nMoved-clock runs failed: ${failed.join('; ')}`);
    process.exit(1);
  }
}

main();
