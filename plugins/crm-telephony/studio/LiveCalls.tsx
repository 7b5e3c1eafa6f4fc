import { useMessages } from 'bookflow/studio';
import { CallCard } from './CallCard.js';
import { messages } from './messages.js';
import { useLiveCalls } from './useLiveCalls.js';

/** The admin's page of ringing calls: each caller's card at a glance, their card and a desk booking one click away. */
export function LiveCalls() {
  const { t } = useMessages(messages);
  const calls = useLiveCalls();
  return (
    <div className="page">
      <h1>{t('calls.title')}</h1>
      {calls.length === 0 ? <p className="muted">{t('calls.none')}</p> : null}
      {calls.map((c) => <CallCard key={c.id} call={c} />)}
    </div>
  );
}
