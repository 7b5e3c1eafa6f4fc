import { useState } from 'react';
import { DateTime } from 'luxon';
import { post, useI18n, useMessages } from 'bookflow/studio';
import type { JournalColumn } from './JournalPage.js';
import { deskMessages } from './desk-messages.js';
import { FreeTimes, type Slot } from './FreeTimes.js';

/**
 * The desk offers a waiter a time by hand: the free times of the entry's service (their specialist first, or any), one
 * chosen, then offered — held until the claim deadline and sent to the client as the automatic offer is.
 */
export function WaitlistOffer({ entry, staff, date, zone, onDone, onError }: {
  entry: { id: string; serviceId: string; resourceId: string | null; day: string | null }; staff: JournalColumn[]; date: string; zone: string; onDone(): void; onError(e: unknown): void;
}) {
  const { locale } = useI18n();
  const { t } = useMessages(deskMessages);
  const [specialist, setSpecialist] = useState(entry.resourceId ?? '');
  const [slot, setSlot] = useState<Slot | null>(null);
  const [busy, setBusy] = useState(false);
  const offer = async () => {
    setBusy(true);
    try { await post(`/booking/waitlist/${entry.id}/offer`, { start: slot!.start, resourceIds: slot!.resourceIds }); onDone(); } catch (e) { onError(e); } finally { setBusy(false); }
  };
  return (
    <div className="waitlist-offer">
      <FreeTimes serviceId={entry.serviceId} staff={staff} specialist={specialist} onSpecialist={(v) => { setSpecialist(v); setSlot(null); }}
        date={entry.day ?? date} zone={zone} chosen={slot} onPick={setSlot} />
      <button type="button" disabled={busy || !slot} onClick={offer}>
        {slot ? t('waitlist.offerAt', { when: DateTime.fromISO(slot.start, { zone }).setLocale(locale).toFormat('d LLL HH:mm') }) : t('desk.pickTime')}
      </button>
    </div>
  );
}
