import { DateTime } from 'luxon';
import type { LocalizedText, PluginContext, Tx } from '../../../plugin-sdk.js';
import { crmConfig } from './config.js';
import { cardRows, hasContract } from './cards.js';
import { allBookings } from './status.js';

const MORNING_KEY = 'morning';

/**
 * The next morning run in the business's zone: today's hour while it is ahead, or already passed while no run came
 * since it (then it is due at once), else tomorrow's. Judged by the last run's instant, not its day: a run earlier
 * today, before the hour was moved later, must not make the moved hour count as done once it has passed.
 */
async function nextMorning(ctx: PluginContext, tenantId: string, q: Tx): Promise<Date> {
  const [{ timezone }, { morningHour }, last] = await Promise.all([
    ctx.business(tenantId, q), ctx.config<{ morningHour: number }>(tenantId, q),
    q.selectFrom('crm_morning_runs').select('ran_at').where('tenant_id', '=', tenantId).executeTakeFirst(),
  ]);
  const now = DateTime.fromJSDate(ctx.now(), { zone: timezone });
  const at = now.startOf('day').set({ hour: morningHour });
  if (at > now || !last || new Date(last.ran_at) < at.toJSDate()) return at.toJSDate();
  return at.plus({ days: 1 }).set({ hour: morningHour }).toJSDate();
}

/**
 * Keeps the business's one morning job scheduled (keyed, so calling it again only moves it to the same next
 * morning). Plugins cannot list businesses: it is ensured whenever the business uses the CRM or books.
 */
export async function ensureMorning(ctx: PluginContext, tenantId: string, trx: Tx): Promise<void> {
  await ctx.jobs.schedule(await nextMorning(ctx, tenantId, trx), 'morning', {}, { tenantId, key: MORNING_KEY, trx });
}

const texts = (ctx: PluginContext, key: string, vars: Record<string, unknown>): LocalizedText => ({ en: ctx.t('en', key, vars), ru: ctx.t('ru', key, vars), uk: ctx.t('uk', key, vars) });
const DAY = 86_400_000;

