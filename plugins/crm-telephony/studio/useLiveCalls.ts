import { useState } from 'react';
import { useEventStream } from 'bookflow/studio';

export interface LiveCall {
  id: string; number: string; startedAt: string;
  contact: null | { id: string; name: string; marks: { status: 'first' | 'repeat' | 'vip'; color: 'guest' | 'attention' | 'employee' | 'earlier' | null; locked: boolean }; upcoming: Array<{ id: string; start: string }> };
}
/**
 * Incoming calls ringing now, pushed by the server (GET /telephony/live as server-sent `calls` events) while `on`:
 * a call appears the moment Mango reports it and goes when it ends.
 */
export function useLiveCalls(on = true): LiveCall[] {
  const [calls, setCalls] = useState<LiveCall[]>([]);
  useEventStream('/telephony/live', (event, data) => {
    if (event === 'calls' && data) setCalls((JSON.parse(data) as { items: LiveCall[] }).items);
  }, on);
  return calls;
}
