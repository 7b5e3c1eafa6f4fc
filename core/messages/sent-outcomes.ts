import { sql } from 'kysely';
import type { Db } from '../../plugin-sdk.js';
import { PREPARED } from '../db/database.js';
import type { Outcome, OutgoingRow } from './deliver.js';

type Sent = Extract<Outcome, { status: 'sent' }>;
interface Waiting {
  row: Record<string, unknown>;
  done: (e?: unknown) => void;
}

/** At most this many rows in one statement: a burst is written in a few statements of bounded size. */
const BATCH = 200;

/**
 * Records messages as sent, many in one statement. While one write is in flight the next sends gather behind it, so a
 * busy dispatcher commits (and waits for the disk) once a batch instead of once a message, and an idle one at once:
 * no timer, no added wait. A row is matched by its lease, as a single outcome is: one taken over is not touched.
 */
export class SentOutcomes {
  private waiting: Waiting[] = [];
  private writing = false;

  constructor(private readonly db: Db) {}

  record(row: OutgoingRow, sent: Sent, at: Date): Promise<void> {
    return new Promise((resolve, reject) => {
      this.waiting.push({
        row: {
          tenant_id: row.tenant_id, id: row.id, lease_until: row.lease_until, attempts: row.attempts + 1, channel: sent.channel,
          identity_id: sent.identityId, provider_id: sent.providerId, sent_at: at, conversation_key: sent.conversationKey,
        },
        done: (e) => (e ? reject(e) : resolve()),
      });
      if (!this.writing) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.writing = true;
    while (this.waiting.length) {
      const batch = this.waiting.splice(0, BATCH);
      try {
        await this.write(batch.map((w) => w.row));
        for (const w of batch) w.done();
      } catch (e) {
        for (const w of batch) w.done(e);
      }
    }
    this.writing = false;
  }

  private async write(rows: Array<Record<string, unknown>>): Promise<void> {
    // One text for every batch size (the rows are one jsonb parameter), so it is prepared once per connection.
    await sql`${PREPARED}UPDATE messages m SET status = 'sent', lease_until = NULL, reason = NULL, attempts = v.attempts,
        channel = v.channel, identity_id = v.identity_id, provider_id = v.provider_id, sent_at = v.sent_at,
        conversation_key = coalesce(v.conversation_key, m.conversation_key)
      FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS v(tenant_id uuid, id uuid, lease_until timestamptz, attempts int,
        channel text, identity_id uuid, provider_id text, sent_at timestamptz, conversation_key text)
      WHERE m.tenant_id = v.tenant_id AND m.id = v.id AND m.status = 'sending' AND m.lease_until = v.lease_until`.execute(this.db);
  }
}
