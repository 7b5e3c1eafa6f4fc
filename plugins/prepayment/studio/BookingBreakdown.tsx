import { ApiError, ErrorNote, get, useI18n, useLoad, useMessages, type ZoneProps } from 'bookflow/studio';
import { messages } from './messages.js';

interface Money { amount: number; currency: string }
interface Breakdown {
  listPrice: Money;
  discounts: Array<{ source: string; amount: Money }>;
  price: Money;
  tenders: Array<{ kind: string; amount: Money; certificateNumber?: string }>;
  prepaid: Money;
  refunded: Money;
  due: Money;
}

const SOURCES = ['hot-windows', 'referrals'];

/**
 * The `booking.details` widget: what the booking costs — the list price, each discount with its source, loyalty's
 * tenders, the money paid ahead and refunded — and what the desk collects at the visit. Hidden from roles that
 * may not see a booking's money (the server answers them 403).
 */
export function BookingBreakdown({ bookingId }: ZoneProps['booking.details']) {
  const { t } = useMessages(messages);
  const { locale } = useI18n();
  const data = useLoad(() => get<Breakdown>(`/prepayment/bookings/${bookingId}/breakdown`), [bookingId]);
  if (data.error instanceof ApiError && data.error.status === 403) return null;
  const b = data.data;
  const fmt = (m: Money) => {
    const digits = new Intl.NumberFormat('en', { style: 'currency', currency: m.currency }).resolvedOptions().maximumFractionDigits ?? 2;
    return new Intl.NumberFormat(locale, { style: 'currency', currency: m.currency, minimumFractionDigits: 0, maximumFractionDigits: digits }).format(m.amount / 10 ** digits);
  };
  const row = (key: string, label: string, value: string, strong = false) => (
    <tr key={key} data-testid={`breakdown-${key}`}><td>{label}</td><td className="num">{strong ? <strong>{value}</strong> : value}</td></tr>
  );
  return (
    <div className="card" data-testid="booking-breakdown">
      <h4>{t('breakdown.title')}</h4>
      <ErrorNote error={data.error} />
      {b ? (
        <table className="compact">
          <tbody>
            {b.discounts.length ? row('list', t('breakdown.listPrice'), fmt(b.listPrice)) : null}
            {b.discounts.map((d, i) => row(`discount-${i}`, t(`breakdown.source.${SOURCES.includes(d.source) ? d.source : 'other'}` as 'breakdown.source.other'), `−${fmt(d.amount)}`))}
            {row('price', t('breakdown.price'), fmt(b.price))}
            {b.tenders.map((x) => row(`tender-${x.kind}`, t(`breakdown.tender.${x.kind}` as 'breakdown.tender.points') + (x.certificateNumber ? ` (${x.certificateNumber})` : ''), `−${fmt(x.amount)}`))}
            {b.prepaid.amount ? row('prepaid', t('breakdown.prepaid'), `−${fmt(b.prepaid)}`) : null}
            {b.refunded.amount ? row('refunded', t('breakdown.refunded'), `+${fmt(b.refunded)}`) : null}
            {row('due', t('breakdown.due'), fmt(b.due), true)}
          </tbody>
        </table>
      ) : null}
    </div>
  );
}
