import { sql, type Kysely } from 'kysely';

/** A completion undone gives the tenders written off at the visit back: the ledger records it as its own kind. */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE prepayment_ledger DROP CONSTRAINT prepayment_ledger_kind_check,
    ADD CONSTRAINT prepayment_ledger_kind_check CHECK (kind IN ('payment','refund','tip','write_off','write_off_return'))`.execute(db);
}
