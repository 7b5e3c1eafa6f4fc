import { useEffect, useRef, useState } from 'react';
import { authHeaders } from '../api.js';

const RETRY_MS = 3000;

/**
 * Follows a server-sent event stream of the API (`path` under /api/v1) while `on`, calling `onEvent(name, data)` for
 * each event. Read with fetch, not EventSource: the stream needs the business header. Reconnects after a lost or
 * refused stream; answers whether it is connected.
 */
export function useEventStream(path: string, onEvent: (event: string, data: string) => void, on = true): boolean {
  const [connected, setConnected] = useState(false);
  const latest = useRef(onEvent);
  latest.current = onEvent;
  useEffect(() => {
    if (!on) return;
    const aborter = new AbortController();
    let retry: ReturnType<typeof setTimeout> | undefined;
    const connect = async () => {
      try {
        const res = await fetch(`/api/v1${path}`, { headers: { ...authHeaders(), accept: 'text/event-stream' }, credentials: 'same-origin', signal: aborter.signal });
        if (!res.ok || !res.body) throw new Error(String(res.status));
        setConnected(true);
        const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
        let buffer = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer += value;
          for (let i = buffer.indexOf('\n\n'); i >= 0; i = buffer.indexOf('\n\n')) {
            const frame = buffer.slice(0, i);
            buffer = buffer.slice(i + 2);
            const event = /^event: (.+)$/m.exec(frame)?.[1];
            if (event) latest.current(event, /^data: (.*)$/m.exec(frame)?.[1] ?? '');
          }
        }
      } catch { /* lost or refused: try again shortly */ }
      setConnected(false);
      if (!aborter.signal.aborted) retry = setTimeout(() => void connect(), RETRY_MS);
    };
    void connect();
    return () => { aborter.abort(); clearTimeout(retry); };
  }, [path, on]);
  return connected;
}
