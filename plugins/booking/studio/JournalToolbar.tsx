import { useId } from 'react';
import { useMessages } from 'bookflow/studio';
import type { JournalColumn } from './JournalPage.js';
import { deskMessages } from './desk-messages.js';
import { journalMessages } from './journal-messages.js';

export type JournalView = 'day' | 'week' | 'month' | 'range' | 'sheet';
export const VIEWS: JournalView[] = ['day', 'week', 'month', 'range', 'sheet'];
export interface JournalFilters { view: JournalView; days: number; colorBy: 'status' | 'service'; departmentId: string; resourceId: string }
const KINDS = ['staff', 'room', 'equipment'] as const;

/** The journal's controls: the days shown and how, the colours, and which departments and columns. */
export function JournalToolbar({ date, filters, columns, departments, onDate, onShift, onToday, onFilters }: {
  date: string; filters: JournalFilters; columns: JournalColumn[]; departments: Array<[string, string]>;
  onDate(d: string): void; onShift(step: -1 | 1): void; onToday(): void; onFilters(f: Partial<JournalFilters>): void;
}) {
  const { t } = useMessages(journalMessages);
  const { t: dt } = useMessages(deskMessages);
  const id = useId();
  return (
    <div className="journal-toolbar">
      <div className="row wrap">
        <button type="button" className="secondary small" onClick={() => onShift(-1)} aria-label={t('journal.prev')}>‹</button>
        <button type="button" className="secondary small" onClick={onToday}>{t('journal.today')}</button>
        <button type="button" className="secondary small" onClick={() => onShift(1)} aria-label={t('journal.next')}>›</button>
        <input type="date" aria-label={t('journal.date')} value={date} onChange={(e) => e.target.value && onDate(e.target.value)} />
        <label className="inline" htmlFor={`${id}-v`}>{dt('view.label')}</label>
        <select id={`${id}-v`} value={filters.view} onChange={(e) => onFilters({ view: e.target.value as JournalView })}>
          {VIEWS.map((v) => <option key={v} value={v}>{dt(`view.${v}`)}</option>)}
        </select>
        {filters.view === 'range' ? (
          <>
            <label className="inline" htmlFor={`${id}-n`}>{dt('range.days')}</label>
            <input id={`${id}-n`} type="number" min={1} max={31} value={filters.days} onChange={(e) => onFilters({ days: Math.min(31, Math.max(1, Number(e.target.value) || 1)) })} />
          </>
        ) : null}
      </div>
      <div className="row wrap">
        <label className="inline" htmlFor={`${id}-d`}>{dt('filter.department')}</label>
        <select id={`${id}-d`} value={filters.departmentId} onChange={(e) => onFilters({ departmentId: e.target.value, resourceId: '' })}>
          <option value="">{dt('filter.all')}</option>
          {departments.map(([value, name]) => <option key={value} value={value}>{name}</option>)}
        </select>
        <label className="inline" htmlFor={`${id}-r`}>{dt('filter.resource')}</label>
        <select id={`${id}-r`} value={filters.resourceId} onChange={(e) => onFilters({ resourceId: e.target.value })}>
          <option value="">{dt('filter.all')}</option>
          {KINDS.map((k) => (
            <optgroup key={k} label={dt(`filter.${k}`)}>
              {columns.filter((c) => c.kind === k && (!filters.departmentId || c.departmentId === filters.departmentId)).map((c) => <option key={c.id} value={c.id}>{c.name}</option>)}
            </optgroup>
          ))}
        </select>
        <label className="inline" htmlFor={`${id}-c`}>{dt('color.label')}</label>
        <select id={`${id}-c`} value={filters.colorBy} onChange={(e) => onFilters({ colorBy: e.target.value as 'status' | 'service' })}>
          <option value="status">{dt('color.status')}</option>
          <option value="service">{dt('color.service')}</option>
        </select>
      </div>
    </div>
  );
}
