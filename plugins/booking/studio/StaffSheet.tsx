import { DateTime } from 'luxon';
import { ErrorNote, get, Loading, query, useI18n, useLoad, useMessages } from 'bookflow/studio';
import { deskMessages } from './desk-messages.js';

interface Sheet { timezone: string; days: string[]; rows: Array<{ id: string; name: string; departmentName: string; days: Array<{ date: string; hours: string[]; absence: 'vacation' | 'sick_leave' | null }> }> }

/** The staff work-schedule sheet of two weeks: who works when, days off and absences, as salons keep it on paper. */
export function StaffSheet({ date, departmentId, departments, version }: { date: string; departmentId: string; departments: Map<string, string>; version: unknown }) {
  const { locale } = useI18n();
  const { t } = useMessages(deskMessages);
  const sheet = useLoad(() => get<Sheet>(`/booking/journal/sheet${query({ date, days: 14 })}`), [date, version]);
  const s = sheet.data;
  const rows = (s?.rows ?? []).filter((r) => !departmentId || r.departmentName === departments.get(departmentId));
  return (
    <section className="staff-sheet" aria-label={t('sheet.title')}>
      <ErrorNote error={sheet.error} />
      {!s ? <Loading /> : (
        <div className="sheet-scroll">
          <table className="table sheet">
            <thead>
              <tr>
                <th scope="col">{t('sheet.staff')}</th>
                {s.days.map((d) => { const day = DateTime.fromISO(d).setLocale(locale); return <th key={d} scope="col" className={day.weekday > 5 ? 'weekend' : ''}>{day.toFormat('ccc')}<br />{day.toFormat('d.LL')}</th>; })}
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.id}>
                  <th scope="row">{r.name}<br /><small className="muted">{r.departmentName}</small></th>
                  {r.days.map((d) => (
                    <td key={d.date} className={d.absence ? `absent ${d.absence}` : d.hours.length ? 'works' : 'off'}>
                      {d.absence ? t(`sheet.${d.absence}`) : d.hours.length ? d.hours.map((h) => <div key={h}>{h}</div>) : t('sheet.off')}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
