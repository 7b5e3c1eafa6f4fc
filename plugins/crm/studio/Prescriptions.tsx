import { useId, useState } from 'react';
import { ErrorNote, get, post, useLoad, useMessages, useOptions } from 'bookflow/studio';
import { messages } from './messages.js';

export interface Prescription { id: string; name: string; count: number; intervalDays: number; prescribedAt: string; doctorResourceId: string }

/** The doctor's courses on the card, and prescribing one from the catalog («бархатный сезон — услуги»). */
export function Prescriptions({ contactId, items, onAdded }: { contactId: string; items: Prescription[]; onAdded(): void }) {
  const { t } = useMessages(messages);
  const id = useId();
  const courses = useOptions('/api/v1/crm/courses', 'id', 'name').options;
  const staff = useOptions('/api/v1/booking/resources', 'id', 'name').options;
  const doctors = useLoad(() => get<{ items: string[] }>('/crm/doctors'), []);
  const [pick, setPick] = useState({ courseId: '', doctorResourceId: '' });
  const [error, setError] = useState<unknown>(null);
  const doctorOptions = staff.filter((s) => doctors.data?.items.includes(String(s.value)));
  const prescribe = async () => {
    setError(null);
    try { await post(`/crm/cards/${contactId}/prescriptions`, pick); onAdded(); } catch (e) { setError(e); }
  };
  return (
    <fieldset><legend>{t('course.title')}</legend>
      {items.length ? <ul className="plain">{items.map((p) => <li key={p.id}><b>{p.name}</b> — {t('course.line', { count: p.count, days: p.intervalDays })}</li>)}</ul> : <p className="muted small">{t('course.none')}</p>}
      {courses.length && doctorOptions.length ? (
        <div className="row">
          <div className="field"><label htmlFor={`${id}-c`}>{t('course.course')}</label>
            <select id={`${id}-c`} value={pick.courseId} onChange={(e) => setPick({ ...pick, courseId: e.target.value })}><option value="" />{courses.map((c) => <option key={c.value} value={c.value}>{String(c.label)}</option>)}</select></div>
          <div className="field"><label htmlFor={`${id}-d`}>{t('course.doctor')}</label>
            <select id={`${id}-d`} value={pick.doctorResourceId} onChange={(e) => setPick({ ...pick, doctorResourceId: e.target.value })}><option value="" />{doctorOptions.map((c) => <option key={c.value} value={c.value}>{String(c.label)}</option>)}</select></div>
          <button type="button" className="secondary" disabled={!pick.courseId || !pick.doctorResourceId} onClick={prescribe}>{t('course.prescribe')}</button>
        </div>
      ) : null}
      <ErrorNote error={error} />
    </fieldset>
  );
}
