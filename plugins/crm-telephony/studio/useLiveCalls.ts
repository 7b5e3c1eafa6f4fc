import { useEffect, useState } from 'react';
import { get } from 'bookflow/studio';

export interface LiveCall {
  id: string; number: string; startedAt: string;
  contact: null | { id: string; name: string; marks: { status: 'first' | 'repeat' | 'vip'; color: 'guest' | 'attention' | 'employee' | 'earlier' | null; locked: boolean }; upcoming: Array<{ id: string; start: string }> };
}
const POLL_MS = 3000;

/** Incoming calls ringing now (GET /telephony/live), asked again every few seconds while `on`. */
export function useLiveCalls(on = true): LiveCall[] {
  const [calls, setCalls] = useState<LiveCall[]>([]);
  useEffect(() => {
    if (!on) return;
    let live = true;
    const poll = async () => {
      const answer = await get<{ items: LiveCall[] }>('/telephony/live').catch(() => null);
      if (live && answer) setCalls(answer.items);
    };
    void poll();
    const timer = setInterval(poll, POLL_MS);
    return () => { live = false; clearInterval(timer); };
  }, [on]);
  return calls;
}
