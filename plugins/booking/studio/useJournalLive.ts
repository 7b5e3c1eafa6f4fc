import { useEffect, useRef, useState } from 'react';
import { authHeaders } from 'bookflow/studio';

const RETRY_MS = 3000;

/**
 * Follows the journal's server-sent events (GET /booking/journal/live) and calls `onChange` when another admin,
 * the bot or the widget changed the business's bookings. Read with fetch, not EventSource: the stream needs the
 * business header. Reconnects after a lost stream; answers whether it is connected.
 */
export function useJournalLive(onChange: () => void): boolean {
  const [live, setLive] = useState(false);
  const latest = useRef(onChange);
  latest.current = onChange;
  useEffect(() => {
    const aborter = new AbortController();
    let retry: ReturnType<typeof setTimeout> | undefined;
    const connect = async () => {
      try {
        const res = await fetch('/api/v1/booking/journal/live', { headers: { ...authHeaders(), accept: 'text/event-stream' }, credentials: 'same-origin', signal: aborter.signal });
        if (!res.ok || !res.body) throw new Error(String(res.status));
        const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
        let buffer = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer += value;
          for (let i = buffer.indexOf('\n\n'); i >= 0; i = buffer.indexOf('\n\n')) {
            const event = /^event: (.+)$/m.exec(buffer.slice(0, i))?.[1];
            buffer = buffer.slice(i + 2);
            if (event === 'ready') setLive(true);
            if (event === 'change') latest.current();
          }
        }
      } catch { /* lost or refused: try again shortly */ }
      setLive(false);
      if (!aborter.signal.aborted) retry = setTimeout(() => void connect(), RETRY_MS);
    };
    void connect();
    return () => { aborter.abort(); clearTimeout(retry); };
  }, []);
  return live;
}
