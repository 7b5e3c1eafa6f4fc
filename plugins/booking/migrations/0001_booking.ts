import { sql, type Kysely } from 'kysely';

/**
 * Catalog, availability, clients, bookings, history and waitlist. Every key starts with tenant_id.
 * Double booking is impossible at the database level: booking_resources carries the busy range
 * (buffers included) and an exclusion constraint per (tenant, resource). Bookings of one group
 * session share a session key, so they may overlap each other but nothing else.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`CREATE TABLE booking_departments (
    tenant_id uuid NOT NULL REFERENCES tenants(id),
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    name text NOT NULL,
    description text NOT NULL DEFAULT '',
    sort int NOT NULL DEFAULT 0,
    created_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz,
    PRIMARY KEY (tenant_id, id)
  )`.execute(db);

  await sql`CREATE TABLE booking_resources (
    tenant_id uuid NOT NULL REFERENCES tenants(id),
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    department_id uuid NOT NULL,
    kind text NOT NULL CHECK (kind IN ('staff','room','equipment')),
    name text NOT NULL,
    title text NOT NULL DEFAULT '',
    user_id uuid REFERENCES users(id),
    color text NOT NULL DEFAULT '#8888aa',
    active boolean NOT NULL DEFAULT true,
    sort int NOT NULL DEFAULT 0,
    created_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, department_id) REFERENCES booking_departments(tenant_id, id)
  )`.execute(db);

  await sql`CREATE TABLE booking_services (
    tenant_id uuid NOT NULL REFERENCES tenants(id),
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    department_id uuid NOT NULL,
    name text NOT NULL,
    description text NOT NULL DEFAULT '',
    kind text NOT NULL DEFAULT 'regular' CHECK (kind IN ('regular','group','online')),
    duration_min int NOT NULL CHECK (duration_min BETWEEN 5 AND 1440),
    price numeric(12,2) NOT NULL DEFAULT 0 CHECK (price >= 0),
    buffer_before_min int NOT NULL DEFAULT 0 CHECK (buffer_before_min BETWEEN 0 AND 240),
    buffer_after_min int NOT NULL DEFAULT 0 CHECK (buffer_after_min BETWEEN 0 AND 240),
    capacity int NOT NULL DEFAULT 1 CHECK (capacity >= 1),
    color text NOT NULL DEFAULT '#4caf50',
    needs_staff boolean NOT NULL DEFAULT true,
    requires_contract boolean NOT NULL DEFAULT false,
    active boolean NOT NULL DEFAULT true,
    sort int NOT NULL DEFAULT 0,
    created_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, department_id) REFERENCES booking_departments(tenant_id, id)
  )`.execute(db);

  // Rooms and equipment a service needs: one resource of each kind listed, any of those listed.
  await sql`CREATE TABLE booking_service_resources (
    tenant_id uuid NOT NULL,
    service_id uuid NOT NULL,
    resource_id uuid NOT NULL,
    PRIMARY KEY (tenant_id, service_id, resource_id),
    FOREIGN KEY (tenant_id, service_id) REFERENCES booking_services(tenant_id, id),
    FOREIGN KEY (tenant_id, resource_id) REFERENCES booking_resources(tenant_id, id)
  )`.execute(db);

  await sql`CREATE TABLE booking_competencies (
    tenant_id uuid NOT NULL,
    resource_id uuid NOT NULL,
    service_id uuid NOT NULL,
    price numeric(12,2) CHECK (price >= 0),
    duration_min int CHECK (duration_min BETWEEN 5 AND 1440),
    PRIMARY KEY (tenant_id, resource_id, service_id),
    FOREIGN KEY (tenant_id, service_id) REFERENCES booking_services(tenant_id, id),
    FOREIGN KEY (tenant_id, resource_id) REFERENCES booking_resources(tenant_id, id)
  )`.execute(db);
  await sql`CREATE INDEX booking_competencies_service_idx ON booking_competencies (tenant_id, service_id)`.execute(db);

  // Weekly template in the business's wall-clock time (minutes from local midnight), so DST never shifts it.
  await sql`CREATE TABLE booking_schedules (
    tenant_id uuid NOT NULL,
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    resource_id uuid NOT NULL,
    weekday smallint NOT NULL CHECK (weekday BETWEEN 1 AND 7),
    start_min int NOT NULL CHECK (start_min BETWEEN 0 AND 1439),
    end_min int NOT NULL CHECK (end_min BETWEEN 1 AND 1440),
    valid_from date,
    valid_to date,
    PRIMARY KEY (tenant_id, id),
    CHECK (start_min < end_min),
    FOREIGN KEY (tenant_id, resource_id) REFERENCES booking_resources(tenant_id, id)
  )`.execute(db);
  await sql`CREATE INDEX booking_schedules_resource_idx ON booking_schedules (tenant_id, resource_id)`.execute(db);

  // Dated exceptions of a resource, as UTC instants: absences block, extra_work adds working time.
  await sql`CREATE TABLE booking_exceptions (
    tenant_id uuid NOT NULL,
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    resource_id uuid NOT NULL,
    kind text NOT NULL CHECK (kind IN ('vacation','sick_leave','blocked','extra_work')),
    period tstzrange NOT NULL CHECK (NOT isempty(period)),
    reason text NOT NULL DEFAULT '',
    created_by uuid,
    created_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, resource_id) REFERENCES booking_resources(tenant_id, id)
  )`.execute(db);
  await sql`CREATE INDEX booking_exceptions_period_idx ON booking_exceptions USING gist (tenant_id, resource_id, period) WHERE deleted_at IS NULL`.execute(db);

  // Service-level exceptions only block: on a date range, or every given weekday (optionally between local times).
  await sql`CREATE TABLE booking_service_exceptions (
    tenant_id uuid NOT NULL,
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    service_id uuid NOT NULL,
    date_from date,
    date_to date,
    weekday smallint CHECK (weekday BETWEEN 1 AND 7),
    start_min int CHECK (start_min BETWEEN 0 AND 1439),
    end_min int CHECK (end_min BETWEEN 1 AND 1440),
    reason text NOT NULL DEFAULT '',
    created_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz,
    PRIMARY KEY (tenant_id, id),
    CHECK ((date_from IS NOT NULL AND date_to IS NOT NULL AND date_from <= date_to) OR weekday IS NOT NULL),
    CHECK ((start_min IS NULL AND end_min IS NULL) OR (start_min < end_min)),
    FOREIGN KEY (tenant_id, service_id) REFERENCES booking_services(tenant_id, id)
  )`.execute(db);

  await sql`CREATE TABLE booking_clients (
    tenant_id uuid NOT NULL REFERENCES tenants(id),
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    name text NOT NULL,
    phone text,
    telegram_chat_id text,
    notes text NOT NULL DEFAULT '',
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz,
    PRIMARY KEY (tenant_id, id),
    CHECK (phone IS NULL OR phone ~ '^\\+[1-9][0-9]{6,14}$')
  )`.execute(db);
  await sql`CREATE UNIQUE INDEX booking_clients_phone_key ON booking_clients (tenant_id, phone) WHERE deleted_at IS NULL AND phone IS NOT NULL`.execute(db);
  await sql`CREATE UNIQUE INDEX booking_clients_chat_key ON booking_clients (tenant_id, telegram_chat_id) WHERE deleted_at IS NULL AND telegram_chat_id IS NOT NULL`.execute(db);
  await sql`CREATE INDEX booking_clients_name_idx ON booking_clients (tenant_id, lower(name))`.execute(db);

  // A group session: its seats are counted under this row's lock.
  await sql`CREATE TABLE booking_sessions (
    tenant_id uuid NOT NULL,
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    service_id uuid NOT NULL,
    start_at timestamptz NOT NULL,
    capacity int NOT NULL,
    seats_taken int NOT NULL DEFAULT 0 CHECK (seats_taken >= 0),
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, service_id, start_at),
    CHECK (seats_taken <= capacity),
    FOREIGN KEY (tenant_id, service_id) REFERENCES booking_services(tenant_id, id)
  )`.execute(db);

  await sql`CREATE TABLE booking_bookings (
    tenant_id uuid NOT NULL REFERENCES tenants(id),
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    service_id uuid NOT NULL,
    client_id uuid NOT NULL,
    session_id uuid,
    start_at timestamptz NOT NULL,
    end_at timestamptz NOT NULL,
    status text NOT NULL CHECK (status IN ('held','pending','confirmed','arrived','completed','cancelled','no_show','expired')),
    kind text NOT NULL DEFAULT 'regular',
    price numeric(12,2) NOT NULL DEFAULT 0,
    seats int NOT NULL DEFAULT 1 CHECK (seats >= 1),
    source text NOT NULL CHECK (source IN ('chat','widget','admin','phone','api')),
    comment text NOT NULL DEFAULT '',
    cancel_reason text,
    hold_expires_at timestamptz,
    created_by uuid,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    CHECK (start_at < end_at),
    CHECK ((status = 'held') = (hold_expires_at IS NOT NULL)),
    FOREIGN KEY (tenant_id, service_id) REFERENCES booking_services(tenant_id, id),
    FOREIGN KEY (tenant_id, client_id) REFERENCES booking_clients(tenant_id, id),
    FOREIGN KEY (tenant_id, session_id) REFERENCES booking_sessions(tenant_id, id)
  )`.execute(db);
  await sql`CREATE INDEX booking_bookings_start_idx ON booking_bookings (tenant_id, start_at)`.execute(db);
  await sql`CREATE INDEX booking_bookings_client_idx ON booking_bookings (tenant_id, client_id, start_at)`.execute(db);
  await sql`CREATE INDEX booking_bookings_comment_idx ON booking_bookings USING gin (to_tsvector('simple', comment))`.execute(db);

  await sql`CREATE TABLE booking_booking_resources (
    tenant_id uuid NOT NULL,
    booking_id uuid NOT NULL,
    resource_id uuid NOT NULL,
    busy tstzrange NOT NULL,
    session_key uuid NOT NULL,
    active boolean NOT NULL DEFAULT true,
    hold_expires_at timestamptz,
    PRIMARY KEY (tenant_id, booking_id, resource_id),
    FOREIGN KEY (tenant_id, booking_id) REFERENCES booking_bookings(tenant_id, id),
    FOREIGN KEY (tenant_id, resource_id) REFERENCES booking_resources(tenant_id, id),
    CONSTRAINT booking_no_overlap EXCLUDE USING gist (tenant_id WITH =, resource_id WITH =, busy WITH &&, session_key WITH <>) WHERE (active)
  )`.execute(db);

  await sql`CREATE TABLE booking_history (
    tenant_id uuid NOT NULL,
    id bigserial,
    booking_id uuid NOT NULL,
    actor_id uuid,
    actor_kind text NOT NULL CHECK (actor_kind IN ('user','client','system')),
    action text NOT NULL,
    before jsonb,
    after jsonb,
    at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, booking_id) REFERENCES booking_bookings(tenant_id, id)
  )`.execute(db);
  await sql`CREATE INDEX booking_history_booking_idx ON booking_history (tenant_id, booking_id, id)`.execute(db);

  await sql`CREATE TABLE booking_waitlist (
    tenant_id uuid NOT NULL,
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    client_id uuid NOT NULL,
    service_id uuid NOT NULL,
    resource_id uuid,
    day date,
    status text NOT NULL DEFAULT 'waiting' CHECK (status IN ('waiting','offered','booked','cancelled')),
    offer_start timestamptz,
    offer_resource_ids uuid[],
    offer_expires_at timestamptz,
    offered_starts timestamptz[] NOT NULL DEFAULT '{}',
    booking_id uuid,
    comment text NOT NULL DEFAULT '',
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, client_id) REFERENCES booking_clients(tenant_id, id),
    FOREIGN KEY (tenant_id, service_id) REFERENCES booking_services(tenant_id, id)
  )`.execute(db);
  await sql`CREATE INDEX booking_waitlist_service_idx ON booking_waitlist (tenant_id, service_id, created_at) WHERE status IN ('waiting','offered')`.execute(db);
}
