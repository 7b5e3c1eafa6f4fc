import { useState } from 'react';
import { ErrorNote, Loading, useBusiness, useI18n, useLoad, useMessages, type ZoneProps } from 'bookflow/studio';
import { AdjustForm } from './AdjustForm.js';
import { loadAccount, unblock } from './loyalty.js';
import { messages } from './messages.js';

const MANAGERS = ['owner', 'admin'];

/** The `client.card` widget: points, tier, VIP, debt, deposit, the block, the ledger; owners and admins adjust. */
export function LoyaltyCard({ contactId }: ZoneProps['client.card']) {
  const { t, tx } = useMessages(messages);
  const { locale } = useI18n();
  const { role } = useBusiness();
  const account = useLoad(() => loadAccount(contactId), [contactId]);
  const [error, setError] = useState<unknown>(null);
  const [reason, setReason] = useState('');
  const a = account.data;
  const day = (iso: string) => new Date(iso).toLocaleDateString(locale);
  const lift = async () => {
    setError(null);
    try { await unblock(contactId, reason); setReason(''); account.reload(); } catch (e) { setError(e); }
  };
  return (
    <div className="card" data-testid="loyalty-card">
      <h3>{t('card.title')}</h3>
      <ErrorNote error={account.error ?? error} />
      {account.loading && !a ? <Loading /> : null}
      {a ? (
        <>
          <p>
            <strong>{t('card.points')}: {a.balance}</strong> · {t('card.tier')}: {a.tier.percent}%{a.vip ? <> · <strong>{t('card.vip')}</strong></> : null}
            {a.debt ? <> · {t('card.debt')}: {a.debt}</> : null} · {t('card.deposit')}: {a.deposit.toLocaleString(locale, { style: 'currency', currency: a.currency })}
          </p>
          {a.nextRedeemAt ? <p className="muted small">{t('card.nextRedeem', { date: day(a.nextRedeemAt) })}</p> : null}
          {a.blockedUntil ? (
            <div className="warning" role="alert">
              {t('card.blocked', { until: day(a.blockedUntil) })}
              {MANAGERS.includes(role) ? (
                <span> <input aria-label={t('card.unblockReason')} value={reason} maxLength={500} onChange={(e) => setReason(e.target.value)} /> <button type="button" disabled={!reason.trim()} onClick={lift}>{t('card.unblock')}</button></span>
              ) : null}
            </div>
          ) : null}
          {a.entries.length ? (
            <table className="table" aria-label={t('card.title')}>
              <thead><tr><th>{t('ledger.at')}</th><th>{t('ledger.kind')}</th><th>{t('ledger.amount')}</th><th>{t('ledger.after')}</th><th>{t('ledger.certificate')}</th></tr></thead>
              <tbody>
                {a.entries.map((e, i) => (
                  <tr key={i}>
                    <td>{day(e.at)}</td>
                    <td>{tx(`kind.${e.kind}`, e.kind)}{e.reason && e.kind === 'manual' ? ` — ${e.reason}` : ''}</td>
                    <td>{e.ledger === 'points' ? e.points : e.amount}</td>
                    <td>{e.balanceAfter}</td>
                    <td>{e.certificateNumber ?? ''}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : <p className="muted">{t('card.none')}</p>}
          {MANAGERS.includes(role) ? <AdjustForm contactId={contactId} onDone={account.reload} /> : null}
        </>
      ) : null}
    </div>
  );
}
