import { sql } from 'kysely';
import type { Db, PluginContext } from '../../../plugin-sdk.js';
import { normalize, type Interval } from '../slots/intervals.js';
import { localDayList, serviceBlocked, type LocalDay, workingTime, type ResourceException, type WeeklyInterval } from '../slots/working.js';
import { computeSlots, localDate, type OpenSession, type ServiceKind, type Slot, type SlotInput, type StaffOption } from '../slots/engine.js';
import type { BookingConfig } from './config.js';
import type { ExternalBusy } from '../contract.js';

const DAY = 86_400_000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface ServiceRow {
  id: string;
  name: string;
  kind: ServiceKind;
  duration_min: number;
  price: string;
  buffer_before_min: number;
  buffer_after_min: number;
  capacity: number;
  needs_staff: boolean;
  department_id: string;
}

export async function findService(ctx: PluginContext, db: Db, tenantId: string, serviceId: string): Promise<ServiceRow> {
  const service = await db.selectFrom('booking_services').selectAll().where('tenant_id', '=', tenantId).where('id', '=', serviceId)
    .where('deleted_at', 'is', null).where('active', '=', true).executeTakeFirst();
  if (!service) throw ctx.error('BF_ERR_BOOKING_SERVICE_NOT_FOUND', { id: serviceId });
  return service as ServiceRow;
}

/** Busy times other plugins (calendar sync) report, and the providers whose answer is missing (failed or too slow). */
export interface ExternalBusyAnswer {
  busy: ExternalBusy[];
  missing: string[];
}

/** Names the busy-time providers a slots answer misses: its free times may be busy in their calendars. */
export const MISSING_BUSY_HEADER = 'bookflow-busy-times-missing';

const isBusy = (e: ExternalBusy | null | undefined): e is ExternalBusy =>
  typeof e?.resourceId === 'string' && Number.isFinite(new Date(e.start).getTime()) && Number.isFinite(new Date(e.end).getTime());

/**
 * Asks the `booking.busyTimes` providers enabled for the business about the resources of a service. They may
 * call out over the network: ask before a transaction opens, never inside one (its row locks would wait on them).
 */
export async function collectBusy(ctx: PluginContext, tenantId: string, serviceId: string, from: number, to: number, q: Db = ctx.db): Promise<ExternalBusyAnswer> {
  if (!(await ctx.extensions.contributors(tenantId, 'booking.busyTimes')).length) return { busy: [], missing: [] };
  const rows = await q.selectFrom('booking_competencies').select('resource_id').where('tenant_id', '=', tenantId).where('service_id', '=', serviceId)
    .union(q.selectFrom('booking_service_resources').select('resource_id').where('tenant_id', '=', tenantId).where('service_id', '=', serviceId)).execute();
  if (!rows.length) return { busy: [], missing: [] };
  // A day wider, like the busy times of bookings: buffers and long services at the edges.
  const query = { serviceId, resourceIds: rows.map((r) => r.resource_id as string), from: new Date(from - DAY).toISOString(), to: new Date(to + DAY).toISOString() };
  const { results, failed } = await ctx.extensions.collect(tenantId, 'booking.busyTimes', query);
  return { busy: results.flatMap((r) => (Array.isArray(r.value) ? r.value.filter(isBusy) : [])), missing: failed.map((f) => f.plugin) };
}

export interface SlotRequest {
  tenantId: string;
  serviceId: string;
  from: number;
  to: number;
  /** resources the slot must use: a specialist, a room… (each narrows the requirement it belongs to) */
  resourceIds?: string[];
  /** leave this booking's own time out of the busy times (rescheduling) */
  excludeBookingId?: string;
  /** busy times from other plugins, collected by `collectBusy` outside any transaction; none when left out */
  external?: ExternalBusy[] | Promise<ExternalBusy[]>;
}

export interface SlotContext {
  input: SlotInput;
  /** requested resources that cannot serve the service */
  unmatched: string[];
  service: ServiceRow;
  tz: string;
}

/**
 * The service's row, who and what it needs, and those resources' schedules, exceptions and busy times over the
 * range: one statement, each part a JSON aggregate (busy times as compact arrays). Times are read for the
 * resources the request can use: of each kind, the requested ones if it names any of that kind, else all.
 */
