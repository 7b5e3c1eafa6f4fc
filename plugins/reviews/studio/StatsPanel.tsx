import { ErrorNote, Loading, useLoad, useMessages } from 'bookflow/studio';
import { loadStats, type Average } from './api.js';
import { messages } from './messages.js';
import { Trend } from './Trend.js';

function AverageTable({ title, rows }: { title: string; rows: Average[] }) {
  const { t } = useMessages(messages);
  return (
    <table className="table" aria-label={title}>
      <thead><tr><th>{title}</th><th>{t('stats.average')}</th><th>{t('stats.count')}</th><th>{t('stats.trend')}</th></tr></thead>
      <tbody>
        {rows.length === 0 ? <tr><td colSpan={4} className="muted">{t('stats.none')}</td></tr> : null}
        {rows.map((r) => (
          <tr key={r.id}><td>{r.name}</td><td>★ {r.average.toFixed(1)}</td><td>{r.count}</td><td><Trend points={r.trend} label={`${t('stats.trend')} ${r.name}`} /></td></tr>
        ))}
      </tbody>
    </table>
  );
}

/** Averages per specialist and per service over the filter's period, each with its weekly trend. */
export function StatsPanel({ from, to }: { from: string; to: string }) {
  const { t } = useMessages(messages);
  const stats = useLoad(() => loadStats(from, to), [from, to]);
  return (
    <section aria-label={t('stats.title')}>
      <h2>{t('stats.title')}</h2>
      <ErrorNote error={stats.error} />
      {stats.loading && !stats.data ? <Loading /> : null}
      {stats.data ? (
        <div className="row wrap">
          <AverageTable title={t('stats.specialists')} rows={stats.data.specialists} />
          <AverageTable title={t('stats.services')} rows={stats.data.services} />
        </div>
      ) : null}
    </section>
  );
}
