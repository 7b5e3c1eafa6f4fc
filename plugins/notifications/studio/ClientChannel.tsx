import { useState } from 'react';
import { ErrorNote, get, Loading, put, useLoad, useMessages, type ZoneProps } from 'bookflow/studio';
import { messages } from './messages.js';

const CHANNELS = ['telegram', 'webchat', 'phone', 'email'] as const;

/** The client.card widget: the channel the client asked to be written to first (reminders, confirmations). */
export function ClientChannel({ contactId }: ZoneProps['client.card']) {
  const { t } = useMessages(messages);
  const current = useLoad(() => get<{ channel: string | null }>(`/notifications/contacts/${contactId}/channel`), [contactId]);
  const [saved, setSaved] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const choose = async (value: string) => {
    setError(null); setSaved(false);
    try {
      await put(`/notifications/contacts/${contactId}/channel`, { channel: value || null });
      setSaved(true);
      current.reload();
    } catch (e) { setError(e); }
  };
  if (current.error) return <ErrorNote error={current.error} />;
  if (!current.data) return <Loading />;
  return (
    <div>
      <h3>{t('channel.title')}</h3>
      <ErrorNote error={error} />
      <div className="field">
        <label htmlFor={`nf-channel-${contactId}`}>{t('channel.label')}</label>
        <select id={`nf-channel-${contactId}`} value={current.data.channel ?? ''} onChange={(e) => void choose(e.target.value)}>
          <option value="">{t('channel.business')}</option>
          {CHANNELS.map((c) => <option key={c} value={c}>{t(`channel.${c}`)}</option>)}
        </select>
        {saved ? <span className="ok-note" role="status">{t('channel.saved')}</span> : null}
      </div>
    </div>
  );
}
