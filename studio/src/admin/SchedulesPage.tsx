import { useId, useMemo, useState } from 'react';
import { useI18n } from '../i18n/index.js';
import { useOptions } from '../forms/useOptions.js';
import { CrudPage } from './CrudPage.js';
import type { JsonSchema } from '../types.js';

const RESOURCES = '/api/v1/booking/resources';
export const minutesToTime = (m: unknown) => (typeof m === 'number' ? `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}` : '');
const timeToMinutes = (s: unknown) => {
  const m = /^(\d{1,2}):(\d{2})$/.exec(String(s ?? ''));
  return m ? Number(m[1]) * 60 + Number(m[2]) : undefined;
};

/** A resource's weekly working hours and its dated exceptions (vacation, sick leave, extra work). */
export function SchedulesPage() {
  const { t, text } = useI18n();
  const id = useId();
  const resources = useOptions(RESOURCES).options;
  const [resourceId, setResourceId] = useState('');
  const chosen = resourceId || resources[0]?.value || '';
  const weekdays = useMemo(() => [1, 2, 3, 4, 5, 6, 7].map((d) => ({ d, label: t(`weekday.${d}` as never) })), [t]);
  const scheduleSchema = useMemo<JsonSchema>(() => ({
    type: 'object',
    required: ['weekday', 'start', 'end'],
    properties: {
      weekday: { type: 'integer', enum: [1, 2, 3, 4, 5, 6, 7], title: t('schedules.weekday'), 'x-ui': { enumLabels: Object.fromEntries(weekdays.map((w) => [String(w.d), w.label])) } },
      start: { type: 'string', title: t('schedules.start'), 'x-ui': { widget: 'time' } },
      end: { type: 'string', title: t('schedules.end'), 'x-ui': { widget: 'time' } },
      validFrom: { type: 'string', format: 'date', title: t('schedules.validFrom') },
      validTo: { type: 'string', format: 'date', title: t('schedules.validTo') },
    },
  }), [t, weekdays]);
  const exceptionSchema = useMemo<JsonSchema>(() => ({
    type: 'object',
    required: ['kind', 'start', 'end'],
    properties: {
      kind: { enum: ['vacation', 'sick_leave', 'blocked', 'extra_work'], title: t('schedules.kind'), 'x-ui': { enumLabels: Object.fromEntries(['vacation', 'sick_leave', 'blocked', 'extra_work'].map((k) => [k, t(`schedules.kind.${k}` as never)])) } },
      start: { type: 'string', title: t('schedules.from'), 'x-ui': { widget: 'datetime-local' } },
      end: { type: 'string', title: t('schedules.to'), 'x-ui': { widget: 'datetime-local' } },
      reason: { type: 'string', maxLength: 500, title: t('schedules.reason') },
    },
  }), [t]);
  return (
    <div className="page">
      <div className="field inline-select">
        <label htmlFor={`${id}-r`}>{t('schedules.resource')}</label>
        <select id={`${id}-r`} value={chosen} onChange={(e) => setResourceId(e.target.value)}>
          {resources.map((r) => <option key={r.value} value={r.value}>{text(r.label)}</option>)}
        </select>
      </div>
      {chosen ? (
        <>
          <CrudPage
            key={`s-${chosen}`}
            title={t('nav.schedules')}
            endpoint="/booking/schedules"
            listQuery={`?resourceId=${encodeURIComponent(chosen)}`}
            schema={scheduleSchema}
            initial={{ weekday: 1, start: '10:00', end: '19:00' }}
            toBody={(v) => ({ resourceId: chosen, weekday: v.weekday, startMin: timeToMinutes(v.start), endMin: timeToMinutes(v.end), validFrom: v.validFrom || null, validTo: v.validTo || null })}
            columns={[
              { key: 'weekday', label: t('schedules.weekday'), render: (r) => weekdays.find((w) => w.d === Number(r.weekday))?.label ?? String(r.weekday) },
              { key: 'startMin', label: t('schedules.hours'), render: (r) => `${minutesToTime(r.startMin)}–${minutesToTime(r.endMin)}` },
              { key: 'validFrom', label: t('schedules.validity'), render: (r) => [r.validFrom, r.validTo].filter(Boolean).join(' – ') },
            ]}
          />
          <CrudPage
            key={`e-${chosen}`}
            title={t('schedules.exceptions')}
            endpoint="/booking/exceptions"
            listQuery={`?resourceId=${encodeURIComponent(chosen)}`}
            schema={exceptionSchema}
            initial={{ kind: 'vacation' }}
            toBody={(v) => ({ resourceId: chosen, kind: v.kind, start: new Date(String(v.start)).toISOString(), end: new Date(String(v.end)).toISOString(), reason: v.reason ?? '' })}
            columns={[
              { key: 'kind', label: t('schedules.kind'), render: (r) => t(`schedules.kind.${String(r.kind)}` as never) },
              { key: 'start', label: t('schedules.from'), render: (r) => new Date(String(r.start)).toLocaleString() },
              { key: 'end', label: t('schedules.to'), render: (r) => new Date(String(r.end)).toLocaleString() },
              { key: 'reason', label: t('schedules.reason') },
            ]}
          />
        </>
      ) : <p className="muted">{t('schedules.noResources')}</p>}
    </div>
  );
}
