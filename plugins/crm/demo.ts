import { DateTime } from 'luxon';
import type { PluginContext, Tx } from '../../plugin-sdk.js';

const DAY = 86_400_000;

/**
 * The demo spa's guests (booking's demo clients): statuses from imported visits, colour groups, interests,
 * notes, a fixed specialist, a doctor with the «бархатный сезон» course prescribed, birthdays and a sleeping guest.
 */
export async function seedDemo(ctx: PluginContext, trx: Tx, tenantId: string): Promise<void> {
  const booking = ctx.service('booking');
  const [services, resources] = await Promise.all([booking.services(tenantId, undefined, trx), booking.resources(tenantId, undefined, trx)]);
  const service = (name: string) => services.find((s) => s.name === name);
  const staff = (name: string) => resources.find((r) => r.name === name);
  const now = ctx.now();
  // Birthdays and the "earlier" wish are calendar days of the business, counted from its today, not the UTC one; the
  // birth year is a leap one, so a demo made on 29 February still has a valid birthday.
  const { timezone } = await ctx.business(tenantId, trx);
  const inDays = (n: number) => DateTime.fromJSDate(now, { zone: timezone }).plus({ days: n }).toISODate()!;
  const guests = [
    { phone: '+79161234501', color: 'guest', prior: 12, lastDays: 10, survey: { spa: 5, baths: 4, cosmetology: 2 }, publicNote: 'Зелёный чай без сахара; массаж средней интенсивности', confidential: 'Просила не предлагать процедуры для похудения', birthdayIn: 2, fixed: 'Ольга Смирнова', parking: true },
    { phone: '+79161234502', color: 'earlier', prior: 3, lastDays: 30, survey: { nail: 5, cosmetology: 3 }, publicNote: 'Любит тишину во время процедур', confidential: '', earlierIn: 6, earlierComment: 'Хочет на маникюр до отпуска' },
    { phone: '+380671234503', color: 'attention', prior: 1, lastDays: 150, survey: { body: 4, wellness: 3 }, publicNote: 'Разговорчивая, «говоруша»', confidential: 'Конфликтовала с администратором в прошлый раз' },
    { phone: '+79161234504', color: 'employee', prior: 0, lastDays: null, survey: { cosmetology: 5 }, publicNote: 'Сотрудник салона: скидка персонала', confidential: '', birthdayIn: 0 },
  ] as const;
  for (const g of guests) {
    const contact = await ctx.contacts.findByPhone(trx, tenantId, g.phone);
    if (!contact) continue;
    const fixed = 'fixed' in g ? staff(g.fixed) : undefined;
    await trx.insertInto('crm_cards').values({
      tenant_id: tenantId, contact_id: contact.id, color: g.color, prior_visits: g.prior, survey: JSON.stringify(g.survey),
      public_note: g.publicNote, confidential_note: g.confidential, parking: 'parking' in g && g.parking,
      last_visit_at: g.lastDays === null ? null : new Date(now.getTime() - g.lastDays * DAY),
      earlier_than: 'earlierIn' in g ? inDays(g.earlierIn) : null, earlier_comment: 'earlierComment' in g ? g.earlierComment : '',
      fixed_resource_id: fixed?.id ?? null, locked: Boolean(fixed),
    }).execute();
    if ('birthdayIn' in g) await ctx.contacts.update(trx, tenantId, contact.id, { birthday: `1988-${inDays(g.birthdayIn).slice(5)}` }, null);
  }
  // A guest who came four times and not since: the morning's sleeping-client task.
  const sleeper = await ctx.contacts.findByPhone(trx, tenantId, '+79161234507') ?? await ctx.contacts.create(trx, tenantId, { name: 'Ирина Соловьёва', phone: '+79161234507' }, null);
  await trx.insertInto('crm_cards').values({ tenant_id: tenantId, contact_id: sleeper.id, color: 'guest', prior_visits: 4, last_visit_at: new Date(now.getTime() - 120 * DAY), survey: JSON.stringify({ baths: 5, spa: 3 }), public_note: 'Предпочитает вечернее время' }).execute();
  const doctor = staff('Татьяна Лебедева');
  const care = service('Уходовая процедура для лица');
  if (!doctor || !care) return;
  await trx.insertInto('crm_doctors').values({ tenant_id: tenantId, resource_id: doctor.id }).execute();
  const course = await trx.insertInto('crm_courses').values({ tenant_id: tenantId, name: 'Бархатный сезон: уход за лицом', service_id: care.id, count: 5, interval_days: 7, promotion: 'Пятая процедура курса в подарок' })
    .returning('id').executeTakeFirstOrThrow();
  const first = await ctx.contacts.findByPhone(trx, tenantId, guests[0].phone);
  if (first) {
    await trx.insertInto('crm_prescriptions').values({ tenant_id: tenantId, contact_id: first.id, course_id: course.id, doctor_resource_id: doctor.id, count: 5, interval_days: 7, prescribed_at: new Date(now.getTime() - 9 * DAY) }).execute();
  }
}
