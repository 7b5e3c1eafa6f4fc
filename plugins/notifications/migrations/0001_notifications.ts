import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  // The reminders a booking has scheduled (each is a keyed job): moved or removed with the booking, shown in its timeline.
  await sql`CREATE TABLE notifications_reminders (
    tenant_id uuid NOT NULL REFERENCES tenants(id),
    booking_id uuid NOT NULL,
    offset_min int NOT NULL,
    run_at timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, booking_id, offset_min)
  )`.execute(db);
  // What a booking's client and staff were told, and how the client reacted: the booking's notification timeline.
  await sql`CREATE TABLE notifications_log (
    tenant_id uuid NOT NULL REFERENCES tenants(id),
    id bigserial NOT NULL,
    booking_id uuid,
    kind text NOT NULL,
    message_id uuid,
    detail jsonb NOT NULL DEFAULT '{}',
    at timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, id)
  )`.execute(db);
  await sql`CREATE INDEX notifications_log_booking ON notifications_log (tenant_id, booking_id, id)`.execute(db);
  // A service's own reminder offsets, overriding the business's.
  await sql`CREATE TABLE notifications_service_offsets (
    tenant_id uuid NOT NULL REFERENCES tenants(id),
    service_id uuid NOT NULL,
    offsets int[] NOT NULL,
    PRIMARY KEY (tenant_id, service_id)
  )`.execute(db);
  // A member's Telegram chat with the business's bot, and what they want to hear about.
  await sql`CREATE TABLE notifications_staff (
    tenant_id uuid NOT NULL REFERENCES tenants(id),
    user_id uuid NOT NULL,
    bot_id uuid,
    chat_id text,
    topics text[] NOT NULL DEFAULT '{booking.new,booking.changed,booking.cancelled,lead.new,review.low,call.missed,task.new}',
    agenda_time text,
    linked_at timestamptz,
    PRIMARY KEY (tenant_id, user_id)
  )`.execute(db);
  await sql`CREATE UNIQUE INDEX notifications_staff_chat ON notifications_staff (tenant_id, bot_id, chat_id) WHERE chat_id IS NOT NULL`.execute(db);
  // One-time link codes (only their hash): a member opens the bot's deep link with it.
  await sql`CREATE TABLE notifications_link_codes (
    tenant_id uuid NOT NULL REFERENCES tenants(id),
    code_hash text NOT NULL,
    user_id uuid NOT NULL,
    expires_at timestamptz NOT NULL,
    PRIMARY KEY (code_hash)
  )`.execute(db);
}
