import { useId, useState, type FormEvent } from 'react';
import { del, ErrorNote, get, Loading, post, put, useLoad, useMessages, useOptions } from 'bookflow/studio';
import { messages } from './messages.js';

interface Course { id: string; name: string; serviceId: string; count: number; intervalDays: number; promotion: string }
const STAFF_ONLY = { kind: ['staff'] };
const EMPTY = { name: '', serviceId: '', count: 5, intervalDays: 7, promotion: '' };

/** The catalog doctors prescribe from («бархатный сезон — услуги») and who the doctors are. */
export function CoursesPage() {
  const { t } = useMessages(messages);
  const id = useId();
  const services = useOptions('/api/v1/booking/services').options;
  const staff = useOptions('/api/v1/booking/resources', 'id', 'name', STAFF_ONLY).options;
  const list = useLoad(() => Promise.all([get<{ items: Course[] }>('/crm/courses'), get<{ items: string[] }>('/crm/doctors')]), []);
  const [form, setForm] = useState(EMPTY);
  const [error, setError] = useState<unknown>(null);
  const run = async (fn: () => Promise<unknown>) => { setError(null); try { await fn(); list.reload(); } catch (e) { setError(e); } };
  const add = (e: FormEvent) => { e.preventDefault(); void run(async () => { await post('/crm/courses', form); setForm(EMPTY); }); };
  const serviceName = (v: string) => String(services.find((s) => s.value === v)?.label ?? '');
  if (!list.data) return list.error ? <ErrorNote error={list.error} /> : <Loading />;
  const [courses, doctors] = list.data;
  return (
    <div className="page">
      <h1>{t('courses.title')}</h1>
      <table className="table">
        <thead><tr><th>{t('courses.name')}</th><th>{t('courses.service')}</th><th>{t('courses.count')}</th><th>{t('courses.interval')}</th><th>{t('courses.promotion')}</th><th /></tr></thead>
        <tbody>{courses.items.map((c) => (
          <tr key={c.id}><td>{c.name}</td><td>{serviceName(c.serviceId)}</td><td>{c.count}</td><td>{c.intervalDays}</td><td>{c.promotion}</td>
            <td><button type="button" className="secondary small" aria-label={`✕ ${c.name}`} onClick={() => run(() => del(`/crm/courses/${c.id}`))}>✕</button></td></tr>
        ))}</tbody>
      </table>
      <form className="row" onSubmit={add}>
        <div className="field"><label htmlFor={`${id}-n`}>{t('courses.name')}</label><input id={`${id}-n`} required maxLength={200} value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} /></div>
        <div className="field"><label htmlFor={`${id}-s`}>{t('courses.service')}</label>
          <select id={`${id}-s`} required value={form.serviceId} onChange={(e) => setForm({ ...form, serviceId: e.target.value })}><option value="" />{services.map((s) => <option key={s.value} value={s.value}>{String(s.label)}</option>)}</select></div>
        <div className="field"><label htmlFor={`${id}-c`}>{t('courses.count')}</label><input id={`${id}-c`} type="number" min={1} max={100} value={form.count} onChange={(e) => setForm({ ...form, count: Number(e.target.value) })} /></div>
        <div className="field"><label htmlFor={`${id}-i`}>{t('courses.interval')}</label><input id={`${id}-i`} type="number" min={1} max={365} value={form.intervalDays} onChange={(e) => setForm({ ...form, intervalDays: Number(e.target.value) })} /></div>
        <div className="field grow"><label htmlFor={`${id}-p`}>{t('courses.promotion')}</label><input id={`${id}-p`} maxLength={500} value={form.promotion} onChange={(e) => setForm({ ...form, promotion: e.target.value })} /></div>
        <button type="submit" className="primary">{t('courses.add')}</button>
      </form>
      <h2>{t('courses.doctors')}</h2>
      <ul className="plain">{staff.map((s) => {
        const on = doctors.items.includes(String(s.value));
        return <li key={s.value}><label className="check"><input type="checkbox" checked={on} onChange={() => run(() => (on ? del(`/crm/doctors/${s.value}`) : put(`/crm/doctors/${s.value}`)))} /> {String(s.label)}</label></li>;
      })}</ul>
      <ErrorNote error={error} />
    </div>
  );
}
