import type { NodeRuntime } from '../../../plugin-sdk.js';
import { toMoney } from '../lib/money.js';
import { formatPrice, message, say, tenantCurrency } from './common.js';

/** Departments first (when there are several), then the services of the chosen one. */
export const pickService: NodeRuntime = async (input, ctx) => {
  const { tenantId, settings, locale } = input;
  const [services, departments, currency] = await Promise.all([
    input.db.selectFrom('booking_services').select(['id', 'name', 'department_id', 'duration_min', 'price']).where('tenant_id', '=', tenantId).where('deleted_at', 'is', null).where('active', '=', true)
      .$if(Boolean(settings.departmentId), (q) => q.where('department_id', '=', settings.departmentId)).orderBy('sort').orderBy('name').execute(),
    input.db.selectFrom('booking_departments').select(['id', 'name']).where('tenant_id', '=', tenantId).where('deleted_at', 'is', null).orderBy('sort').orderBy('name').execute(),
    tenantCurrency(ctx, tenantId, input.db),
  ]);
  const withServices = departments.filter((d) => services.some((s) => s.department_id === d.id));
  const grouped = settings.groupByDepartment !== false && withServices.length > 1;

  const showDepartments = () => ({ messages: [message(say(ctx, input, 'pickDepartment', {}, settings.text), withServices.map((d) => [{ label: d.name, value: `dep:${d.id}` }]))], set: { bookingDepartmentId: null }, wait: true });
  const showServices = (departmentId?: string) => {
    const list = services.filter((s) => !departmentId || s.department_id === departmentId);
    const buttons = list.map((s) => [{ label: ctx.t(locale, 'serviceButton', { name: s.name, duration: s.duration_min, price: formatPrice(toMoney(Number(s.price), currency), locale) }), value: `svc:${s.id}` }]);
    if (grouped) buttons.push([{ label: ctx.t(locale, 'backToDepartments'), value: 'deps' }]);
    return { messages: [message(ctx.t(locale, 'pickService'), buttons)], set: { bookingDepartmentId: departmentId ?? null }, wait: true };
  };
  const choose = (s: (typeof services)[number]) => ({
    set: { bookingServiceId: s.id, bookingServiceName: s.name, bookingDepartmentId: s.department_id, bookingResourceId: null, bookingSpecialistName: '', bookingRescheduleId: null },
    next: 'next',
  });

  if (!services.length) return { messages: [message(ctx.t(locale, 'noServices'))], next: 'next' };
  const value = input.input?.callback;
  if (value?.startsWith('svc:')) {
    const s = services.find((x) => x.id === value.slice(4));
    if (s) return choose(s);
  }
  if (value?.startsWith('dep:')) return showServices(value.slice(4));
  if (value === 'deps') return showDepartments();
  const text = input.input?.text?.trim().toLowerCase();
  if (text) {
    const matches = services.filter((s) => s.name.toLowerCase().includes(text));
    if (matches.length === 1) return choose(matches[0]);
  }
  return grouped ? showDepartments() : showServices();
};

