import { useEffect, useState } from 'react';
import { ErrorNote, useMessages } from 'bookflow/studio';
import { ACTIONS, act, loadCampaign, sendTest, type Campaign, type Counts } from './campaigns.js';
import { messages } from './messages.js';

const POLL_MS = 1500;
const SHOWN: Array<Exclude<keyof Counts, 'sending'>> = ['recipients', 'queued', 'sent', 'failed', 'blocked', 'unsubscribed', 'clicked', 'booked'];
const percent = (r: number) => `${Math.round(r * 1000) / 10}%`;

/** One campaign, read again every 1.5 s while it may still change, with the moves its status allows. */
export function CampaignProgress({ id, onChanged }: { id: string; onChanged(): void }) {
  const { t } = useMessages(messages);
  const [c, setC] = useState<Campaign | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [tested, setTested] = useState(false);
  useEffect(() => {
    let live = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const load = () => loadCampaign(id).then((next) => {
      if (!live) return;
      setC(next);
      if (next.status !== 'finished' && next.status !== 'cancelled' || next.counts.sending > 0) timer = setTimeout(load, POLL_MS);
    }, (e) => live && setError(e));
    load();
    return () => { live = false; clearTimeout(timer); };
  }, [id]);
  const run = async (action: 'start' | 'pause' | 'resume' | 'cancel') => {
    setError(null);
    try { setC(await act(id, action)); onChanged(); } catch (e) { setError(e); }
  };
  const test = async () => {
    setError(null); setTested(false);
    try { await sendTest(id); setTested(true); } catch (e) { setError(e); }
  };
  if (!c) return <ErrorNote error={error} />;
  return (
    <section aria-label={c.name}>
      <h2>{c.name}</h2>
      <p>{t('status')}: <strong data-testid="campaign-status">{t(`status.${c.status}`)}</strong></p>
      <table className="table"><tbody>
        {SHOWN.map((k) => <tr key={k}><th>{t(k)}</th><td data-testid={`count-${k}`}>{c.counts[k]}</td></tr>)}
        <tr><th>{t('deliveryRate')}</th><td>{percent(c.results.deliveryRate)}</td></tr>
        <tr><th>{t('clickRate')}</th><td>{percent(c.results.clickRate)}</td></tr>
        <tr><th>{t('bookingRate')}</th><td>{percent(c.results.bookingRate)}</td></tr>
      </tbody></table>
      <p className="muted small">{t('excluded', c.excluded)}</p>
      <ErrorNote error={error} />
      {tested ? <p role="status" className="muted small">{t('testSent')}</p> : null}
      <div className="form-actions">
        <button type="button" className="secondary" onClick={test} title={t('testHint')}>{t('test')}</button>
        {ACTIONS[c.status].map((a) => <button key={a} type="button" className={a === 'cancel' ? 'danger' : 'secondary'} onClick={() => run(a)}>{t(a)}</button>)}
      </div>
    </section>
  );
}
