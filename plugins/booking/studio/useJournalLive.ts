import { useEffect, useState } from 'react';
import { useEventStream } from 'bookflow/studio';

/**
 * Follows the journal's server-sent events (GET /booking/journal/live) and calls `onChange` when another admin,
 * the bot or the widget changed the business's bookings; answers whether it is live (the server said `ready`).
 */
export function useJournalLive(onChange: () => void): boolean {
  const [ready, setReady] = useState(false);
  const connected = useEventStream('/booking/journal/live', (event) => {
    if (event === 'ready') setReady(true);
    if (event === 'change') onChange();
  });
  // A new stream is live once its own `ready` comes.
  useEffect(() => { if (!connected) setReady(false); }, [connected]);
  return connected && ready;
}