async function slotData(db: Db, tenantId: string, serviceId: string, requested: string[], wideFrom: Date, wideTo: Date, now: number, excludeBookingId?: string) {
  const { rows } = await sql<{
    service: ServiceRow | null;
    staff: Array<{ resource_id: string; price: string | number | null; duration_min: number | null }>;
    others: Array<{ id: string; kind: string }>;
    blocks: Array<{ date_from: string | null; date_to: string | null; weekday: number | null; start_min: number | null; end_min: number | null }>;
    schedules: Array<{ resource_id: string; weekday: number; start_min: number; end_min: number; valid_from: string | null; valid_to: string | null }>;
    exceptions: Array<{ resource_id: string; kind: ResourceException['kind']; start: string; end: string }>;
    /** "resource start end assigned,…", epoch milliseconds: text costs the database a third less to build than JSON */
    busy: string | null;
  }>`/* prepared */ WITH
    staff AS (SELECT c.resource_id, c.price, c.duration_min, r.sort FROM booking_competencies c JOIN booking_resources r ON r.tenant_id = c.tenant_id AND r.id = c.resource_id
      WHERE c.tenant_id = ${tenantId} AND c.service_id = ${serviceId} AND r.deleted_at IS NULL AND r.active AND r.kind = 'staff'),
    others AS (SELECT r.id, r.kind, r.sort FROM booking_service_resources x JOIN booking_resources r ON r.tenant_id = x.tenant_id AND r.id = x.resource_id
      WHERE x.tenant_id = ${tenantId} AND x.service_id = ${serviceId} AND r.deleted_at IS NULL AND r.active),
    candidates AS (SELECT resource_id AS id, 'staff' AS kind FROM staff UNION ALL SELECT id, kind FROM others),
    chosen AS (SELECT c.id FROM candidates c WHERE c.id = ANY(${requested}::uuid[])
      OR NOT EXISTS (SELECT 1 FROM candidates d WHERE d.kind = c.kind AND d.id = ANY(${requested}::uuid[])))
  SELECT
    (SELECT to_jsonb(s) FROM booking_services s WHERE s.tenant_id = ${tenantId} AND s.id = ${serviceId} AND s.deleted_at IS NULL AND s.active) AS service,
    (SELECT coalesce(jsonb_agg(jsonb_build_object('resource_id', resource_id, 'price', price, 'duration_min', duration_min) ORDER BY sort, resource_id), '[]') FROM staff) AS staff,
    (SELECT coalesce(jsonb_agg(jsonb_build_object('id', id, 'kind', kind) ORDER BY kind, sort, id), '[]') FROM others) AS others,
    (SELECT coalesce(jsonb_agg(jsonb_build_object('date_from', e.date_from::text, 'date_to', e.date_to::text, 'weekday', e.weekday, 'start_min', e.start_min, 'end_min', e.end_min)), '[]')
      FROM booking_service_exceptions e WHERE e.tenant_id = ${tenantId} AND e.service_id = ${serviceId} AND e.deleted_at IS NULL) AS blocks,
    (SELECT coalesce(json_agg(json_build_object('resource_id', resource_id, 'weekday', weekday, 'start_min', start_min, 'end_min', end_min, 'valid_from', valid_from::text, 'valid_to', valid_to::text)), '[]')
      FROM booking_schedules WHERE tenant_id = ${tenantId} AND resource_id IN (SELECT id FROM chosen)) AS schedules,
    (SELECT coalesce(json_agg(json_build_object('resource_id', resource_id, 'kind', kind, 'start', lower(period), 'end', upper(period))), '[]')
      FROM booking_exceptions WHERE tenant_id = ${tenantId} AND resource_id IN (SELECT id FROM chosen) AND deleted_at IS NULL AND period && tstzrange(${wideFrom}, ${wideTo})) AS exceptions,
    (SELECT string_agg(concat_ws(' ', br.resource_id, round(date_part('epoch', lower(br.busy)) * 1000)::bigint, round(date_part('epoch', upper(br.busy)) * 1000)::bigint,
        round(date_part('epoch', br.assigned_at) * 1000)::bigint), ',')
      FROM booking_booking_resources br WHERE br.tenant_id = ${tenantId} AND br.resource_id IN (SELECT id FROM chosen) AND br.active
        AND (br.hold_expires_at IS NULL OR br.hold_expires_at > ${new Date(now)}) AND br.busy && tstzrange(${wideFrom}, ${wideTo})
        AND (br.booking_id <> ${excludeBookingId ?? null}::uuid) IS NOT FALSE) AS busy`.execute(db);
  return rows[0];
}

/**
 * Loads everything the pure engine needs in one statement (a class's open sessions in a second), which is what a
 * booking's transaction and a slot query wait for, then leaves the computation to memory.
 */
