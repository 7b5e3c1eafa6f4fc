import { useState, type FormEvent } from 'react';
import { get, post } from '../api.js';
import { useI18n } from '../i18n/index.js';
import { Link } from '../router.js';
import { ErrorNote, Loading } from '../ui/Status.js';
import { useLoad } from '../ui/useLoad.js';
import type { LocalizedText } from '../types.js';

interface Task { id: string; pluginId: string; kind: string; title: LocalizedText; body: LocalizedText | null; contactId: string | null; dueAt: string; data: { actions?: string[] } }
const DAY = 86_400_000;

/** The business's one to-do list: every plugin's tasks (CRM's morning tasks, notifications' escalations…) for this member. */
export function TasksPage() {
  const { t, text, locale } = useI18n();
  const list = useLoad(() => get<{ items: Task[] }>('/tasks?limit=200'), []);
  const [error, setError] = useState<unknown>(null);
  const [writing, setWriting] = useState<string | null>(null);
  const act = async (fn: () => Promise<unknown>) => { setError(null); try { await fn(); list.reload(); } catch (e) { setError(e); } };
  const fmt = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' });
  return (
    <div className="page">
      <h1>{t('tasks.title')}</h1>
      <ErrorNote error={error ?? list.error} />
      {!list.data ? <Loading /> : list.data.items.length === 0 ? <p className="muted">{t('tasks.none')}</p> : (
        <ul className="plain tasks">
          {list.data.items.map((task) => (
            <li key={task.id} className="card" data-task-kind={task.kind}>
              <div><b>{text(task.title)}</b> <span className="muted small">{fmt.format(new Date(task.dueAt))}</span></div>
              {task.body ? <p>{text(task.body)}</p> : null}
              <div className="row">
                {task.contactId ? <Link to={`/contacts/${task.contactId}`}>{t('tasks.open')}</Link> : null}
                {task.contactId && task.data.actions?.includes('call') ? <button type="button" className="secondary small" onClick={() => act(() => post('/telephony/callback', { contactId: task.contactId }))}>{t('tasks.call')}</button> : null}
                {task.contactId && task.data.actions?.includes('message') ? <button type="button" className="secondary small" aria-expanded={writing === task.id} onClick={() => setWriting(writing === task.id ? null : task.id)}>{t('tasks.message')}</button> : null}
                {task.contactId && task.data.actions?.includes('book') ? <Link to={`/booking/journal?client=${task.contactId}`}>{t('tasks.book')}</Link> : null}
                <button type="button" className="primary small" onClick={() => act(() => post(`/tasks/${task.id}/done`, {}))}>{t('tasks.done')}</button>
                {/* real time: "tomorrow" for the person deciding; the server keeps its own clock */}
                <button type="button" className="secondary small" onClick={() => act(() => post(`/tasks/${task.id}/snooze`, { until: new Date(Date.now() + DAY).toISOString() }))}>{t('tasks.snooze')}</button>
              </div>
              {writing === task.id && task.contactId ? <MessageForm contactId={task.contactId} onSent={() => setWriting(null)} /> : null}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** A task's "message" action: a text to the client through the outbox, on their own channel. */
function MessageForm({ contactId, onSent }: { contactId: string; onSent(): void }) {
  const { t } = useI18n();
  const [text, setText] = useState('');
  const [error, setError] = useState<unknown>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    try { await post('/messages', { contactId, text }); onSent(); } catch (err) { setError(err); }
  };
  return (
    <form onSubmit={submit} className="task-message">
      <ErrorNote error={error} />
      <label htmlFor={`task-message-${contactId}`}>{t('tasks.messageLabel')}</label>
      <textarea id={`task-message-${contactId}`} rows={3} required value={text} onChange={(e) => setText(e.target.value)} />
      <button type="submit" className="primary small">{t('tasks.send')}</button>
    </form>
  );
}
