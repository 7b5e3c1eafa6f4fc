import { useState } from 'react';
import { downloadFile, ErrorNote, get, Loading, useI18n, useLoad, useMessages } from 'bookflow/studio';
import { messages } from './messages.js';

interface Report {
  items: Array<{ id: string; referrer: { name: string | null }; friend: { name: string | null; phone: string | null }; converted: boolean; points: number; createdAt: string }>;
  invited: number; converted: number; pointsPaid: number;
}

/** Who invited whom, whether the friend came, the points paid; the same as CSV or XLSX. */
export function ReportPage() {
  const { t } = useMessages(messages);
  const { locale } = useI18n();
  const report = useLoad(() => get<Report>('/referrals/report'), []);
  const r = report.data;
  const [error, setError] = useState<unknown>(null);
  const download = (format: 'csv' | 'xlsx') => {
    setError(null);
    downloadFile(`/referrals/report?format=${format}`, `referrals.${format}`).catch(setError);
  };
  return (
    <section>
      <h1>{t('report.title')}</h1>
      <div className="toolbar">
        <button type="button" onClick={() => download('csv')}>{t('report.csv')}</button>
        <button type="button" onClick={() => download('xlsx')}>{t('report.xlsx')}</button>
      </div>
      <ErrorNote error={report.error ?? error} />
      {report.loading && !r ? <Loading /> : null}
      {r ? <p>{t('report.summary', { invited: r.invited, converted: r.converted, points: r.pointsPaid })}</p> : null}
      {r?.items.length === 0 ? <p className="muted">{t('report.none')}</p> : null}
      {r?.items.length ? (
        <table className="table" aria-label={t('report.title')}>
          <thead><tr><th>{t('report.referrer')}</th><th>{t('report.friend')}</th><th>{t('report.when')}</th><th>{t('report.converted')}</th><th>{t('report.points')}</th></tr></thead>
          <tbody>
            {r.items.map((i) => (
              <tr key={i.id}>
                <td>{i.referrer.name}</td><td>{i.friend.name ?? i.friend.phone}</td><td>{new Date(i.createdAt).toLocaleDateString(locale)}</td>
                <td>{i.converted ? t('report.yes') : t('report.no')}</td><td>{i.points}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}