export async function loadSlotContext(ctx: PluginContext, db: Db, req: SlotRequest, cfg: BookingConfig): Promise<SlotContext> {
  const { tenantId, serviceId } = req;
  const now = ctx.now().getTime();
  // Busy and exceptions are loaded a day wider so buffers and long services at the edges are seen.
  const wideFrom = new Date(req.from - DAY);
  const wideTo = new Date(req.to + DAY);
  const [tenant, data, external] = await Promise.all([
    ctx.business(tenantId, db),
    // Ids that are no uuid match nothing (and must not fail the cast): left out here, reported unmatched below.
    slotData(db, tenantId, serviceId, (req.resourceIds ?? []).filter((id) => UUID.test(id)), wideFrom, wideTo, now, req.excludeBookingId),
    req.external ?? [],
  ]);
  const service = data.service;
  if (!service) throw ctx.error('BF_ERR_BOOKING_SERVICE_NOT_FOUND', { id: serviceId });
  // Only a class has sessions to join: a second round trip for classes alone. After the busy times, never beside them:
  // on the pool each read is its own snapshot, and a later one sees the session of every class booking the busy
  // times showed (they commit together), so a class that filled up is never mistaken for a taken slot.
  const sessions = service.kind === 'group' ? await openSessions(db, tenantId, serviceId, req.from, req.to, now) : [];
  const { staff: staffRows, others: otherRows, blocks, schedules, exceptions } = data;
  const tz = tenant.timezone;

  let staff: StaffOption[] = staffRows.map((r) => ({ resourceId: r.resource_id, price: r.price === null ? null : Number(r.price), durationMin: r.duration_min }));
  const groups = new Map<string, string[]>();
  for (const r of otherRows) if (r.kind !== 'staff') groups.set(r.kind, [...(groups.get(r.kind) ?? []), r.id]);
  let otherRequirements = [...groups.values()];
  const unmatched: string[] = [];
  for (const id of req.resourceIds ?? []) {
    if (staff.some((s) => s.resourceId === id)) staff = staff.filter((s) => s.resourceId === id);
    else if (otherRequirements.some((g) => g.includes(id))) otherRequirements = otherRequirements.map((g) => (g.includes(id) ? [id] : g));
    else unmatched.push(id);
  }
  if (unmatched.length) staff = [];
  const resourceIds = [...staff.map((s) => s.resourceId), ...otherRequirements.flat()];
  const used = new Set(resourceIds);
  const busyRows = busyTimes(data.busy).filter((b) => used.has(b.resource_id));

  const weekly = groupBy(schedules, (s) => s.resource_id, (s): WeeklyInterval => ({ weekday: s.weekday, startMin: s.start_min, endMin: s.end_min, validFrom: s.valid_from, validTo: s.valid_to }));
  const excByResource = groupBy(exceptions, (e) => e.resource_id, (e): ResourceException => ({ kind: e.kind, start: new Date(e.start).getTime(), end: new Date(e.end).getTime() }));
  const staffIds = new Set(staff.map((s) => s.resourceId));
  const days = localDayList(req.from - DAY, req.to + DAY, tz);
  const working = new Map<string, Interval[]>();
  for (const id of resourceIds) {
    const template = weekly.get(id);
    // Rooms and equipment without a schedule are open whenever the staff works; staff without one never work.
    const wk = template ?? (staffIds.has(id) ? [] : [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, startMin: 0, endMin: 1440 })));
    working.set(id, workingTime(wk, excByResource.get(id) ?? [], tz, req.from - DAY, req.to + DAY, days));
  }

  const busyLists = new Map<string, Interval[]>();
  const load = new Map<string, Map<string, number>>();
  const lastAssigned = new Map<string, number>();
  const add = (id: string, start: number, end: number) => {
    const list = busyLists.get(id);
    if (list) list.push({ start, end });
    else busyLists.set(id, [{ start, end }]);
  };
  const dateOf = localDateIndex(days, tz);
  for (const b of busyRows) {
    const { start, end } = b;
    add(b.resource_id, start, end);
    if (staffIds.has(b.resource_id)) {
      const day = dateOf(start);
      const perDay = load.get(b.resource_id) ?? new Map<string, number>();
      perDay.set(day, (perDay.get(day) ?? 0) + (end - start) / 60_000);
      load.set(b.resource_id, perDay);
      lastAssigned.set(b.resource_id, Math.max(lastAssigned.get(b.resource_id) ?? 0, b.created));
    }
  }
  for (const e of external) if (resourceIds.includes(e.resourceId)) add(e.resourceId, new Date(e.start).getTime(), new Date(e.end).getTime());
  const busy = new Map<string, Interval[]>();
  for (const [id, list] of busyLists) busy.set(id, normalize(list));

  const input: SlotInput = {
    tz,
    service: { kind: service.kind, durationMin: service.duration_min, price: Number(service.price), bufferBeforeMin: service.buffer_before_min, bufferAfterMin: service.buffer_after_min, needsStaff: service.needs_staff, capacity: service.capacity },
    staff, otherRequirements, working, busy,
    serviceBlocked: serviceBlocked(blocks.map((b) => ({ dateFrom: b.date_from, dateTo: b.date_to, weekday: b.weekday, startMin: b.start_min, endMin: b.end_min })), tz, req.from - DAY, req.to + DAY, days),
    openSessions: sessions.filter((s) => (req.resourceIds ?? []).every((id) => s.resourceIds.includes(id))),
    from: req.from, to: req.to, stepMin: cfg.slotStepMinutes,
    earliestStart: now + cfg.minNoticeMinutes * 60_000,
    latestStart: now + cfg.horizonDays * DAY,
    load, lastAssigned,
  };
  return { input, service, tz, unmatched };
}