/** Today's tasks: sleeping clients, courses due and their promotions, birthdays, contracts to prepare. Idempotent by key. */
export async function runMorning(ctx: PluginContext, tenantId: string): Promise<{ created: number }> {
  const cfg = await crmConfig(ctx, tenantId);
  const { timezone } = await ctx.business(tenantId);
  const now = ctx.now();
  const today = DateTime.fromJSDate(now, { zone: timezone }).startOf('day');
  const todayIso = today.toISODate()!;
  const tasks: Array<Parameters<PluginContext['tasks']['create']>[2]> = [];
  const names = new Map<string, string>();
  const nameOf = async (id: string) => {
    if (!names.has(id)) names.set(id, (await ctx.contacts.get(ctx.db, tenantId, id))?.name ?? '');
    return names.get(id)!;
  };

  // Sleeping: a visit once, none for sleepingDays; one task per sleep (keyed by the last visit's day).
  const sleeping = await ctx.db.selectFrom('crm_cards').select(['contact_id', 'last_visit_at']).where('tenant_id', '=', tenantId)
    .where('last_visit_at', '<', new Date(now.getTime() - cfg.sleepingDays * DAY)).execute();
  for (const s of sleeping) {
    const upcoming = (await allBookings(ctx, tenantId, s.contact_id)).some((b) => new Date(b.start) > now && ['pending', 'confirmed', 'held'].includes(b.status));
    if (upcoming) continue;
    const last = DateTime.fromJSDate(new Date(s.last_visit_at), { zone: timezone }).toISODate();
    tasks.push({ kind: 'sleeping', key: `sleeping:${s.contact_id}:${last}`, contactId: s.contact_id, title: texts(ctx, 'task.sleeping', { name: await nameOf(s.contact_id), days: cfg.sleepingDays }), data: { actions: ['call', 'message', 'book'] } });
  }

  // Birthdays today and in the next days (the segment rule counts anniversaries in the business's zone).
  const { ids: birthdays } = await ctx.segments.contactIds(ctx.db, tenantId, { field: 'birthday', op: 'withinNextDays', value: cfg.birthdayDaysAhead }, { limit: 1000 });
  for (const c of await ctx.contacts.getMany(ctx.db, tenantId, birthdays)) {
    // Keyed by the year the birthday falls in: one seen ahead on 30 December is the same task on 1 January.
    const monthDay = c.birthday?.slice(5) ?? '';
    const year = monthDay >= todayIso.slice(5) ? today.year : today.year + 1;
    tasks.push({ kind: 'birthday', key: `birthday:${c.id}:${year}`, contactId: c.id, title: texts(ctx, 'task.birthday', { name: c.name, date: monthDay }), data: { actions: ['call', 'message'] } });
  }

  // Courses: the next procedure is due when the last one (or the prescription) is an interval back and none is booked.
  const prescriptions = await ctx.db.selectFrom('crm_prescriptions as p').innerJoin('crm_courses as c', (j) => j.onRef('c.tenant_id', '=', 'p.tenant_id').onRef('c.id', '=', 'p.course_id'))
    .select(['p.id', 'p.contact_id', 'p.count', 'p.interval_days', 'p.prescribed_at', 'c.name', 'c.service_id', 'c.promotion']).where('p.tenant_id', '=', tenantId).execute();
  for (const p of prescriptions) {
    const ofCourse = (await allBookings(ctx, tenantId, p.contact_id)).filter((b) => b.serviceId === p.service_id && new Date(b.start) >= new Date(p.prescribed_at));
    const done = ofCourse.filter((b) => b.status === 'completed');
    if (done.length >= p.count || ofCourse.some((b) => ['pending', 'confirmed', 'held', 'arrived'].includes(b.status))) continue;
    const last = done.length ? new Date(done[done.length - 1].start) : new Date(p.prescribed_at);
    const name = await nameOf(p.contact_id);
    if (last.getTime() + p.interval_days * DAY <= now.getTime()) {
      tasks.push({ kind: 'course-due', key: `course:${p.id}:${done.length + 1}`, contactId: p.contact_id, title: texts(ctx, 'task.courseDue', { name, course: p.name, n: done.length + 1, count: p.count }), data: { serviceId: p.service_id, actions: ['call', 'message', 'book'] } });
    }
    if (p.promotion) tasks.push({ kind: 'course-promotion', key: `promo:${p.id}`, contactId: p.contact_id, title: texts(ctx, 'task.promotion', { name, course: p.name, promotion: p.promotion }), data: { serviceId: p.service_id, actions: ['call', 'message'] } });
  }

  // Contracts: today's bookings of medical services whose guest card has no contract.
  tasks.push(...await contractTasks(ctx, tenantId, today.toJSDate(), today.plus({ days: 1 }).toJSDate()));

  await ctx.transaction(async (trx) => {
    for (const task of tasks) await ctx.tasks.create(trx, tenantId, task);
    await trx.insertInto('crm_morning_runs').values({ tenant_id: tenantId, day: todayIso, ran_at: now }).onConflict((oc) => oc.column('tenant_id').doUpdateSet({ day: todayIso, ran_at: now })).execute();
    await ensureMorning(ctx, tenantId, trx);
  });
  ctx.log.info({ tenantId, day: todayIso, tasks: tasks.length }, 'crm morning tasks');
  return { created: tasks.length };
}

/** Guests of [from, to) whose medical booking needs a contract their card lacks (seed 003: "список гостей для кого нужно подготовить договор"). */
export async function contractsToPrepare(ctx: PluginContext, tenantId: string, from: Date, to: Date) {
  const booking = ctx.service('booking');
  const [services, bookings] = await Promise.all([booking.services(tenantId), booking.bookings(tenantId, { from, to, statuses: ['pending', 'confirmed', 'arrived'] })]);
  const medical = new Map(services.filter((s) => s.requiresContract).map((s) => [s.id, s.name]));
  const due = bookings.filter((b) => medical.has(b.serviceId));
  const cards = await cardRows(ctx.db, tenantId, [...new Set(due.map((b) => b.clientId))]);
  const missing = due.filter((b) => !hasContract(cards.get(b.clientId)!));
  const contacts = new Map((await ctx.contacts.getMany(ctx.db, tenantId, missing.map((b) => b.clientId))).map((c) => [c.id, c.name]));
  return missing.map((b) => ({ bookingId: b.id, contactId: b.clientId, name: contacts.get(b.clientId) ?? '', serviceId: b.serviceId, serviceName: medical.get(b.serviceId)!, start: b.start }));
}

async function contractTasks(ctx: PluginContext, tenantId: string, from: Date, to: Date) {
  return (await contractsToPrepare(ctx, tenantId, from, to)).map((c) => ({
    kind: 'contract', key: `contract:${c.bookingId}`, contactId: c.contactId, bookingId: c.bookingId, dueAt: new Date(c.start),
    title: texts(ctx, 'task.contract', { name: c.name, service: c.serviceName }), data: { actions: ['open'] },
  }));
}
