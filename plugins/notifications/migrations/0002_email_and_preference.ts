import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  // A member who chose email gets their alerts and agenda at their account's address too.
  await sql`ALTER TABLE notifications_staff ADD COLUMN email boolean NOT NULL DEFAULT false`.execute(db);
  // The channel a client asked to be written to first (set from their card); the business's order follows it.
  // A merged contact's row stays under its own id: the kept contact's choice rules, and an undone merge finds it again.
  await sql`CREATE TABLE notifications_client_channels (
    tenant_id uuid NOT NULL REFERENCES tenants(id),
    contact_id uuid NOT NULL,
    channel text NOT NULL CHECK (channel IN ('telegram', 'webchat', 'phone', 'email')),
    PRIMARY KEY (tenant_id, contact_id)
  )`.execute(db);
}
