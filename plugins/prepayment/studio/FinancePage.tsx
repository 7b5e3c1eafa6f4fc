import { useState } from 'react';
import { downloadFile, ErrorNote, get, Loading, post, query, useI18n, useLoad, useMessages } from 'bookflow/studio';
import { messages } from './messages.js';

interface Report {
  currency: string;
  totals: { payments: number; refunds: number; revenue: number; tips: number; writeOffs: number; held: number; outstanding: number };
  byDay: Array<{ day: string; revenue: number; payments: number; refunds: number; tips: number }>;
  byService: Array<{ serviceId: string; name: string | null; revenue: number }>;
  bySpecialist: Array<{ specialistId: string | null; name: string | null; revenue: number; tips: number }>;
  byMethod: Array<{ method: string; revenue: number; tips: number; writeOffs: number }>;
}
interface Refund { id: string; booking_id: string; amount: number; currency: string; last_error: string | null; created_at: string }

const isoDay = (d: Date) => d.toISOString().slice(0, 10);

/** The finance report of a range of days, its ledger as a file, and the refunds that failed (retried from here). */
const METHODS = {
  telegram: 'finance.method.telegram', yookassa: 'finance.method.yookassa', stripe: 'finance.method.stripe',
  points: 'finance.method.points', certificate: 'finance.method.certificate', deposit: 'finance.method.deposit',
} as const;

export function FinancePage() {
  const { t } = useMessages(messages);
  const { locale } = useI18n();
  // real time: the browser's today only fills the date inputs; the server counts days in the business's zone
  const [range, setRange] = useState({ from: isoDay(new Date(Date.now() - 29 * 86_400_000)), to: isoDay(new Date()) });
  const [error, setError] = useState<unknown>(null);
  const report = useLoad(() => get<Report>(`/prepayment/finance${query(range)}`), [range.from, range.to]);
  const failed = useLoad(() => get<{ items: Refund[] }>('/prepayment/refunds?status=failed'));
  // The ledger's method is a provider id or a loyalty tender's kind: people read its name.
  const methodName = (m: string) => (m in METHODS ? t(METHODS[m as keyof typeof METHODS]) : m);
  const fmt = (minor: number, currency = report.data?.currency ?? 'RUB') => new Intl.NumberFormat(locale, { style: 'currency', currency }).format(minor / 100);
  const exportFile = async (format: 'csv' | 'xlsx') => {
    setError(null);
    try {
      await downloadFile(`/prepayment/finance/export${query({ ...range, format })}`, `ledger-${range.from}-${range.to}.${format}`);
    } catch (e) { setError(e); }
  };
  const retry = async (id: string) => {
    setError(null);
    try { await post(`/prepayment/refunds/${id}/retry`); failed.reload(); } catch (e) { setError(e); }
  };
  const r = report.data;
  const table = (title: string, head: string[], rows: Array<Array<string | number>>) => (
    <section>
      <h2>{title}</h2>
      <table className="table" aria-label={title}>
        <thead><tr>{head.map((h) => <th key={h}>{h}</th>)}</tr></thead>
        <tbody>
          {rows.length === 0 ? <tr><td colSpan={head.length} className="muted">{t('finance.none')}</td></tr> : null}
          {rows.map((row, i) => <tr key={i}>{row.map((c, j) => <td key={j}>{c}</td>)}</tr>)}
        </tbody>
      </table>
    </section>
  );
  return (
    <div className="page">
      <h1>{t('finance.title')}</h1>
      <p className="muted">{t('finance.intro')}</p>
      <div className="row">
        <label>{t('finance.from')} <input type="date" value={range.from} onChange={(e) => setRange({ ...range, from: e.target.value })} /></label>
        <label>{t('finance.to')} <input type="date" value={range.to} onChange={(e) => setRange({ ...range, to: e.target.value })} /></label>
        <button type="button" className="secondary" onClick={() => exportFile('csv')}>{t('finance.csv')}</button>
        <button type="button" className="secondary" onClick={() => exportFile('xlsx')}>{t('finance.xlsx')}</button>
      </div>
      <ErrorNote error={error ?? report.error ?? failed.error} />
      {report.loading && !r ? <Loading /> : null}
      {r ? (
        <>
          <dl className="row" aria-label={t('finance.revenue')}>
            <div><dt>{t('finance.revenue')}</dt><dd>{fmt(r.totals.revenue)}</dd></div>
            <div><dt>{t('finance.refunds')}</dt><dd>{fmt(r.totals.refunds)}</dd></div>
            <div><dt>{t('finance.tips')}</dt><dd>{fmt(r.totals.tips)}</dd></div>
            <div><dt>{t('finance.writeOffs')}</dt><dd>{fmt(r.totals.writeOffs)}</dd></div>
            <div><dt>{t('finance.held')}</dt><dd>{fmt(r.totals.held)}</dd></div>
            <div><dt>{t('finance.outstanding')}</dt><dd>{fmt(r.totals.outstanding)}</dd></div>
          </dl>
          {table(t('finance.byDay'), [t('finance.day'), t('finance.payments'), t('finance.refunds'), t('finance.revenue'), t('finance.tips')], r.byDay.map((d) => [d.day, fmt(d.payments), fmt(d.refunds), fmt(d.revenue), fmt(d.tips)]))}
          {table(t('finance.byService'), [t('finance.name'), t('finance.revenue')], r.byService.map((s) => [s.name ?? '—', fmt(s.revenue)]))}
          {table(t('finance.bySpecialist'), [t('finance.name'), t('finance.revenue'), t('finance.tips')], r.bySpecialist.map((s) => [s.name ?? '—', fmt(s.revenue), fmt(s.tips)]))}
          {table(t('finance.byMethod'), [t('finance.method'), t('finance.revenue'), t('finance.tips'), t('finance.writeOffs')], r.byMethod.map((m) => [methodName(m.method), fmt(m.revenue), fmt(m.tips), fmt(m.writeOffs)]))}
        </>
      ) : null}
      <section>
        <h2>{t('finance.failed')}</h2>
        {failed.data?.items.length === 0 ? <p className="muted">{t('finance.noFailed')}</p> : null}
        {failed.data?.items.length ? (
          <table className="table" aria-label={t('finance.failed')}>
            <thead><tr><th>{t('finance.amount')}</th><th>{t('finance.reason')}</th><th /></tr></thead>
            <tbody>
              {failed.data.items.map((f) => (
                <tr key={f.id}><td>{fmt(f.amount, f.currency)}</td><td>{f.last_error}</td><td><button type="button" className="small" onClick={() => retry(f.id)}>{t('finance.retry')}</button></td></tr>
              ))}
            </tbody>
          </table>
        ) : null}
      </section>
    </div>
  );
}
