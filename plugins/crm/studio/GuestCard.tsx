import { useEffect, useId, useState, type FormEvent } from 'react';
import { ErrorNote, get, Loading, patch, useBusiness, useLoad, useMessages, useOptions, type ZoneProps } from 'bookflow/studio';
import { InterestCharts } from './InterestCharts.js';
import { Preferences } from './Preferences.js';
import { Prescriptions, type Prescription } from './Prescriptions.js';
import { Privacy } from './Privacy.js';
import { messages } from './messages.js';
import './crm.css';

export interface Card {
  name: string; status: 'first' | 'repeat' | 'vip'; visits: number; color: string | null; earlierThan: string | null; earlierComment: string;
  fixedResourceId: string | null; locked: boolean; publicNote: string; confidentialNote?: string; survey: Record<string, number>; behaviour: Record<string, number>;
  privileges: { parking: boolean; bonusPercent: number | null; custom: string[] }; contractNumber: string | null; contractDate: string | null;
  preferences: Array<{ resourceId: string; kind: 'positive' | 'negative' }>; prescriptions: Prescription[]; categories: Array<{ key: string; label: string }>; privilegeOptions: string[];
}
const COLORS = ['guest', 'attention', 'employee', 'earlier'] as const;
const STAFF_ONLY = { kind: ['staff'] };

/** The guest card on the client's page (seed 003 «Карта гостя»). */
export function GuestCard({ contactId }: ZoneProps['client.card']) {
  const card = useLoad(() => get<Card>(`/crm/cards/${contactId}`), [contactId]);
  // Kept here, not in the form: the reload after a save remounts the form with the saved data.
  const [saved, setSaved] = useState(false);
  useEffect(() => setSaved(false), [contactId]);
  if (card.error) return <ErrorNote error={card.error} />;
  if (!card.data) return <Loading />;
  return <CardForm key={JSON.stringify(card.data)} contactId={contactId} card={card.data} onSaved={card.reload} saved={saved} setSaved={setSaved} />;
}

interface FormProps { contactId: string; card: Card; onSaved(): void; saved: boolean; setSaved(saved: boolean): void }

