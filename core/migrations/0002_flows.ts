import { sql, type Kysely } from 'kysely';

/** Dialog flows, their published versions, Telegram bots, chat sessions and update de-duplication. */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`CREATE TABLE bots (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id uuid NOT NULL REFERENCES tenants(id),
    name text NOT NULL,
    username text,
    telegram_id bigint,
    token_sealed text,
    webhook_secret text NOT NULL,
    enabled boolean NOT NULL DEFAULT true,
    status text NOT NULL DEFAULT 'off' CHECK (status IN ('active','error','off')),
    last_error text,
    flow_key text NOT NULL DEFAULT 'main',
    staff_chat_id text,
    is_demo boolean NOT NULL DEFAULT false,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz
  )`.execute(db);
  await sql`CREATE INDEX bots_tenant_idx ON bots (tenant_id) WHERE deleted_at IS NULL`.execute(db);

  await sql`CREATE TABLE flows (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id uuid NOT NULL REFERENCES tenants(id),
    key text NOT NULL CHECK (key ~ '^[a-z0-9][a-z0-9-]{0,62}$'),
    name text NOT NULL,
    bot_id uuid REFERENCES bots(id),
    draft jsonb NOT NULL,
    published_version int,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz
  )`.execute(db);
  await sql`CREATE UNIQUE INDEX flows_tenant_key_idx ON flows (tenant_id, key) WHERE deleted_at IS NULL`.execute(db);

  await sql`CREATE TABLE flow_versions (
    flow_id uuid NOT NULL REFERENCES flows(id),
    version int NOT NULL,
    graph jsonb NOT NULL,
    published_at timestamptz NOT NULL DEFAULT now(),
    published_by uuid,
    PRIMARY KEY (flow_id, version)
  )`.execute(db);

  // One row per conversation (a Telegram chat with one bot, or one web chat); a new session reuses the row.
  await sql`CREATE TABLE flow_sessions (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id uuid NOT NULL REFERENCES tenants(id),
    conversation_key text NOT NULL UNIQUE,
    channel text NOT NULL,
    bot_id uuid REFERENCES bots(id),
    chat_id text NOT NULL,
    client jsonb NOT NULL DEFAULT '{}',
    locale text NOT NULL DEFAULT 'ru',
    status text NOT NULL DEFAULT 'ended' CHECK (status IN ('active','ended','handoff')),
    flow_id uuid REFERENCES flows(id),
    flow_version int,
    draft_graph jsonb,
    draft_mode boolean NOT NULL DEFAULT false,
    node_id text,
    waiting text CHECK (waiting IN ('input','timer')),
    vars jsonb NOT NULL DEFAULT '{}',
    callbacks jsonb NOT NULL DEFAULT '{}',
    callback_seq int NOT NULL DEFAULT 0,
    timer_token text,
    noreply jsonb,
    started_at timestamptz,
    last_activity_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz
  )`.execute(db);
  await sql`CREATE INDEX flow_sessions_expiry_idx ON flow_sessions (expires_at) WHERE status <> 'ended'`.execute(db);

  await sql`CREATE TABLE telegram_updates (
    bot_id uuid NOT NULL REFERENCES bots(id),
    update_id bigint NOT NULL,
    received_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (bot_id, update_id)
  )`.execute(db);

  // What the web chat showed, so an SSE client that reconnects gets what it missed.
  await sql`CREATE TABLE webchat_messages (
    seq bigserial PRIMARY KEY,
    session_id uuid NOT NULL REFERENCES flow_sessions(id),
    message jsonb NOT NULL,
    -- sent later than the turn that caused it (wait/no-reply timers): delivered over SSE
    pushed boolean NOT NULL DEFAULT false,
    created_at timestamptz NOT NULL DEFAULT now()
  )`.execute(db);
  await sql`CREATE INDEX webchat_messages_session_idx ON webchat_messages (session_id, seq)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['webchat_messages', 'telegram_updates', 'flow_sessions', 'flow_versions', 'flows', 'bots']) await sql`DROP TABLE IF EXISTS ${sql.table(t)}`.execute(db);
}
