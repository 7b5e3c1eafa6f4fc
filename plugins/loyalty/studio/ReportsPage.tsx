import { useState } from 'react';
import { downloadFile, ErrorNote, Loading, query, useLoad, useMessages } from 'bookflow/studio';
import { loadCertificateAnalytics, loadReport } from './loyalty.js';
import { messages } from './messages.js';

const isoDay = (d: Date) => d.toISOString().slice(0, 10);

/** Points issued, redeemed, penalties, the liability and debts, certificates in the period; the same as CSV or XLSX. */
export function ReportsPage() {
  const { t } = useMessages(messages);
  const [range, setRange] = useState(() => {
    // real time: the default report period ends today on the viewer's calendar
    const to = new Date();
    return { from: isoDay(new Date(to.getTime() - 30 * 86_400_000)), to: isoDay(to) };
  });
  const params = { from: new Date(`${range.from}T00:00:00`).toISOString(), to: new Date(`${range.to}T23:59:59`).toISOString() };
  const report = useLoad(() => Promise.all([loadReport(params), loadCertificateAnalytics(params)]), [range.from, range.to]);
  const [error, setError] = useState<unknown>(null);
  /** The file comes through fetch because it needs our headers. */
  const download = async (format: 'csv' | 'xlsx') => {
    setError(null);
    try {
      await downloadFile(`/loyalty/reports${query({ ...params, format })}`, `loyalty-${range.from}-${range.to}.${format}`);
    } catch (e) { setError(e); }
  };
  const [points, certs] = report.data ?? [];
  const rows: Array<[string, string | number]> = points && certs ? [
    [t('reports.issued'), points.issued], [t('reports.redeemed'), points.redeemed], [t('reports.penalties'), points.penalties],
    [t('reports.liability'), points.liability], [t('reports.debt'), points.debt],
    [t('reports.certSold'), `${certs.sold.count} · ${certs.sold.amount}`], [t('reports.certRedeemed'), certs.redeemed],
    [t('reports.certOutstanding'), `${certs.outstanding.count} · ${certs.outstanding.amount}`], [t('reports.certExpired'), `${certs.expired.count} · ${certs.expired.amount}`],
  ] : [];
  return (
    <section>
      <h1>{t('reports.title')}</h1>
      <div className="toolbar">
        <label>{t('reports.from')} <input type="date" value={range.from} onChange={(e) => setRange((r) => ({ ...r, from: e.target.value }))} /></label>
        <label>{t('reports.to')} <input type="date" value={range.to} onChange={(e) => setRange((r) => ({ ...r, to: e.target.value }))} /></label>
        <button type="button" onClick={() => download('csv')}>{t('reports.csv')}</button>
        <button type="button" onClick={() => download('xlsx')}>{t('reports.xlsx')}</button>
      </div>
      <ErrorNote error={report.error ?? error} />
      {report.loading && !report.data ? <Loading /> : null}
      {rows.length ? (
        <table className="table" aria-label={t('reports.title')}>
          <tbody>{rows.map(([label, value]) => <tr key={label}><th>{label}</th><td>{value}</td></tr>)}</tbody>
        </table>
      ) : null}
    </section>
  );
}
