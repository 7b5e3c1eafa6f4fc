import { useState, type FormEvent } from 'react';
import { ErrorNote, get, post, useI18n, useLoad, useMessages, type ZoneProps } from 'bookflow/studio';
import { loadAccount } from './loyalty.js';
import { messages } from './messages.js';

interface Tender { kind: string; status: string; amount: number; certificateNumber: string | null }

/**
 * The `booking.details` widget: the desk's warning when the client's online booking is blocked, what points,
 * a certificate or the deposit already pay, and paying part of the booking with them.
 */
export function BookingLoyalty({ bookingId }: ZoneProps['booking.details']) {
  const { t, tx } = useMessages(messages);
  const { locale } = useI18n();
  const data = useLoad(async () => {
    const booking = await get<{ client: { id: string } }>(`/bookings/${bookingId}`);
    const [account, tenders] = await Promise.all([loadAccount(booking.client.id), get<{ items: Tender[] }>(`/loyalty/bookings/${bookingId}/tenders`)]);
    return { account, tenders: tenders.items };
  }, [bookingId]);
  const [form, setForm] = useState({ kind: 'points', amount: '', certificateNumber: '' });
  const [error, setError] = useState<unknown>(null);
  const pay = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    try {
      await post(`/loyalty/bookings/${bookingId}/tenders`, { kind: form.kind, amount: Number(form.amount), ...(form.kind === 'certificate' ? { certificateNumber: form.certificateNumber } : {}) });
      setForm((f) => ({ ...f, amount: '' }));
      data.reload();
    } catch (err) { setError(err); }
  };
  const a = data.data?.account;
  return (
    <div className="card" data-testid="booking-loyalty">
      <ErrorNote error={data.error ?? error} />
      {a?.blockedUntil ? <p className="warning" role="alert">{t('card.blocked', { until: new Date(a.blockedUntil).toLocaleDateString(locale) })}</p> : null}
      {a ? <p className="muted small">{t('card.points')}: {a.balance} · {t('card.deposit')}: {a.deposit}</p> : null}
      {data.data?.tenders.filter((x) => x.status !== 'returned').map((x) => <p key={x.kind}>{tx(`tender.${x.kind}`, x.kind)}: {x.amount}{x.certificateNumber ? ` (${x.certificateNumber})` : ''}</p>)}
      <form onSubmit={pay}>
        <select aria-label={t('tender.kind')} value={form.kind} onChange={(e) => setForm((f) => ({ ...f, kind: e.target.value }))}>
          {['points', 'certificate', 'deposit'].map((k) => <option key={k} value={k}>{tx(`tender.${k}`, k)}</option>)}
        </select>
        {form.kind === 'certificate' ? <input aria-label={t('certs.number')} required value={form.certificateNumber} onChange={(e) => setForm((f) => ({ ...f, certificateNumber: e.target.value }))} /> : null}
        <input aria-label={t('tender.amount')} type="number" min={0.01} step={0.01} required value={form.amount} onChange={(e) => setForm((f) => ({ ...f, amount: e.target.value }))} />
        <button type="submit">{t('tender.pay')}</button>
      </form>
    </div>
  );
}