function CardForm({ contactId, card, onSaved, saved, setSaved }: FormProps) {
  const { t } = useMessages(messages);
  const { role } = useBusiness();
  const id = useId();
  const staff = useOptions('/api/v1/booking/resources', 'id', 'name', STAFF_ONLY).options;
  const [f, setF] = useState({ ...card, privileges: { ...card.privileges } });
  const [error, setError] = useState<unknown>(null);
  const admin = role === 'owner' || role === 'admin';
  const edit = role !== 'specialist';
  const set = <K extends keyof Card>(k: K, v: Card[K]) => { setSaved(false); setF((x) => ({ ...x, [k]: v })); };
  const save = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    try {
      await patch(`/crm/cards/${contactId}`, {
        color: f.color, earlierThan: f.color === 'earlier' ? f.earlierThan || null : null, earlierComment: f.earlierComment, fixedResourceId: f.fixedResourceId, locked: f.locked,
        publicNote: f.publicNote, ...(admin ? { confidentialNote: f.confidentialNote ?? '' } : {}), survey: f.survey,
        parking: f.privileges.parking, bonusPercent: f.privileges.bonusPercent, privileges: f.privileges.custom, contractNumber: f.contractNumber || null, contractDate: f.contractDate || null,
      });
      setSaved(true);
      onSaved();
    } catch (err) { setError(err); }
  };
  return (
    <section className="card crm-card" aria-label={t('card.title')}>
    <form onSubmit={save}>
      <h2>{t('card.title')} <span className={`crm-status crm-status-${card.status}`} data-crm-status={card.status}>{t(`status.${card.status}`)}</span> {card.locked ? '🔒' : ''}</h2>
      <p className="muted small">{t('visits', { n: card.visits })}</p>
      <fieldset disabled={!edit}>
        <div className="row">
          <div className="field"><label htmlFor={`${id}-color`}>{t('color.label')}</label>
            <select id={`${id}-color`} value={f.color ?? ''} onChange={(e) => set('color', e.target.value || null)}>
              <option value="">{t('color.none')}</option>
              {COLORS.map((c) => <option key={c} value={c}>{t(`color.${c}`)}</option>)}
            </select>
          </div>
          {f.color === 'earlier' ? <>
            <div className="field"><label htmlFor={`${id}-earlier`}>{t('earlier.date')}</label><input id={`${id}-earlier`} type="date" value={f.earlierThan ?? ''} onChange={(e) => set('earlierThan', e.target.value)} /></div>
            <div className="field grow"><label htmlFor={`${id}-ec`}>{t('earlier.comment')}</label><input id={`${id}-ec`} maxLength={1000} value={f.earlierComment} onChange={(e) => set('earlierComment', e.target.value)} /></div>
          </> : null}
        </div>
        <div className="row">
          <div className="field"><label htmlFor={`${id}-fixed`}>{t('lock.label')}</label>
            <select id={`${id}-fixed`} value={f.fixedResourceId ?? ''} onChange={(e) => set('fixedResourceId', e.target.value || null)}>
              <option value="">{t('lock.none')}</option>
              {staff.map((s) => <option key={s.value} value={s.value}>{String(s.label)}</option>)}
            </select>
          </div>
          <label className="check"><input type="checkbox" checked={f.locked} disabled={!f.fixedResourceId} onChange={(e) => set('locked', e.target.checked)} /> {f.locked ? '🔒' : '🔓'} {t('lock.closed')}</label>
        </div>
        <div className="field"><label htmlFor={`${id}-pub`}>{t('notes.public')}</label><textarea id={`${id}-pub`} rows={2} maxLength={4000} value={f.publicNote} onChange={(e) => set('publicNote', e.target.value)} /></div>
        {admin ? <div className="field"><label htmlFor={`${id}-conf`}>{t('notes.confidential')}</label><textarea id={`${id}-conf`} rows={2} maxLength={4000} value={f.confidentialNote ?? ''} onChange={(e) => set('confidentialNote', e.target.value)} /></div> : null}
        <fieldset><legend>{t('interests.survey')}</legend>
          <div className="row">{card.categories.map((c) => (
            <div className="field" key={c.key}><label htmlFor={`${id}-s-${c.key}`}>{c.label}</label>
              <input id={`${id}-s-${c.key}`} type="number" min={0} max={5} value={f.survey[c.key] ?? 0} onChange={(e) => set('survey', { ...f.survey, [c.key]: Math.max(0, Math.min(5, Number(e.target.value) || 0)) })} />
            </div>))}
          </div>
        </fieldset>
        <fieldset><legend>{t('privileges.title')}</legend>
          <div className="row">
            <label className="check"><input type="checkbox" checked={f.privileges.parking} onChange={(e) => set('privileges', { ...f.privileges, parking: e.target.checked })} /> {t('privileges.parking')}</label>
            <div className="field"><label htmlFor={`${id}-bonus`}>{t('privileges.bonus')}</label><input id={`${id}-bonus`} type="number" min={0} max={100} value={f.privileges.bonusPercent ?? ''} onChange={(e) => set('privileges', { ...f.privileges, bonusPercent: e.target.value === '' ? null : Number(e.target.value) })} /></div>
            {[...new Set([...card.privilegeOptions, ...card.privileges.custom])].map((p) => (
              <label className="check" key={p}><input type="checkbox" checked={f.privileges.custom.includes(p)} onChange={(e) => set('privileges', { ...f.privileges, custom: e.target.checked ? [...f.privileges.custom, p] : f.privileges.custom.filter((x) => x !== p) })} /> {p}</label>
            ))}
          </div>
        </fieldset>
        <fieldset className={f.contractNumber && f.contractDate ? '' : 'crm-no-contract'}><legend>{t('contract.title')}</legend>
          <div className="row">
            <div className="field"><label htmlFor={`${id}-cn`}>{t('contract.number')}</label><input id={`${id}-cn`} maxLength={60} value={f.contractNumber ?? ''} onChange={(e) => set('contractNumber', e.target.value)} /></div>
            <div className="field"><label htmlFor={`${id}-cd`}>{t('contract.date')}</label><input id={`${id}-cd`} type="date" value={f.contractDate ?? ''} onChange={(e) => set('contractDate', e.target.value)} /></div>
          </div>
        </fieldset>
      </fieldset>
      <InterestCharts survey={card.survey} behaviour={card.behaviour} categories={card.categories} />
      <ErrorNote error={error} />
      {edit ? <div className="form-actions"><button type="submit" className="primary">{t('save')}</button>{saved ? <span className="muted" role="status"> {t('saved')}</span> : null}</div> : null}
    </form>
      <Preferences contactId={contactId} staff={staff} initial={card.preferences} editable={edit} />
      <Prescriptions contactId={contactId} items={card.prescriptions} onAdded={() => { setSaved(false); onSaved(); }} />
      {admin ? <Privacy contactId={contactId} /> : null}
    </section>
  );
}
