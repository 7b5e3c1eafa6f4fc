import { useId, useState } from 'react';
import { ErrorNote, get, Loading, query, useLoad, useMessages } from 'bookflow/studio';
import { messages } from './messages.js';

interface Funnel { steps: Array<{ step: 'calls' | 'bookings' | 'visits' | 'regular'; count: number; conversion: number | null }>; bySource: Record<string, { bookings: number; visits: number }> }
interface Staff { items: Array<{ resourceId: string; name: string; bookings: number; visits: number; hours: number; workHours: number; occupancy: number; revenue: number; repeatRate: number; rating: { average: number; count: number } | null }> }
const day = (d: Date) => d.toISOString().slice(0, 10);

/** The funnel (call → booking → visit → regular), peak hours and staff efficiency for a period. */
export function ReportsPage() {
  const { t } = useMessages(messages);
  const id = useId();
  // real time: the browser's today is only the filter's default
  const today = new Date();
  const [range, setRange] = useState({ from: day(new Date(today.getTime() - 30 * 86400_000)), to: day(today) });
  const data = useLoad(() => Promise.all([
    get<Funnel>(`/crm/reports/funnel${query(range)}`), get<{ cells: number[][] }>(`/crm/reports/heatmap${query(range)}`), get<Staff>(`/crm/reports/staff${query(range)}`),
  ]), [range.from, range.to]);
  const max = data.data ? Math.max(1, ...data.data[1].cells.flat()) : 1;
  return (
    <div className="page">
      <h1>{t('reports.title')}</h1>
      <div className="filters row">
        <div className="field"><label htmlFor={`${id}-f`}>{t('reports.from')}</label><input id={`${id}-f`} type="date" value={range.from} onChange={(e) => setRange({ ...range, from: e.target.value })} /></div>
        <div className="field"><label htmlFor={`${id}-t`}>{t('reports.to')}</label><input id={`${id}-t`} type="date" value={range.to} onChange={(e) => setRange({ ...range, to: e.target.value })} /></div>
      </div>
      <ErrorNote error={data.error} />
      {!data.data ? <Loading /> : <>
        <h2>{t('reports.funnel')}</h2>
        <ol className="crm-funnel">{data.data[0].steps.map((s) => <li key={s.step} data-step={s.step}><b>{t(`reports.step.${s.step}`)}</b>: {s.count}{s.conversion !== null ? ` (${s.conversion}%)` : ''}</li>)}</ol>
        <h2>{t('reports.heatmap')}</h2>
        <table className="crm-heat"><tbody>{data.data[1].cells.map((row, wd) => (
          <tr key={wd}><th>{wd + 1}</th>{row.map((n, h) => <td key={h} title={`${h}:00 — ${n}`} style={{ background: `rgba(126, 87, 194, ${n / max})` }}>{n || ''}</td>)}</tr>
        ))}</tbody></table>
        <h2>{t('reports.staff')}</h2>
        <table className="table">
          <thead><tr><th>{t('reports.name')}</th><th>{t('reports.bookings')}</th><th>{t('reports.visits')}</th><th>{t('reports.hours')}</th><th>{t('reports.occupancy')}</th><th>{t('reports.revenue')}</th><th>{t('reports.repeat')}</th><th>{t('reports.rating')}</th></tr></thead>
          <tbody>{data.data[2].items.map((s) => <tr key={s.resourceId}><td>{s.name}</td><td>{s.bookings}</td><td>{s.visits}</td><td>{s.hours}</td><td>{s.occupancy}% / {s.workHours}</td><td>{(s.revenue / 100).toFixed(2)}</td><td>{s.repeatRate}</td><td>{s.rating ? `★ ${s.rating.average.toFixed(1)} (${s.rating.count})` : '—'}</td></tr>)}</tbody>
        </table>
      </>}
    </div>
  );
}
