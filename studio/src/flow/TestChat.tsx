import { useEffect, useRef, useState, type FormEvent } from 'react';
import { authHeaders, del, post } from '../api.js';
import { useI18n } from '../i18n/index.js';
import { ErrorNote } from '../ui/Status.js';
import type { ChatMessage } from '../types.js';

type Line = { from: 'bot' | 'me'; text: string; buttons?: ChatMessage['buttons']; requestContact?: ChatMessage['requestContact'] };

/** What "share my number" sends from the test panel. */
const TEST_PHONE = '+79990000000';

/**
 * Messages the server pushes later (reminders, timeouts) arrive over SSE; fetch carries our headers, EventSource cannot.
 * Returns when the server ends the stream (a chat idle for long); `seen` keeps the last event id to resume after.
 */
async function listen(sessionId: string, seen: { seq: number }, signal: AbortSignal, onMessages: (m: ChatMessage[]) => void) {
  const res = await fetch(`/api/v1/webchat/sessions/${sessionId}/events?after=${seen.seq}`, { headers: { ...authHeaders(), accept: 'text/event-stream' }, credentials: 'same-origin', signal });
  if (!res.ok || !res.body) return;
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  let buf = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buf += value;
    let i: number;
    while ((i = buf.indexOf('\n\n')) >= 0) {
      const block = buf.slice(0, i).split('\n');
      const data = block.filter((l) => l.startsWith('data:')).map((l) => l.slice(5).trim()).join('\n');
      const id = Number(block.find((l) => l.startsWith('id:'))?.slice(3).trim());
      if (id > seen.seq) seen.seq = id;
      buf = buf.slice(i + 2);
      if (!data) continue;
      try {
        const parsed = JSON.parse(data) as { messages?: ChatMessage[] } & Partial<ChatMessage>;
        onMessages(parsed.messages ?? (parsed.text ? [parsed as ChatMessage] : []));
      } catch { /* a keep-alive or a non-JSON event */ }
    }
  }
}

/** Chats with the draft through the web chat channel, as a client would. */
export function TestChat({ flowId, beforeStart, onClose }: { flowId: string; beforeStart(): Promise<void>; onClose(): void }) {
  const { t, locale } = useI18n();
  const [sessionId, setSessionId] = useState<string | null>(null);
  const [lines, setLines] = useState<Line[]>([]);
  const [input, setInput] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [generation, setGeneration] = useState(0);
  const logRef = useRef<HTMLDivElement>(null);
  const stream = useRef<{ seen: { seq: number }; open: boolean; signal?: AbortSignal }>({ seen: { seq: 0 }, open: false });

  const addBot = (messages: ChatMessage[]) => setLines((l) => [...l, ...messages.map((m) => ({ from: 'bot' as const, text: m.text, buttons: m.buttons, requestContact: m.requestContact }))]);

  /** (Re)opens the event stream unless it is open: the server closes it after a long quiet spell and refuses it until we write. */
  const listenTo = (id: string) => {
    const s = stream.current;
    if (s.open || !s.signal || s.signal.aborted) return;
    s.open = true;
    listen(id, s.seen, s.signal, addBot).catch(() => {}).finally(() => { s.open = false; });
  };

  useEffect(() => {
    const abort = new AbortController();
    stream.current = { seen: { seq: 0 }, open: false, signal: abort.signal };
    setLines([]); setSessionId(null); setError(null);
    let started: string | null = null;
    // Closed, restarted or left: the server cancels what the chat booked for the test.
    const close = (id: string) => { void del(`/webchat/sessions/${id}`).catch(() => {}); };
    (async () => {
      await beforeStart();
      const r = await post<{ sessionId: string; messages?: ChatMessage[] }>('/webchat/sessions', { flowId, draft: true, locale });
      if (abort.signal.aborted) return close(r.sessionId);
      started = r.sessionId;
      setSessionId(r.sessionId);
      if (r.messages) addBot(r.messages);
      listenTo(r.sessionId);
    })().catch((e) => !abort.signal.aborted && setError(e));
    return () => {
      abort.abort();
      if (started) close(started);
    };
  }, [flowId, generation]);

  useEffect(() => { logRef.current?.scrollTo(0, logRef.current.scrollHeight); }, [lines]);

  const send = async (body: { text?: string; callback?: string; contact?: { phone: string } }, shown: string) => {
    if (!sessionId) return;
    setBusy(true); setError(null);
    setLines((l) => [...l, { from: 'me', text: shown }]);
    try {
      const r = await post<{ messages: ChatMessage[] }>(`/webchat/sessions/${sessionId}/messages`, body);
      addBot(r.messages ?? []);
      listenTo(sessionId);
    } catch (e) { setError(e); } finally { setBusy(false); }
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const text = input.trim();
    if (!text) return;
    setInput('');
    void send({ text }, text);
  };
  return (
    <aside className="test-chat" aria-label={t('chat.title')}>
      <header>
        <h2>{t('chat.title')}</h2>
        <button type="button" className="secondary small" onClick={() => setGeneration((g) => g + 1)}>{t('chat.restart')}</button>
        <button type="button" className="icon" onClick={onClose} aria-label={t('common.close')}>✕</button>
      </header>
      <p className="muted small">{t('chat.testNote')}</p>
      <div className="chat-log" ref={logRef} aria-live="polite">
        {lines.length === 0 && !error ? <p className="muted">{sessionId ? t('chat.empty') : t('common.loading')}</p> : null}
        {lines.map((l, i) => (
          <div key={i} className={`bubble ${l.from}`}>
            <div className="bubble-text">{l.text}</div>
            {l.buttons?.map((row, r) => (
              <div className="bubble-buttons" key={r}>
                {row.map((b) => <button key={b.callback} type="button" className="secondary small" disabled={busy} onClick={() => send({ callback: b.callback }, b.label)}>{b.label}</button>)}
              </div>
            ))}
            {l.requestContact ? (
              <div className="bubble-buttons">
                <button type="button" className="secondary small" disabled={busy || i !== lines.length - 1} title={t('chat.testPhone', { phone: TEST_PHONE })}
                  onClick={() => send({ contact: { phone: TEST_PHONE } }, `📱 ${TEST_PHONE}`)}>{l.requestContact.label}</button>
              </div>
            ) : null}
          </div>
        ))}
      </div>
      <ErrorNote error={error} />
      <form className="chat-input" onSubmit={submit}>
        <input aria-label={t('chat.message')} placeholder={t('chat.message')} value={input} onChange={(e) => setInput(e.target.value)} disabled={!sessionId} />
        <button type="submit" className="primary" disabled={!sessionId || busy}>{t('chat.send')}</button>
      </form>
    </aside>
  );
}
