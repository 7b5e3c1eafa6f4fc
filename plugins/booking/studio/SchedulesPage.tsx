import { useId, useMemo, useState } from 'react';
import { CrudPage, ErrorNote, get, useI18n, useLoad, useMessages, type JsonSchema } from 'bookflow/studio';
import { messages } from './messages.js';
import { WeekEditor } from './WeekEditor.js';

const RESOURCES = '/booking/resources';
const RESOURCE_KINDS = ['staff', 'room', 'equipment'] as const;
interface Resource { id: string; name: string; title: string; kind: (typeof RESOURCE_KINDS)[number] }
const KINDS = ['vacation', 'sick_leave', 'blocked', 'extra_work'];

/** A resource's weekly working hours and its dated exceptions (vacation, sick leave, extra work). */
export function SchedulesPage() {
  const { locale } = useI18n();
  const { t, tx } = useMessages(messages);
  const id = useId();
  const all = useLoad(() => get<{ items: Resource[] }>(RESOURCES).then((r) => r.items));
  const resources = all.data ?? [];
  const [resourceId, setResourceId] = useState('');
  const chosen = resourceId || resources.find((r) => r.kind === 'staff')?.id || resources[0]?.id || '';
  const exceptionSchema = useMemo<JsonSchema>(() => ({
    type: 'object',
    required: ['kind', 'start', 'end'],
    properties: {
      kind: { enum: KINDS, title: t('schedules.kind'), 'x-ui': { enumLabels: Object.fromEntries(KINDS.map((k) => [k, tx(`schedules.kind.${k}`, k)])) } },
      start: { type: 'string', title: t('schedules.from'), 'x-ui': { widget: 'datetime-local' } },
      end: { type: 'string', title: t('schedules.to'), 'x-ui': { widget: 'datetime-local' } },
      reason: { type: 'string', maxLength: 1000, title: t('schedules.reason') },
    },
  }), [t]);
  const when = (v: unknown) => new Date(String(v)).toLocaleString(locale, { dateStyle: 'medium', timeStyle: 'short' });
  const iso = (v: unknown) => (v ? new Date(String(v)).toISOString() : '');
  return (
    <div className="page">
      <h1>{t('page.schedules')}</h1>
      <div className="field inline-select">
        <label htmlFor={`${id}-r`}>{t('schedules.resource')}</label>
        <select id={`${id}-r`} value={chosen} onChange={(e) => setResourceId(e.target.value)}>
          {RESOURCE_KINDS.map((k) => (
            <optgroup key={k} label={t(`resources.kind.${k}`)}>
              {resources.filter((r) => r.kind === k).map((r) => <option key={r.id} value={r.id}>{r.name}{r.title ? ` — ${r.title}` : ''}</option>)}
            </optgroup>
          ))}
        </select>
      </div>
      <ErrorNote error={all.error} />
      {chosen ? (
        <>
          <WeekEditor key={chosen} resourceId={chosen} />
          <CrudPage
            key={`e-${chosen}`}
            title={t('schedules.exceptions')}
            endpoint="/booking/exceptions"
            listQuery={`?resourceId=${encodeURIComponent(chosen)}`}
            schema={exceptionSchema}
            editable={false}
            initial={{ kind: 'vacation' }}
            toBody={(v) => ({ resourceId: chosen, kind: v.kind, start: iso(v.start), end: iso(v.end), ...(v.reason ? { reason: v.reason } : {}) })}
            columns={[
              { key: 'kind', label: t('schedules.kind'), render: (r) => tx(`schedules.kind.${String(r.kind)}`, String(r.kind)) },
              { key: 'start', label: t('schedules.from'), render: (r) => when(r.start) },
              { key: 'end', label: t('schedules.to'), render: (r) => when(r.end) },
              { key: 'reason', label: t('schedules.reason') },
            ]}
          />
        </>
      ) : <p className="muted">{t('schedules.noResources')}</p>}
    </div>
  );
}
