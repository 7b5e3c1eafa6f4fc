import { useState } from 'react';
import { useBusiness, usePath } from 'bookflow/studio';
import { CallCard } from './CallCard.js';
import { useLiveCalls } from './useLiveCalls.js';
import './telephony.css';

/** Over any studio page of an owner or admin on duty: the caller's card as soon as Mango reports the call. */
export function CallPopup() {
  const { role } = useBusiness();
  // The Calls page lists the same calls itself.
  const onDuty = (role === 'owner' || role === 'admin') && !usePath().startsWith('/crm-telephony/calls');
  const calls = useLiveCalls(onDuty);
  const [hidden, setHidden] = useState<string[]>([]);
  const shown = calls.filter((c) => !hidden.includes(c.id));
  if (!onDuty || !shown.length) return null;
  return (
    <div className="call-popup">
      {shown.map((c) => <CallCard key={c.id} call={c} onDismiss={() => setHidden((h) => [...h, c.id])} />)}
    </div>
  );
}
