import { useId, useState } from 'react';
import { Link, useI18n, useMessages } from 'bookflow/studio';
import { postToChannel, replyTo, setStatus, shareReview, type Review } from './api.js';
import { MediaThumbs } from './MediaThumbs.js';
import { messages } from './messages.js';

/**
 * One review in the inbox: its stars, words, photos and video, publish or hide it, reply to the client, share it
 * when there is an audience, post it to the business's Telegram channel.
 */
export function ReviewRow({ review, canShare, canPostToChannel, onChange, onError }: { review: Review; canShare: boolean; canPostToChannel: boolean; onChange(): void; onError(e: unknown): void }) {
  const { t } = useMessages(messages);
  const { locale } = useI18n();
  const id = useId();
  const [replying, setReplying] = useState(false);
  const [text, setText] = useState('');
  const act = async (change: () => Promise<unknown>) => {
    onError(null);
    try { await change(); onChange(); } catch (e) { onError(e); }
  };
  const r = review;
  return (
    <tr>
      <td>{new Date(r.visitStart).toLocaleDateString(locale)}<div className="muted small">{[r.serviceName, ...r.specialists.map((s) => s.name)].filter(Boolean).join(' · ')}</div></td>
      <td><Link to={`/contacts/${r.contactId}`}>{r.clientName || r.author}</Link></td>
      <td aria-label={`${t('col.rating')}: ${r.rating}`}>{'★'.repeat(r.rating)}<span className="muted">{'☆'.repeat(5 - r.rating)}</span></td>
      <td>
        {r.comment ? <p style={{ whiteSpace: 'pre-line' }}>{r.comment}</p> : null}
        <MediaThumbs media={r.media} />
        {r.reply ? <p className="muted small">{t('replied')}: {r.reply}</p> : null}
        {replying ? (
          <form onSubmit={(e) => { e.preventDefault(); void act(async () => { await replyTo(r.id, text); setReplying(false); setText(''); }); }}>
            <label htmlFor={id} className="sr-only">{t('replyTo', { name: r.clientName })}</label>
            <textarea id={id} rows={2} maxLength={2000} required value={text} onChange={(e) => setText(e.target.value)} placeholder={t('replyTo', { name: r.clientName })} />
            <button type="submit" className="primary small" disabled={!text.trim()}>{t('replySend')}</button>
          </form>
        ) : null}
      </td>
      <td>{t(`status.${r.status}`)}{r.publishConsent ? null : <div className="muted small">{t('noConsent')}</div>}</td>
      <td className="row-actions">
        {r.status !== 'published' ? <button type="button" className="secondary small" disabled={!r.publishConsent} onClick={() => act(() => setStatus(r.id, 'published'))}>{t('publish')}</button> : null}
        {r.status !== 'hidden' ? <button type="button" className="secondary small" onClick={() => act(() => setStatus(r.id, 'hidden'))}>{t('hide')}</button> : null}
        {r.status === 'published' && !r.postedAt ? <button type="button" className="secondary small" disabled={!canShare} title={canShare ? undefined : t('shareUnavailable')} onClick={() => act(() => shareReview(r.id))}>{t('share')}</button> : null}
        {r.status === 'published' && !r.channelPostedAt ? <button type="button" className="secondary small" disabled={!canPostToChannel} title={canPostToChannel ? undefined : t('channelUnavailable')} onClick={() => act(() => postToChannel(r.id))}>{t('channel')}</button> : null}
        {r.channelPostedAt ? <span className="muted small">{t('channelPosted')}</span> : null}
        <button type="button" className="secondary small" onClick={() => setReplying(!replying)}>{t('reply')}</button>
      </td>
    </tr>
  );
}
