import { useEffect, useState } from 'react';
import { ErrorNote, get, Loading, post, put, useLoad, useMessages } from 'bookflow/studio';
import { messages } from './messages.js';

const TOPICS = ['booking.new', 'booking.changed', 'booking.cancelled', 'lead.new', 'review.low', 'call.missed', 'task.new'] as const;
interface Prefs { linked: boolean; topics: string[]; agendaTime: string | null; email: boolean }

/** A member's own notifications: link Telegram through a one-time deep link, choose topics, the daily agenda and email. */
export function MyNotificationsPage() {
  const { t } = useMessages(messages);
  const prefs = useLoad(() => get<Prefs>('/notifications/staff/me'));
  // Only staff who manage bots may list them; others get the command to send.
  const bots = useLoad(() => get<{ items: Array<{ username: string | null }> }>('/bots').then((r) => r.items, () => []));
  const [code, setCode] = useState<{ start: string } | null>(null);
  const [topics, setTopics] = useState<string[]>([]);
  const [agenda, setAgenda] = useState('');
  const [email, setEmail] = useState(false);
  const [saved, setSaved] = useState(false);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    if (prefs.data) { setTopics(prefs.data.topics); setAgenda(prefs.data.agendaTime ?? ''); setEmail(prefs.data.email); }
  }, [prefs.data]);
  const act = async (fn: () => Promise<unknown>) => {
    setError(null);
    try { await fn(); } catch (e) { setError(e); }
  };
  const username = bots.data?.find((b) => b.username)?.username;
  if (!prefs.data) return <div className="page"><ErrorNote error={prefs.error} /><Loading /></div>;
  return (
    <div className="page">
      <h1>{t('me.title')}</h1>
      <p className="muted">{t('me.intro')}</p>
      <ErrorNote error={error} />
      <p>{prefs.data.linked ? t('me.linked') : t('me.notLinked')}</p>
      <button type="button" onClick={() => act(async () => setCode(await post<{ start: string }>('/notifications/staff/link-code', {})))}>{t('me.getCode')}</button>
      {code ? (
        <p>
          {t('me.send')} <code>/start {code.start}</code>
          {username ? <> · <a href={`https://t.me/${username}?start=${code.start}`} target="_blank" rel="noreferrer">t.me/{username}</a></> : null}
        </p>
      ) : null}
      <form onSubmit={(e) => { e.preventDefault(); void act(async () => { await put('/notifications/staff/me', { topics, agendaTime: agenda || null, email }); setSaved(true); prefs.reload(); }); }}>
        <fieldset>
          <legend>{t('me.topics')}</legend>
          {TOPICS.map((topic) => (
            <label key={topic} className="check">
              <input type="checkbox" checked={topics.includes(topic)} onChange={(e) => setTopics(e.target.checked ? [...topics, topic] : topics.filter((x) => x !== topic))} /> {t(`topic.${topic}`)}
            </label>
          ))}
        </fieldset>
        <label className="check"><input type="checkbox" checked={email} onChange={(e) => { setEmail(e.target.checked); setSaved(false); }} /> {t('me.email')}</label>
        <div className="field"><label htmlFor="nf-agenda">{t('me.agenda')}</label><input id="nf-agenda" type="time" value={agenda} onChange={(e) => { setAgenda(e.target.value); setSaved(false); }} /></div>
        <button type="submit">{t('me.save')}</button> {saved ? <span className="muted">{t('me.saved')}</span> : null}
      </form>
    </div>
  );
}
