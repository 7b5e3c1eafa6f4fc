import { useId, useState } from 'react';
import { DateTime } from 'luxon';
import { Dialog, ErrorNote, get, post, query, useI18n, useLoad, useMessages, useOptions, Zone, type LocalizedText } from 'bookflow/studio';
import type { JournalBookingView, JournalColumn } from './JournalPage.js';
import { journalMessages } from './journal-messages.js';
import { deskMessages } from './desk-messages.js';
import { FreeTimes, type Slot } from './FreeTimes.js';
import { Occupancy } from './Occupancy.js';
import { fromWall, wallDate } from './wallclock.js';

interface Found { id: string; name: string; identities: Array<{ kind: string; value: string }> }
interface Warning { plugin: string; code: string; text: LocalizedText }

/**
 * A phone caller booked at the free cell they chose, or at a free time of the week for a specialist or any:
 * find or add the client (or the caller telephony opened the journal for), pick the service, the engine decides. Or the
 * caller joins the service's waitlist.
 * Other plugins' warnings about the chosen client (loyalty's block) show before booking; the desk books anyway.
 * Below, the `booking.form` zone (crm's interest charts) and the chosen day's equipment occupancy (seed 003's third panel).
 */
export function DeskBookingDialog({ start, zone, column, staff, caller, onClose, onBooked }: { start: Date; zone: string; column: JournalColumn; staff: JournalColumn[]; caller?: { id: string; name: string } | null; onClose(): void; onBooked(): void }) {
  const { text, locale } = useI18n();
  const { t } = useMessages(journalMessages);
  const { t: dt } = useMessages(deskMessages);
  const [specialist, setSpecialist] = useState(column.kind === 'staff' ? column.id : '');
  const [slot, setSlot] = useState<Slot | null>(null);
  const [waiting, setWaiting] = useState(false);
  const id = useId();
  const [q, setQ] = useState('');
  const [client, setClient] = useState<{ id: string; name: string } | null>(caller ?? null);
  const [fresh, setFresh] = useState({ name: '', phone: '' });
  const [serviceId, setServiceId] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const services = useOptions('/api/v1/booking/services').options;
  const warnings = useLoad(() => (client ? get<{ items: Warning[] }>(`/booking/client-warnings${query({ clientId: client.id })}`) : Promise.resolve({ items: [] })), [client?.id]);
  // The chosen day in the business's zone: the picked free time's, else the clicked cell's.
  const day = slot ? DateTime.fromISO(slot.start, { zone }).toISODate()! : wallDate(start);
  const journal = useLoad(() => get<{ from: string; columns: JournalColumn[]; bookings: JournalBookingView[] }>(`/booking/journal${query({ date: day, days: 1 })}`), [day]);
  const found = useLoad(() => (q.trim().length >= 2 ? get<{ items: Found[] }>(`/contacts${query({ q, limit: 10 })}`) : Promise.resolve({ items: [] })), [q]);
  const act = async (fn: () => Promise<void>) => {
    setError(null);
    setBusy(true);
    try { await fn(); } catch (e) { setError(e); } finally { setBusy(false); }
  };
  const create = () => act(async () => setClient(await post<{ id: string; name: string }>('/contacts', fresh)));
  const book = () => act(async () => {
    await post('/bookings', { serviceId, start: slot?.start ?? fromWall(start, zone), resourceIds: slot?.resourceIds ?? [column.id], client: { id: client!.id }, source: 'phone' });
    onBooked();
  });
  const wait = () => act(async () => {
    await post('/booking/waitlist', { clientId: client!.id, serviceId, day: wallDate(start), ...(specialist ? { resourceId: specialist } : {}) });
    setWaiting(true);
  });
  const serviceName = text(services.find((s) => s.value === serviceId)?.label ?? '');
  const when = start.toLocaleString(locale, { day: 'numeric', month: 'long', hour: '2-digit', minute: '2-digit' });
  return (
    <Dialog title={t('desk.title', { when, column: column.name })} onClose={onClose}>
      {client ? (
        <>
          <p className="row">{t('desk.chosen', { name: client.name })} <button type="button" className="link" onClick={() => setClient(null)}>{t('desk.change')}</button></p>
          {warnings.data?.items.map((w) => <p key={`${w.plugin}:${w.code}`} className="warning" role="alert">{text(w.text)}</p>)}
        </>
      ) : (
        <>
          <div className="field"><label htmlFor={`${id}-q`}>{t('desk.find')}</label><input id={`${id}-q`} type="search" value={q} onChange={(e) => setQ(e.target.value)} /></div>
          {found.data?.items.length ? (
            <ul className="list" aria-label={t('desk.found')}>
              {found.data.items.map((c) => (
                <li key={c.id}>
                  <button type="button" className="link" onClick={() => setClient(c)}>{c.name}</button>{' '}
                  <span className="muted small">{c.identities.filter((i) => i.kind === 'phone' || i.kind === 'email').map((i) => i.value).join(', ')}</span>
                </li>
              ))}
            </ul>
          ) : q.trim().length >= 2 && !found.loading ? <p className="muted small">{t('desk.noneFound')}</p> : null}
          <fieldset>
            <legend>{t('desk.new')}</legend>
            <div className="field"><label htmlFor={`${id}-n`}>{t('desk.name')}</label><input id={`${id}-n`} value={fresh.name} onChange={(e) => setFresh({ ...fresh, name: e.target.value })} /></div>
            <div className="field"><label htmlFor={`${id}-p`}>{t('desk.phone')}</label><input id={`${id}-p`} type="tel" value={fresh.phone} onChange={(e) => setFresh({ ...fresh, phone: e.target.value })} /></div>
            <button type="button" className="secondary" disabled={busy || !fresh.name.trim()} onClick={create}>{t('desk.create')}</button>
          </fieldset>
        </>
      )}
      <div className="field">
        <label htmlFor={`${id}-s`}>{t('desk.service')}</label>
        <select id={`${id}-s`} value={serviceId} onChange={(e) => { setServiceId(e.target.value); setSlot(null); }}>
          <option value="">{t('desk.chooseService')}</option>
          {services.map((s) => <option key={s.value} value={s.value}>{text(s.label)}</option>)}
        </select>
      </div>
      {serviceId ? (
        <FreeTimes serviceId={serviceId} staff={staff} specialist={specialist} onSpecialist={(v) => { setSpecialist(v); setSlot(null); }}
          date={wallDate(start)} zone={zone} chosen={slot} onPick={setSlot} />
      ) : null}
      <p className="muted small">{slot ? `${dt('desk.pickTime')}: ${new Date(slot.start).toLocaleString(locale, { timeZone: zone, day: 'numeric', month: 'long', hour: '2-digit', minute: '2-digit' })}` : dt('desk.atCell', { when })}</p>
      <div className="desk-panels">
        <Zone name="booking.form" props={{ contactId: client?.id ?? null, date: day, serviceId: serviceId || null, resourceId: slot?.resourceIds[0] ?? column.id }} />
        {journal.data ? (
          <div className="desk-occupancy">
            <h3>{dt('occupancy.dayTitle', { day: DateTime.fromISO(day).setLocale(locale).toLocaleString(DateTime.DATE_MED) })}</h3>
            <Occupancy equipment={journal.data.columns.filter((c) => c.kind === 'equipment')} bookings={journal.data.bookings} from={journal.data.from} />
          </div>
        ) : null}
      </div>
      <ErrorNote error={error} />
      {waiting ? <p role="status">{dt('desk.waitlisted', { service: serviceName })}</p> : null}
      <div className="row wrap">
        <button type="button" disabled={busy || !client || !serviceId} onClick={book}>{t('desk.book')}</button>
        <button type="button" className="secondary" disabled={busy || !client || !serviceId || waiting} onClick={wait}>{dt('desk.waitlist')}</button>
      </div>
    </Dialog>
  );
}
