import { sql, type Kysely } from 'kysely';

/**
 * Durable messages: every outgoing message is a row written in its sender's transaction and sent after commit
 * by the dispatcher (claimed with SKIP LOCKED, leased while sending); incoming texts are rows too, so a
 * client's log shows both directions. Buttons of proactive messages carry short unguessable callback ids
 * resolved here. Telegram's send limits are shared by every instance through rate rows (GCRA), stamped with
 * the database's clock_timestamp(): the limits are real seconds, the same for all instances.
 */
export async function up(db: Kysely<any>): Promise<void> {
  // {"from": "21:00", "to": "09:00"} in the business's zone: marketing messages wait for its end; null: none
  await sql`ALTER TABLE tenants ADD COLUMN quiet_hours jsonb`.execute(db);

  await sql`CREATE TABLE messages (
    tenant_id uuid NOT NULL REFERENCES tenants(id),
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    -- a conversation's messages leave in this order (one conversation's rows are written under its session lock)
    seq bigserial NOT NULL,
    direction text NOT NULL CHECK (direction IN ('out','in')),
    contact_id uuid,
    -- the chat it went to or came from (tg:<bot>:<chat>, web:<id>); set when sent for a message to a contact
    conversation_key text,
    -- outgoing rows of one key leave one after another (the conversation, or contact:<id>)
    order_key text,
    purpose text NOT NULL CHECK (purpose IN ('reply','transactional','marketing')),
    channels text[] NOT NULL DEFAULT '{}',
    -- text per language, photo, buttons (callback ids resolved), request contact, invoice
    content jsonb NOT NULL,
    -- null: the contact's locale, else the business's
    locale text CHECK (locale IN ('ru','en','uk')),
    idempotency_key text,
    status text NOT NULL CHECK (status IN ('queued','sending','sent','failed','skipped','received')),
    channel text,
    identity_id uuid,
    provider_id text,
    attempts int NOT NULL DEFAULT 0,
    -- why it failed, was skipped, or waits (quiet hours)
    reason text,
    not_before timestamptz NOT NULL,
    -- held back on purpose (the sender's notBefore, quiet hours): later rows of its order key do not wait for it
    deferred boolean NOT NULL DEFAULT false,
    lease_until timestamptz,
    actor_id uuid,
    created_at timestamptz NOT NULL DEFAULT now(),
    sent_at timestamptz,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, contact_id) REFERENCES contacts(tenant_id, id),
    CHECK (direction = 'in' OR order_key IS NOT NULL)
  )`.execute(db);
  await sql`CREATE UNIQUE INDEX messages_idempotency_key ON messages (tenant_id, idempotency_key) WHERE idempotency_key IS NOT NULL`.execute(db);
  // The dispatcher walks open rows in seq order and takes the first due one whose order key has none open before it.
  await sql`CREATE INDEX messages_open_idx ON messages (seq) WHERE status IN ('queued','sending')`.execute(db);
  await sql`CREATE INDEX messages_order_idx ON messages (order_key, seq) WHERE status IN ('queued','sending')`.execute(db);
  await sql`CREATE INDEX messages_contact_idx ON messages (tenant_id, contact_id, seq)`.execute(db);
  await sql`CREATE INDEX messages_conversation_idx ON messages (tenant_id, conversation_key, seq)`.execute(db);

  // A pressed button of a proactive message: what it does stays here, the chat only carries the id.
  await sql`CREATE TABLE message_buttons (
    id text PRIMARY KEY CHECK (id ~ '^m[A-Za-z0-9_-]{16}$'),
    tenant_id uuid NOT NULL REFERENCES tenants(id),
    message_id uuid NOT NULL,
    contact_id uuid,
    action text,
    payload jsonb NOT NULL DEFAULT '{}',
    flow jsonb,
    expires_at timestamptz NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    -- the reply of an action may carry buttons itself; its row is written later in the same transaction
    FOREIGN KEY (tenant_id, message_id) REFERENCES messages(tenant_id, id) DEFERRABLE INITIALLY DEFERRED,
    CHECK ((action IS NULL) <> (flow IS NULL))
  )`.execute(db);
  await sql`CREATE INDEX message_buttons_message_idx ON message_buttons (tenant_id, message_id)`.execute(db);

  // GCRA: the theoretical arrival time of the next send per key (tg:<bot> and tg:<bot>:<chat>).
  await sql`CREATE TABLE channel_rate_limits (
    key text PRIMARY KEY,
    tat timestamptz NOT NULL
  )`.execute(db);
  // One round trip per send: a chat that is not ready says in how many ms it is (nothing reserved); a ready chat
  // gets the bot's next slot (wait_ms from now) and its own next time moves past that slot. Chat row first, then
  // the bot's: the same lock order for every caller.
  await sql`CREATE FUNCTION bf_reserve_send(chat_key text, chat_ms float8, chat_burst int, bot_key text, bot_ms float8)
    RETURNS TABLE (wait_ms float8, chat_ready_ms float8) LANGUAGE plpgsql AS $$
    DECLARE
      t timestamptz := clock_timestamp();
      ready timestamptz;
      slot timestamptz;
    BEGIN
      INSERT INTO channel_rate_limits (key, tat) VALUES (chat_key, t) ON CONFLICT (key) DO NOTHING;
      SELECT r.tat - (chat_burst - 1) * chat_ms * interval '1 millisecond' INTO ready FROM channel_rate_limits r WHERE r.key = chat_key FOR UPDATE;
      IF ready > t THEN
        RETURN QUERY SELECT NULL::float8, (extract(epoch FROM ready - t) * 1000)::float8;
        RETURN;
      END IF;
      INSERT INTO channel_rate_limits AS r (key, tat) VALUES (bot_key, t + bot_ms * interval '1 millisecond')
        ON CONFLICT (key) DO UPDATE SET tat = greatest(r.tat, t) + bot_ms * interval '1 millisecond'
        RETURNING r.tat - bot_ms * interval '1 millisecond' INTO slot;
      UPDATE channel_rate_limits r SET tat = greatest(r.tat, slot) + chat_ms * interval '1 millisecond' WHERE r.key = chat_key;
      RETURN QUERY SELECT (extract(epoch FROM slot - t) * 1000)::float8, 0::float8;
    END $$`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP FUNCTION IF EXISTS bf_reserve_send`.execute(db);
  for (const t of ['channel_rate_limits', 'message_buttons', 'messages']) await sql`DROP TABLE IF EXISTS ${sql.table(t)}`.execute(db);
  await sql`ALTER TABLE tenants DROP COLUMN IF EXISTS quiet_hours`.execute(db);
}
