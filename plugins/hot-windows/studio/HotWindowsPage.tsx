import { useState } from 'react';
import { ErrorNote, Loading, useLoad, useMessages } from 'bookflow/studio';
import { cancelWindow, loadCalendar, loadProposals, loadServices, loadWindows, type Draft } from './api.js';
import { messages } from './messages.js';
import { SlotCalendar } from './SlotCalendar.js';
import { WindowForm } from './WindowForm.js';

const hhmm = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;

/** A service's two-week calendar colored by slot kind, the hot windows, suggestions from the gaps and the form. */
export function HotWindowsPage() {
  const { t } = useMessages(messages);
  const services = useLoad(loadServices);
  const [serviceId, setServiceId] = useState('');
  const current = serviceId || services.data?.[0]?.id || '';
  const cal = useLoad(() => (current ? loadCalendar(current) : Promise.resolve(null)), [current]);
  const windows = useLoad(loadWindows);
  const proposals = useLoad(() => (current ? loadProposals(current) : Promise.resolve([])), [current]);
  const [initial, setInitial] = useState<Partial<Draft> | undefined>();
  const [error, setError] = useState<unknown>(null);
  const changed = () => { cal.reload(); windows.reload(); proposals.reload(); };
  return (
    <div className="page">
      <h1>{t('title')}</h1>
      <p className="muted">{t('intro')}</p>
      <div className="field"><label htmlFor="hw-service">{t('service')}</label>
        <select id="hw-service" value={current} onChange={(e) => setServiceId(e.target.value)}>{(services.data ?? []).map((s) => <option key={s.id} value={s.id}>{s.name}</option>)}</select></div>
      <ErrorNote error={error ?? services.error ?? cal.error} />
      {cal.loading && !cal.data ? <Loading /> : null}
      {cal.data ? <SlotCalendar slots={cal.data.slots} legend={cal.data.legend} /> : null}
      {current ? <WindowForm key={`${current}|${JSON.stringify(initial)}`} serviceId={current} initial={initial} onCreated={changed} /> : null}
      <h2>{t('proposals')}</h2>
      <ul>{(proposals.data ?? []).map((p) => (
        <li key={`${p.dateFrom}|${p.resourceIds[0]}`}>{p.dateFrom} {p.from}–{p.to} · {t('freeHours', { hours: p.freeHours })} <button type="button" className="secondary small" onClick={() => setInitial(p)}>{t('use')}</button></li>
      ))}</ul>
      <h2>{t('windows')}</h2>
      <ul>{(windows.data ?? []).map((w) => (
        <li key={w.id}>{w.dateFrom}–{w.dateTo} {hhmm(w.fromMin)}–{hhmm(w.toMin)} · −{w.discountPercent}% {w.expired ? <span className="muted">({t('expired')})</span> : null}{' '}
          <button type="button" className="danger small" onClick={() => cancelWindow(w.id).then(changed, setError)}>{t('cancel')}</button></li>
      ))}</ul>
    </div>
  );
}
