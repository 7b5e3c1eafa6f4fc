import { sql, type Kysely } from 'kysely';

/**
 * The instant of the last morning run, not only its day: with the hour moved later after today's run, today's new
 * hour is still due, and stays due past it (a booking saved after it, before the job ran, must not push it to
 * tomorrow). Existing rows count as run at the start of their day (UTC): at worst today's run comes once more.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE crm_morning_runs ADD COLUMN ran_at timestamptz`.execute(db);
  await sql`UPDATE crm_morning_runs SET ran_at = day::timestamp AT TIME ZONE 'UTC'`.execute(db);
  await sql`ALTER TABLE crm_morning_runs ALTER COLUMN ran_at SET NOT NULL`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE crm_morning_runs DROP COLUMN ran_at`.execute(db);
}
