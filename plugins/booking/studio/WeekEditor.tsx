import { useEffect, useState } from 'react';
import { ErrorNote, get, Loading, put, useI18n, useMessages } from 'bookflow/studio';
import { messages } from './messages.js';

export interface Interval { weekday: number; startMin: number; endMin: number; validFrom?: string | null; validTo?: string | null }

const minutesToTime = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
const timeToMinutes = (s: string) => {
  const m = /^(\d{1,2}):(\d{2})$/.exec(s);
  return m ? Number(m[1]) * 60 + Number(m[2]) : NaN;
};

/** A resource's weekly hours: intervals per weekday (a break is the gap between two), saved as one list. */
export function WeekEditor({ resourceId }: { resourceId: string }) {
  const { t: ct } = useI18n();
  const { t, tx } = useMessages(messages);
  const [intervals, setIntervals] = useState<Interval[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);
  useEffect(() => {
    setIntervals(null);
    get<{ intervals: Interval[] }>(`/booking/resources/${resourceId}/schedule`).then((r) => setIntervals(r.intervals), setError);
  }, [resourceId]);
  if (!intervals) return error ? <ErrorNote error={error} /> : <Loading />;

  const change = (next: Interval[]) => { setSaved(false); setIntervals(next); };
  const update = (i: Interval, patch: Partial<Interval>) => change(intervals.map((x) => (x === i ? { ...x, ...patch } : x)));
  const save = async () => {
    setError(null);
    try {
      await put(`/booking/resources/${resourceId}/schedule`, { intervals });
      setSaved(true);
    } catch (e) { setError(e); }
  };
  return (
    <section className="card week">
      <h2>{t('schedules.weekly')}</h2>
      <table className="week-table">
        <tbody>
          {[1, 2, 3, 4, 5, 6, 7].map((d) => {
            const day = intervals.filter((i) => i.weekday === d);
            const name = tx(`weekday.${d}`, String(d));
            return (
              <tr key={d}>
                <th scope="row">{name}</th>
                <td>
                  {day.length === 0 ? <span className="muted">{t('schedules.dayOff')}</span> : null}
                  {day.map((i, n) => (
                    <span className="interval" key={n}>
                      <input type="time" aria-label={`${name} ${t('schedules.start')} ${n + 1}`} value={minutesToTime(i.startMin)} onChange={(e) => update(i, { startMin: timeToMinutes(e.target.value) })} />
                      –
                      <input type="time" aria-label={`${name} ${t('schedules.end')} ${n + 1}`} value={minutesToTime(i.endMin === 1440 ? 0 : i.endMin)} onChange={(e) => update(i, { endMin: timeToMinutes(e.target.value) || 1440 })} />
                      {i.validFrom || i.validTo ? <span className="muted small">{[i.validFrom, i.validTo].filter(Boolean).join(' – ')}</span> : null}
                      <button type="button" className="icon danger" aria-label={`${ct('form.remove')}: ${name} ${n + 1}`} onClick={() => change(intervals.filter((x) => x !== i))}>✕</button>
                    </span>
                  ))}
                  <button type="button" className="secondary small" aria-label={`${t('schedules.addHours')}: ${name}`} onClick={() => {
                    const last = day[day.length - 1];
                    change([...intervals, last ? { weekday: d, startMin: Math.min(last.endMin + 60, 1380), endMin: Math.min(last.endMin + 180, 1440) } : { weekday: d, startMin: 600, endMin: 1140 }]);
                  }}>+ {t('schedules.addHours')}</button>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <ErrorNote error={error} />
      {saved ? <div className="ok-note" role="status">{ct('common.saved')}</div> : null}
      <div className="form-actions">
        <button type="button" className="primary" onClick={save}>{ct('common.save')}</button>
        <button type="button" className="secondary" disabled={!intervals.some((i) => i.weekday === 1)} onClick={() => {
          const monday = intervals.filter((i) => i.weekday === 1);
          change([...monday, ...[2, 3, 4, 5].flatMap((d) => monday.map((i) => ({ ...i, weekday: d }))), ...intervals.filter((i) => i.weekday >= 6)]);
        }}>{t('schedules.copyMonday')}</button>
      </div>
    </section>
  );
}
