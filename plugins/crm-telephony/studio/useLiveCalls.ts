import { useEffect, useState } from 'react';
import { authHeaders } from 'bookflow/studio';

export interface LiveCall {
  id: string; number: string; startedAt: string;
  contact: null | { id: string; name: string; marks: { status: 'first' | 'repeat' | 'vip'; color: 'guest' | 'attention' | 'employee' | 'earlier' | null; locked: boolean }; upcoming: Array<{ id: string; start: string }> };
}
const RETRY_MS = 3000;

/**
 * Incoming calls ringing now, pushed by the server (GET /telephony/live as server-sent `calls` events) while `on`:
 * a call appears the moment Mango reports it and goes when it ends. Read with fetch, not EventSource: the stream
 * needs the business header. Reconnects after a lost stream.
 */
export function useLiveCalls(on = true): LiveCall[] {
  const [calls, setCalls] = useState<LiveCall[]>([]);
  useEffect(() => {
    if (!on) return;
    const aborter = new AbortController();
    let retry: ReturnType<typeof setTimeout> | undefined;
    const connect = async () => {
      try {
        const res = await fetch('/api/v1/telephony/live', { headers: { ...authHeaders(), accept: 'text/event-stream' }, credentials: 'same-origin', signal: aborter.signal });
        if (!res.ok || !res.body) throw new Error(String(res.status));
        const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
        let buffer = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer += value;
          for (let i = buffer.indexOf('\n\n'); i >= 0; i = buffer.indexOf('\n\n')) {
            const frame = buffer.slice(0, i);
            buffer = buffer.slice(i + 2);
            const data = /^event: calls\ndata: (.*)$/m.exec(frame)?.[1];
            if (data) setCalls((JSON.parse(data) as { items: LiveCall[] }).items);
          }
        }
      } catch { /* lost or refused: try again shortly */ }
      if (!aborter.signal.aborted) retry = setTimeout(() => void connect(), RETRY_MS);
    };
    void connect();
    return () => { aborter.abort(); clearTimeout(retry); };
  }, [on]);
  return calls;
}
