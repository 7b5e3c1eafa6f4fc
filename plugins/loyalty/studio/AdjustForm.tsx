import { useId, useState, type FormEvent } from 'react';
import { ErrorNote, useMessages } from 'bookflow/studio';
import { adjust, topUp } from './loyalty.js';
import { messages } from './messages.js';

/** Manual points with a reason, and a deposit top-up at the desk; the server's refusals show as they come. */
export function AdjustForm({ contactId, onDone }: { contactId: string; onDone(): void }) {
  const { t } = useMessages(messages);
  const id = useId();
  const [points, setPoints] = useState('');
  const [reason, setReason] = useState('');
  const [amount, setAmount] = useState('');
  const [error, setError] = useState<unknown>(null);
  const run = (fn: () => Promise<unknown>, reset: () => void) => async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    try { await fn(); reset(); onDone(); } catch (err) { setError(err); }
  };
  return (
    <>
      <form onSubmit={run(() => adjust(contactId, Number(points), reason), () => { setPoints(''); setReason(''); })}>
        <h4>{t('adjust.title')}</h4>
        <div className="field"><label htmlFor={`${id}-p`}>{t('adjust.points')}</label><input id={`${id}-p`} type="number" step={1} required value={points} onChange={(e) => setPoints(e.target.value)} /></div>
        <div className="field"><label htmlFor={`${id}-r`}>{t('adjust.reason')}</label><input id={`${id}-r`} required maxLength={500} value={reason} onChange={(e) => setReason(e.target.value)} /></div>
        <div className="form-actions"><button type="submit" className="primary" disabled={!points || !reason.trim()}>{t('adjust.submit')}</button></div>
      </form>
      <form onSubmit={run(() => topUp(contactId, Number(amount)), () => setAmount(''))}>
        <h4>{t('deposit.title')}</h4>
        <div className="field"><label htmlFor={`${id}-a`}>{t('deposit.amount')}</label><input id={`${id}-a`} type="number" min={0.01} step={0.01} required value={amount} onChange={(e) => setAmount(e.target.value)} /></div>
        <div className="form-actions"><button type="submit" disabled={!amount}>{t('deposit.submit')}</button></div>
      </form>
      <ErrorNote error={error} />
    </>
  );
}
