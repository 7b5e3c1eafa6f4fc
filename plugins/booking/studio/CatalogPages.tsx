import { useMemo } from 'react';
import { CrudPage, get, pickFields, put, useI18n, useMessages, useOptions, type JsonSchema } from 'bookflow/studio';
import { messages } from './messages.js';
import { useMoney } from './useMoney.js';

const DEPARTMENTS = '/api/v1/booking/departments';
const RESOURCES = '/api/v1/booking/resources';

type Competency = { resourceId: string; price?: number | null; durationMin?: number | null };

/** Who performs a service is a list of its own; a staff member's own price and duration are kept. */
async function saveStaff(serviceId: string, value: Record<string, unknown>): Promise<void> {
  if (!Array.isArray(value.staffIds)) return;
  const ids = value.staffIds as string[];
  const { items } = await get<{ items: Competency[] }>(`/booking/services/${serviceId}/staff`);
  if (items.length === ids.length && items.every((c) => ids.includes(c.resourceId))) return;
  await put(`/booking/services/${serviceId}/staff`, { items: ids.map((id) => items.find((c) => c.resourceId === id) ?? { resourceId: id }) });
}

/** Services of the booking plugin: what clients book. */
export function CatalogPage() {
  const { t: ct, text, locale } = useI18n();
  const { t } = useMessages(messages);
  const departments = useOptions(DEPARTMENTS).options;
  const schema = useMemo<JsonSchema>(() => ({
    type: 'object',
    required: ['name', 'departmentId', 'durationMin'],
    properties: {
      name: { type: 'string', minLength: 1, maxLength: 200, title: t('catalog.name') },
      departmentId: { type: 'string', title: t('catalog.department'), 'x-ui': { optionsFrom: DEPARTMENTS } },
      description: { type: 'string', maxLength: 2000, title: t('catalog.description'), 'x-ui': { widget: 'textarea' } },
      kind: { enum: ['regular', 'group', 'online'], default: 'regular', title: t('catalog.kind'), 'x-ui': { enumLabels: { regular: t('catalog.kind.regular'), group: t('catalog.kind.group'), online: t('catalog.kind.online') } } },
      durationMin: { type: 'integer', minimum: 5, maximum: 1440, title: t('catalog.duration') },
      price: { type: 'number', minimum: 0, title: t('catalog.price') },
      bufferBeforeMin: { type: 'integer', minimum: 0, maximum: 240, title: t('catalog.bufferBefore') },
      bufferAfterMin: { type: 'integer', minimum: 0, maximum: 240, title: t('catalog.bufferAfter') },
      capacity: { type: 'integer', minimum: 1, title: t('catalog.capacity') },
      color: { type: 'string', title: t('catalog.color'), 'x-ui': { widget: 'color' } },
      needsStaff: { type: 'boolean', title: t('catalog.needsStaff') },
      staffIds: { type: 'array', items: { type: 'string' }, title: t('catalog.staff'), 'x-ui': { optionsFrom: RESOURCES, where: { kind: ['staff'] } } },
      resourceIds: { type: 'array', items: { type: 'string' }, title: t('catalog.rooms'), 'x-ui': { optionsFrom: RESOURCES, where: { kind: ['room', 'equipment'] } } },
      active: { type: 'boolean', title: t('catalog.active') },
    },
  }), [t]);
  const money = useMoney();
  return (
    <CrudPage
      title={t('page.catalog')}
      endpoint="/booking/services"
      schema={schema}
      toBody={(v) => pickFields(v, schema, ['staffIds'])}
      afterSave={saveStaff}
      initial={{ kind: 'regular', durationMin: 60, price: 0, capacity: 1, needsStaff: true, active: true, departmentId: departments[0]?.value }}
      columns={[
        { key: 'name', label: t('catalog.name') },
        { key: 'durationMin', label: t('catalog.duration') },
        { key: 'price', label: t('catalog.price'), render: (r) => money(Number(r.price ?? 0)) },
        { key: 'departmentId', label: t('catalog.department'), render: (r) => text(departments.find((d) => d.value === r.departmentId)?.label) },
        { key: 'active', label: t('catalog.active'), render: (r) => (r.active === false ? ct('common.no') : ct('common.yes')) },
      ]}
      intro={<Departments />}
    />
  );
}

function Departments() {
  const { t } = useMessages(messages);
  return (
    <details className="card">
      <summary>{t('catalog.departments')}</summary>
      <CrudPage
        title={t('catalog.departments')}
        endpoint="/booking/departments"
        schema={{ type: 'object', required: ['name'], properties: { name: { type: 'string', minLength: 1, title: t('catalog.name') }, description: { type: 'string', title: t('catalog.description') } } }}
        columns={[{ key: 'name', label: t('catalog.name') }, { key: 'description', label: t('catalog.description') }]}
      />
    </details>
  );
}

/** Staff, rooms and equipment, and which services each staff member performs. */
export function ResourcesPage() {
  const { text } = useI18n();
  const { t, tx } = useMessages(messages);
  const departments = useOptions(DEPARTMENTS).options;
  const schema = useMemo<JsonSchema>(() => ({
    type: 'object',
    required: ['name', 'kind', 'departmentId'],
    properties: {
      name: { type: 'string', minLength: 1, maxLength: 200, title: t('resources.name') },
      kind: { enum: ['staff', 'room', 'equipment'], title: t('resources.kind'), 'x-ui': { enumLabels: { staff: t('resources.kind.staff'), room: t('resources.kind.room'), equipment: t('resources.kind.equipment') } } },
      departmentId: { type: 'string', title: t('catalog.department'), 'x-ui': { optionsFrom: DEPARTMENTS } },
      title: { type: 'string', maxLength: 200, title: t('resources.title') },
      color: { type: 'string', title: t('catalog.color'), 'x-ui': { widget: 'color' } },
      active: { type: 'boolean', title: t('catalog.active') },
    },
  }), [t]);
  return (
    <CrudPage
      title={t('page.resources')}
      endpoint="/booking/resources"
      schema={schema}
      initial={{ kind: 'staff', active: true, departmentId: departments[0]?.value }}
      columns={[
        { key: 'name', label: t('resources.name') },
        { key: 'kind', label: t('resources.kind'), render: (r) => tx(`resources.kind.${String(r.kind)}`, String(r.kind)) },
        { key: 'title', label: t('resources.title') },
        { key: 'departmentId', label: t('catalog.department'), render: (r) => text(departments.find((d) => d.value === r.departmentId)?.label) },
      ]}
    />
  );
}
