import { useId, useState, type FormEvent } from 'react';
import { ErrorNote, useLoad, useMessages } from 'bookflow/studio';
import { createWindow, loadSegments, loadStaff, type Draft } from './api.js';
import { messages } from './messages.js';

const multi = (e: { target: HTMLSelectElement }) => [...e.target.selectedOptions].map((o) => o.value);

/** Marks free time of a service hot: specialists, days, hours, discount, prepayment and segments to notify. */
export function WindowForm({ serviceId, initial, onCreated }: { serviceId: string; initial?: Partial<Draft>; onCreated(): void }) {
  const { t } = useMessages(messages);
  const id = useId();
  const staff = useLoad(loadStaff);
  const segments = useLoad(loadSegments);
  const [d, setD] = useState<Draft>({ resourceIds: [], serviceIds: [serviceId], dateFrom: '', dateTo: '', from: '10:00', to: '14:00', discountPercent: 20, prepaymentAmount: 500, segmentIds: [], ...initial });
  const [error, setError] = useState<unknown>(null);
  const set = (patch: Partial<Draft>) => setD({ ...d, ...patch });
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    try { await createWindow({ ...d, serviceIds: [serviceId], segmentIds: d.segmentIds?.length ? d.segmentIds : undefined }); onCreated(); } catch (err) { setError(err); }
  };
  const field = (key: 'dateFrom' | 'dateTo' | 'from' | 'to', type: string) => (
    <div className="field"><label htmlFor={`${id}-${key}`}>{t(key)}</label><input id={`${id}-${key}`} type={type} required value={d[key]} onChange={(e) => set({ [key]: e.target.value })} /></div>
  );
  return (
    <form onSubmit={submit} aria-label={t('new')}>
      <h2>{t('new')}</h2>
      <div className="field"><label htmlFor={`${id}-staff`}>{t('specialists')}</label>
        <select id={`${id}-staff`} multiple required value={d.resourceIds} onChange={(e) => set({ resourceIds: multi(e) })}>{(staff.data ?? []).map((s) => <option key={s.id} value={s.id}>{s.name}</option>)}</select></div>
      <div className="row">{field('dateFrom', 'date')}{field('dateTo', 'date')}{field('from', 'time')}{field('to', 'time')}</div>
      <div className="row">
        <div className="field"><label htmlFor={`${id}-discount`}>{t('discount')}</label><input id={`${id}-discount`} type="number" min={1} max={90} value={d.discountPercent} onChange={(e) => set({ discountPercent: Number(e.target.value) })} /></div>
        <div className="field"><label htmlFor={`${id}-prepay`}>{t('prepayment')}</label><input id={`${id}-prepay`} type="number" min={0} value={d.prepaymentAmount} onChange={(e) => set({ prepaymentAmount: Number(e.target.value) })} /></div>
      </div>
      <div className="field"><label htmlFor={`${id}-segments`}>{t('segments')}</label>
        <select id={`${id}-segments`} multiple value={d.segmentIds} onChange={(e) => set({ segmentIds: multi(e) })}>{(segments.data ?? []).map((s) => <option key={s.id} value={s.id}>{s.name}</option>)}</select></div>
      <ErrorNote error={error ?? staff.error} />
      <div className="form-actions"><button type="submit" className="primary" disabled={!d.resourceIds.length || !d.dateFrom || !d.dateTo}>{t('create')}</button></div>
    </form>
  );
}
