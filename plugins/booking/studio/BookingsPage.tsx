import { useId, useState } from 'react';
import { downloadFile, Dialog, ErrorNote, get, Loading, patch, query, useI18n, useLoad, useMessages, useOptions, Zone } from 'bookflow/studio';
import { messages } from './messages.js';
import { useMoney } from './useMoney.js';

export const STATUSES = ['held', 'pending', 'confirmed', 'arrived', 'completed', 'cancelled', 'no_show', 'expired'] as const;

interface Booking {
  id: string;
  start: string;
  end: string;
  status: string;
  serviceId: string;
  serviceName?: string;
  resourceIds?: string[];
  client?: { id?: string; name?: string; phone?: string | null } | null;
  price?: number | string;
  comment?: string;
}

const day = (d: Date) => d.toISOString().slice(0, 10);

/** Bookings in a date range, filtered by status, service, resource and a search text. */
export function BookingsPage() {
  const { t: ct, text, locale } = useI18n();
  const { t } = useMessages(messages);
  const money = useMoney();
  const id = useId();
  // real time: the browser's today, the default range of the filter (the server decides by the business's clock)
  const today = new Date();
  const [filters, setFilters] = useState({ from: day(today), to: day(new Date(today.getTime() + 14 * 86400_000)), status: '', q: '', serviceId: '', resourceId: '' });
  const services = useOptions('/api/v1/booking/services').options;
  const resources = useOptions('/api/v1/booking/resources').options;
  const params = {
    ...filters,
    from: filters.from ? new Date(`${filters.from}T00:00:00`).toISOString() : undefined,
    to: filters.to ? new Date(`${filters.to}T23:59:59`).toISOString() : undefined,
  };
  const list = useLoad(() => get<{ items: Booking[] }>(`/bookings${query(params)}`), [JSON.stringify(filters)]);
  /** The server exports exactly the filtered list; the file comes through fetch because it needs our headers. */
  const exportFile = async (format: 'csv' | 'xlsx') => {
    setError(null);
    try {
      await downloadFile(`/bookings/export${query({ ...params, format })}`, `bookings-${filters.from}-${filters.to}.${format}`);
    } catch (e) { setError(e); }
  };
  const [error, setError] = useState<unknown>(null);
  const set = (k: keyof typeof filters, v: string) => setFilters((f) => ({ ...f, [k]: v }));
  const setStatus = async (b: Booking, status: string) => {
    setError(null);
    try { await patch(`/bookings/${b.id}`, { status }); list.reload(); } catch (e) { setError(e); }
  };
  const fmt = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' });
  const name = (opts: typeof services, v: string) => text(opts.find((o) => o.value === v)?.label) || v.slice(0, 8);
  const [open, setOpen] = useState<Booking | null>(null);
  return (
    <div className="page">
      <div className="page-head">
        <h1>{t('page.bookings')}</h1>
        <div className="row">
          <button type="button" className="secondary small" onClick={() => exportFile('csv')}>{t('bookings.export')} CSV</button>
          <button type="button" className="secondary small" onClick={() => exportFile('xlsx')}>{t('bookings.export')} Excel</button>
        </div>
      </div>
      <form className="filters" role="search" onSubmit={(e) => e.preventDefault()}>
        <div className="field"><label htmlFor={`${id}-from`}>{t('bookings.from')}</label><input id={`${id}-from`} type="date" value={filters.from} onChange={(e) => set('from', e.target.value)} /></div>
        <div className="field"><label htmlFor={`${id}-to`}>{t('bookings.to')}</label><input id={`${id}-to`} type="date" value={filters.to} onChange={(e) => set('to', e.target.value)} /></div>
        <div className="field">
          <label htmlFor={`${id}-st`}>{t('bookings.status')}</label>
          <select id={`${id}-st`} value={filters.status} onChange={(e) => set('status', e.target.value)}>
            <option value="">{ct('common.all')}</option>
            {STATUSES.map((s) => <option key={s} value={s}>{t(`status.${s}`)}</option>)}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-sv`}>{t('bookings.service')}</label>
          <select id={`${id}-sv`} value={filters.serviceId} onChange={(e) => set('serviceId', e.target.value)}>
            <option value="">{ct('common.all')}</option>
            {services.map((s) => <option key={s.value} value={s.value}>{text(s.label)}</option>)}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-rs`}>{t('bookings.resource')}</label>
          <select id={`${id}-rs`} value={filters.resourceId} onChange={(e) => set('resourceId', e.target.value)}>
            <option value="">{ct('common.all')}</option>
            {resources.map((s) => <option key={s.value} value={s.value}>{text(s.label)}</option>)}
          </select>
        </div>
        <div className="field grow"><label htmlFor={`${id}-q`}>{t('bookings.search')}</label><input id={`${id}-q`} type="search" value={filters.q} onChange={(e) => set('q', e.target.value)} placeholder={t('bookings.searchHint')} /></div>
      </form>
      <ErrorNote error={error ?? list.error} />
      {list.loading && !list.data ? <Loading /> : null}
      {list.data ? (
        <table className="table">
          <thead><tr><th>{t('bookings.when')}</th><th>{t('bookings.service')}</th><th>{t('bookings.resource')}</th><th>{t('bookings.client')}</th><th>{t('bookings.marks')}</th><th>{t('bookings.status')}</th></tr></thead>
          <tbody>
            {list.data.items.length === 0 ? <tr><td colSpan={6} className="muted">{t('bookings.none')}</td></tr> : null}
            {list.data.items.map((b) => (
              <tr key={b.id}>
                <td><button type="button" className="link" aria-label={`${t('bookings.open')}: ${fmt.format(new Date(b.start))}`} onClick={() => setOpen(b)}>{fmt.format(new Date(b.start))}</button></td>
                <td>{b.serviceName ?? name(services, b.serviceId)}</td>
                <td>{(b.resourceIds ?? []).map((r) => name(resources, r)).join(', ')}</td>
                <td>{b.client?.name ?? ''}{b.client?.phone ? <div className="muted small">{b.client.phone}</div> : null}</td>
                {/* Plugins' marks of the client (CRM's status, colour, fixed specialist, a missing contract) */}
                <td><Zone name="journal.cell" props={{ booking: { id: b.id, start: b.start, end: b.end, status: b.status, serviceId: b.serviceId, resourceIds: b.resourceIds ?? [], clientId: b.client?.id ?? null } }} /></td>
                <td>
                  <label className="sr-only" htmlFor={`${id}-${b.id}`}>{t('bookings.status')}</label>
                  <select id={`${id}-${b.id}`} className={`status-${b.status}`} value={b.status} onChange={(e) => setStatus(b, e.target.value)}>
                    {STATUSES.map((s) => <option key={s} value={s}>{t(`status.${s}`)}</option>)}
                  </select>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {open ? (
        <Dialog title={t('bookings.details', { when: fmt.format(new Date(open.start)) })} onClose={() => setOpen(null)}>
          <dl className="facts">
            <dt>{t('bookings.service')}</dt><dd>{open.serviceName ?? name(services, open.serviceId)}</dd>
            <dt>{t('bookings.resource')}</dt><dd>{(open.resourceIds ?? []).map((r) => name(resources, r)).join(', ')}</dd>
            <dt>{t('bookings.client')}</dt><dd>{open.client?.name ?? ''} {open.client?.phone ?? ''}</dd>
            <dt>{t('bookings.status')}</dt><dd>{t(`status.${open.status as (typeof STATUSES)[number]}`)}</dd>
            {open.price !== undefined ? <><dt>{t('bookings.price')}</dt><dd>{money(Number(open.price))}</dd></> : null}
            {open.comment ? <><dt>{t('bookings.comment')}</dt><dd>{open.comment}</dd></> : null}
          </dl>
          {/* What other plugins know of this booking: payments, reminders, points… */}
          <Zone name="booking.details" props={{ bookingId: open.id }} />
        </Dialog>
      ) : null}
    </div>
  );
}
