import { useId } from 'react';
import { DateTime } from 'luxon';
import { get, query, useI18n, useLoad, useMessages } from 'bookflow/studio';
import type { JournalColumn } from './JournalPage.js';
import { deskMessages } from './desk-messages.js';

export interface Slot { start: string; end: string; resourceIds: string[]; price: number }
const DAYS = 7;

/**
 * The free times of a service over a week from `date` (the engine's slots), for one specialist or any; a day
 * without time says so. Choosing a time hands the slot up.
 */
export function FreeTimes({ serviceId, staff, specialist, onSpecialist, date, zone, chosen, onPick }: {
  serviceId: string; staff: JournalColumn[]; specialist: string; onSpecialist(id: string): void; date: string; zone: string; chosen: Slot | null; onPick(slot: Slot): void;
}) {
  const { locale } = useI18n();
  const { t } = useMessages(deskMessages);
  const id = useId();
  const first = DateTime.fromISO(date, { zone }).startOf('day');
  const slots = useLoad(() => get<{ items: Slot[] }>(`/booking/slots${query({ serviceId, resourceId: specialist || undefined, from: first.toUTC().toISO()!, to: first.plus({ days: DAYS }).toUTC().toISO()! })}`), [serviceId, specialist, date, zone]);
  const days = Array.from({ length: DAYS }, (_, i) => first.plus({ days: i }));
  const of = (d: DateTime) => (slots.data?.items ?? []).filter((s) => DateTime.fromISO(s.start, { zone }).hasSame(d, 'day'));
  return (
    <fieldset className="free-times">
      <legend>{t('desk.freeTimes')}</legend>
      <div className="field">
        <label htmlFor={`${id}-sp`}>{t('desk.specialist')}</label>
        <select id={`${id}-sp`} value={specialist} onChange={(e) => onSpecialist(e.target.value)}>
          <option value="">{t('desk.any')}</option>
          {staff.map((c) => <option key={c.id} value={c.id}>{c.name}</option>)}
        </select>
      </div>
      {slots.data ? (
        <ul className="free-days">
          {days.map((d) => {
            const mine = of(d);
            return (
              <li key={d.toISODate()} className={mine.length ? '' : 'no-time'}>
                <b>{d.setLocale(locale).toFormat('ccc d LLL')}</b>{' '}
                {mine.length ? mine.map((s) => {
                  const label = DateTime.fromISO(s.start, { zone }).toFormat('HH:mm');
                  return (
                    <button key={s.start + s.resourceIds.join()} type="button" className={`small ${chosen?.start === s.start && chosen.resourceIds.join() === s.resourceIds.join() ? '' : 'secondary'}`}
                      aria-pressed={chosen?.start === s.start} onClick={() => onPick(s)}>{label}</button>
                  );
                }) : <span className="muted small">{t('desk.noTime')}</span>}
              </li>
            );
          })}
        </ul>
      ) : null}
    </fieldset>
  );
}
