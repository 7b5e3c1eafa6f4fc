import { useState } from 'react';
import { downloadFile, del, ErrorNote, post, useMessages } from 'bookflow/studio';
import { messages } from './messages.js';

/** Seed 004's data-subject rights on the card: the client's data as a file, and erasure after the grace period. */
export function Privacy({ contactId }: { contactId: string }) {
  const { t } = useMessages(messages);
  const [eraseAt, setEraseAt] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const download = async (format: 'json' | 'csv') => {
    setError(null);
    try {
      await downloadFile(`/crm/contacts/${contactId}/export?format=${format}`, `contact-${contactId}.${format}`);
    } catch (e) { setError(e); }
  };
  const erase = async () => {
    if (!window.confirm(t('privacy.eraseConfirm'))) return;
    try { setEraseAt((await post<{ eraseAt: string }>(`/crm/contacts/${contactId}/erasure`)).eraseAt); } catch (e) { setError(e); }
  };
  const withdraw = async () => {
    try { await del(`/crm/contacts/${contactId}/erasure`); setEraseAt(null); } catch (e) { setError(e); }
  };
  return (
    <div className="row">
      <button type="button" className="secondary small" onClick={() => download('json')}>{t('privacy.export')} JSON</button>
      <button type="button" className="secondary small" onClick={() => download('csv')}>{t('privacy.export')} CSV</button>
      {eraseAt
        ? <><span role="status">{t('privacy.eraseAt', { date: new Date(eraseAt).toLocaleDateString() })}</span><button type="button" className="secondary small" onClick={withdraw}>{t('privacy.withdraw')}</button></>
        : <button type="button" className="danger small" onClick={erase}>{t('privacy.erase')}</button>}
      <ErrorNote error={error} />
    </div>
  );
}