function busyTimes(text: string | null): Array<{ resource_id: string; start: number; end: number; created: number }> {
  if (!text) return [];
  return text.split(',').map((row) => {
    const [resource_id, start, end, created] = row.split(' ');
    return { resource_id, start: Number(start), end: Number(end), created: Number(created) };
  });
}

function groupBy<R, V>(rows: R[], key: (r: R) => string, value: (r: R) => V): Map<string, V[]> {
  const out = new Map<string, V[]>();
  for (const r of rows) {
    const list = out.get(key(r));
    if (list) list.push(value(r));
    else out.set(key(r), [value(r)]);
  }
  return out;
}

/** Local date of an instant by binary search over the range's local midnights (no time-zone maths per row). */
function localDateIndex(days: LocalDay[], tz: string): (ms: number) => string {
  return (ms) => {
    let lo = 0;
    let hi = days.length - 1;
    if (hi < 0 || ms < days[0].start) return localDate(ms, tz);
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (days[mid].start <= ms) lo = mid;
      else hi = mid - 1;
    }
    return days[lo].iso;
  };
}

async function openSessions(db: Db, tenantId: string, serviceId: string, from: number, to: number, now: number): Promise<OpenSession[]> {
  const rows = await db.selectFrom('booking_sessions as s')
    .innerJoin('booking_bookings as b', (j) => j.onRef('b.tenant_id', '=', 's.tenant_id').onRef('b.session_id', '=', 's.id'))
    .innerJoin('booking_booking_resources as br', (j) => j.onRef('br.tenant_id', '=', 'b.tenant_id').onRef('br.booking_id', '=', 'b.id'))
    .select(['s.id', 's.start_at', 'b.end_at', 's.capacity', 's.seats_taken', 'b.price', sql<string[]>`array_agg(DISTINCT br.resource_id)`.as('resource_ids')])
    .where('s.tenant_id', '=', tenantId).where('s.service_id', '=', serviceId)
    .where('s.start_at', '>=', new Date(from)).where('s.start_at', '<', new Date(to)).where('br.active', '=', true)
    .where((eb) => eb.or([eb('br.hold_expires_at', 'is', null), eb('br.hold_expires_at', '>', new Date(now))]))
    .groupBy(['s.id', 's.start_at', 'b.end_at', 's.capacity', 's.seats_taken', 'b.price']).execute();
  const seen = new Set<string>();
  return rows.filter((r) => !seen.has(r.id) && seen.add(r.id)).map((r) => ({
    start: new Date(r.start_at).getTime(), end: new Date(r.end_at).getTime(), resourceIds: r.resource_ids, seatsLeft: r.capacity - r.seats_taken, price: Number(r.price),
  }));
}

/** The slots of a service over a range, and the busy-time providers whose answer they miss. Not for a transaction. */
export async function findSlots(ctx: PluginContext, req: SlotRequest, cfg: BookingConfig): Promise<{ slots: Slot[]; missing: string[] }> {
  // The providers are asked while the database is read.
  const asked = collectBusy(ctx, req.tenantId, req.serviceId, req.from, req.to);
  asked.catch(() => {}); // awaited below; a failed read of the service must not leave it unhandled
  const sc = await loadSlotContext(ctx, ctx.db, { ...req, external: asked.then((a) => a.busy) }, cfg);
  return { slots: computeSlots(sc.input), missing: (await asked).missing };
}
