import { useEffect, useState, type FormEvent } from 'react';
import { ErrorNote, get, Loading, put, useI18n, useLoad, useMessages, useOptions } from 'bookflow/studio';
import { messages } from './messages.js';

/** "1440, 120" → [1440, 120]; null when any part is not a whole number of minutes the API accepts. */
function parseOffsets(raw: string): number[] | null {
  const parts = raw.split(',').map((p) => p.trim()).filter(Boolean);
  const nums = parts.map(Number);
  return parts.length && nums.every((n) => Number.isInteger(n) && n >= 5 && n <= 20160) ? [...new Set(nums)] : null;
}

/** An owner sets a chosen service's own reminder offsets, or gives it back the business's. */
export function ServiceRemindersPage() {
  const { t } = useMessages(messages);
  const { text } = useI18n();
  const services = useOptions('/api/v1/booking/services');
  const plugins = useLoad(() => get<{ items: Array<{ id: string; config?: { reminderOffsetsMinutes?: number[] } }> }>('/plugins'));
  const [serviceId, setServiceId] = useState('');
  const own = useLoad(() => (serviceId ? get<{ offsets: number[] | null }>(`/notifications/services/${serviceId}/offsets`) : Promise.resolve(null)), [serviceId]);
  const [current, setCurrent] = useState<number[] | null>(null);
  const [raw, setRaw] = useState('');
  const [saved, setSaved] = useState(false);
  const [bad, setBad] = useState(false);
  const [error, setError] = useState<unknown>(null);
  // The first service until one is chosen; an update, so a choice made just before this effect runs is kept.
  useEffect(() => {
    if (services.options.length) setServiceId((id) => id || services.options[0].value);
  }, [services.options]);
  const show = (offsets: number[] | null) => { setCurrent(offsets); setRaw(offsets?.join(', ') ?? ''); setBad(false); };
  useEffect(() => { show(own.data?.offsets ?? null); setSaved(false); }, [own.data]);
  const save = async (offsets: number[] | null) => {
    setError(null); setSaved(false);
    try {
      show((await put<{ offsets: number[] | null }>(`/notifications/services/${serviceId}/offsets`, { offsets })).offsets);
      setSaved(true);
    } catch (e) { setError(e); }
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const offsets = parseOffsets(raw);
    setBad(!offsets);
    if (offsets) void save(offsets);
  };
  const defaults = plugins.data?.items.find((p) => p.id === 'notifications')?.config?.reminderOffsetsMinutes?.join(', ') ?? '';
  return (
    <div className="page narrow">
      <h1>{t('offsets.title')}</h1>
      <p className="muted">{t('offsets.intro', { defaults })}</p>
      <ErrorNote error={services.error ?? plugins.error ?? own.error ?? error} />
      <div className="field">
        <label htmlFor="nf-service">{t('offsets.service')}</label>
        <select id="nf-service" value={serviceId} onChange={(e) => setServiceId(e.target.value)}>
          {services.options.map((o) => <option key={o.value} value={o.value}>{text(o.label)}</option>)}
        </select>
      </div>
      {serviceId && own.loading ? <Loading /> : serviceId ? (
        <form onSubmit={submit}>
          {current ? null : <p className="muted">{t('offsets.business')}</p>}
          <div className="field">
            <label htmlFor="nf-offsets">{t('offsets.own')}</label>
            <input id="nf-offsets" value={raw} placeholder={defaults} aria-invalid={bad} onChange={(e) => { setRaw(e.target.value); setSaved(false); }} />
            {bad ? <div className="field-error" role="alert">{t('offsets.bad')}</div> : null}
          </div>
          <div className="form-actions">
            <button type="submit" className="primary">{t('offsets.save')}</button>
            {current ? <button type="button" className="secondary" onClick={() => void save(null)}>{t('offsets.reset')}</button> : null}
            {saved ? <span className="ok-note" role="status">{t('offsets.saved')}</span> : null}
          </div>
        </form>
      ) : null}
    </div>
  );
}
