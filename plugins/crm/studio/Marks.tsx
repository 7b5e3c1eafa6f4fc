import { useEffect, useState } from 'react';
import { useMessages, type ZoneProps } from 'bookflow/studio';
import { loadMarks, type Marks as MarksData } from './marks.js';
import { messages } from './messages.js';
import './crm.css';

/** A booking's client marks in the journal and the register: status, colour group, the lock, a missing contract (pale red). */
export function Marks({ booking }: ZoneProps['journal.cell']) {
  const { t } = useMessages(messages);
  const [data, setData] = useState<{ marks: MarksData | undefined; contractServiceIds: string[] } | null>(null);
  useEffect(() => {
    let live = true;
    if (booking.clientId) loadMarks(booking.clientId).then((d) => { if (live) setData(d); });
    return () => { live = false; };
  }, [booking.clientId]);
  const m = data?.marks;
  if (!m) return null;
  const noContract = data.contractServiceIds.includes(booking.serviceId) && !m.contract;
  return (
    <span className={`crm-marks${noContract ? ' crm-no-contract' : ''}`} data-crm-status={m.status}>
      {m.color ? <i className={`crm-dot crm-color-${m.color}`} title={t(`color.${m.color}` as 'color.guest')} /> : null}
      <span className={`crm-status crm-status-${m.status}`}>{t(`status.${m.status}`)}</span>
      {m.locked ? <span className="crm-lock" title={t('lock.closed')} aria-label={t('lock.closed')}>🔒</span> : null}
      {noContract ? <span className="crm-contract">{t('contract.missing')}</span> : null}
    </span>
  );
}
