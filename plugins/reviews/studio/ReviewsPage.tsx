import { useId, useState } from 'react';
import { ErrorNote, Loading, useBusiness, useI18n, useLoad, useMessages, useOptions } from 'bookflow/studio';
import { loadReviews } from './api.js';
import { messages } from './messages.js';
import { ReviewRow } from './ReviewRow.js';
import { StatsPanel } from './StatsPanel.js';

const day = (d: Date) => d.toISOString().slice(0, 10);
const RATINGS = { low: '1,2', mid: '3', high: '4,5' } as const;

/** The review inbox: filters, the reviews with their actions, the averages of the same period, the embed code. */
export function ReviewsPage() {
  const { t } = useMessages(messages);
  const { t: ct, text } = useI18n();
  const business = useBusiness();
  const id = useId();
  // real time: the browser's today only sets the filter's default range
  const today = new Date();
  const [f, setF] = useState({ from: day(new Date(today.getTime() - 90 * 86400_000)), to: day(new Date(today.getTime() + 86400_000)), rating: '', status: '', serviceId: '', resourceId: '' });
  const set = (k: keyof typeof f, v: string) => setF((x) => ({ ...x, [k]: v }));
  const services = useOptions('/api/v1/booking/services').options;
  const staff = useOptions('/api/v1/booking/resources').options;
  const range = { from: new Date(`${f.from}T00:00:00`).toISOString(), to: new Date(`${f.to}T23:59:59`).toISOString() };
  const list = useLoad(() => loadReviews({ ...f, ...range }), [JSON.stringify(f)]);
  const [error, setError] = useState<unknown>(null);
  const select = (key: 'rating' | 'status' | 'serviceId' | 'resourceId', label: string, options: Array<{ value: string; label: string }>) => (
    <div className="field">
      <label htmlFor={`${id}-${key}`}>{label}</label>
      <select id={`${id}-${key}`} value={f[key]} onChange={(e) => set(key, e.target.value)}>
        <option value="">{ct('common.all')}</option>
        {options.map((o) => <option key={o.value} value={o.value}>{o.label}</option>)}
      </select>
    </div>
  );
  const slug = business.slug;
  return (
    <div className="page">
      <h1>{t('inbox.title')}</h1>
      <p className="muted">{t('inbox.intro')}</p>
      <form className="filters" role="search" onSubmit={(e) => e.preventDefault()}>
        {select('rating', t('filter.rating'), (Object.keys(RATINGS) as Array<keyof typeof RATINGS>).map((k) => ({ value: RATINGS[k], label: t(`filter.${k}`) })))}
        {select('resourceId', t('filter.specialist'), staff.map((o) => ({ value: o.value, label: text(o.label) })))}
        {select('serviceId', t('filter.service'), services.map((o) => ({ value: o.value, label: text(o.label) })))}
        {select('status', t('filter.status'), (['new', 'published', 'hidden'] as const).map((s) => ({ value: s, label: t(`status.${s}`) })))}
        <div className="field"><label htmlFor={`${id}-from`}>{t('filter.from')}</label><input id={`${id}-from`} type="date" required value={f.from} onChange={(e) => set('from', e.target.value)} /></div>
        <div className="field"><label htmlFor={`${id}-to`}>{t('filter.to')}</label><input id={`${id}-to`} type="date" required value={f.to} onChange={(e) => set('to', e.target.value)} /></div>
      </form>
      <ErrorNote error={error ?? list.error} />
      {list.loading && !list.data ? <Loading /> : null}
      {list.data ? (
        <>
          <p className="muted">{t('total', { count: list.data.total })}</p>
          <table className="table" aria-label={t('inbox.title')}>
            <thead><tr><th>{t('col.visit')}</th><th>{t('col.client')}</th><th>{t('col.rating')}</th><th>{t('col.review')}</th><th>{t('col.status')}</th><th /></tr></thead>
            <tbody>
              {list.data.items.length === 0 ? <tr><td colSpan={6} className="muted">{t('none')}</td></tr> : null}
              {list.data.items.map((r) => <ReviewRow key={r.id} review={r} canShare={list.data!.canShare} canPostToChannel={list.data!.canPostToChannel} onChange={list.reload} onError={setError} />)}
            </tbody>
          </table>
        </>
      ) : null}
      <StatsPanel from={range.from} to={range.to} />
      <h2>{t('embed.title')}</h2>
      <p className="muted">{t('embed.hint')}</p>
      <pre className="code">{`<iframe src="${location.origin}/api/v1/public/${slug}/reviews/embed" style="width:100%;height:480px;border:0" loading="lazy"></iframe>`}</pre>
    </div>
  );
}
