import { useEffect, useState } from 'react';
import { useMessages } from 'bookflow/studio';
import { fileUrl, type Review } from './api.js';
import { messages } from './messages.js';

const SIZE = 56;

/** One preview: the stored thumbnail (or the photo itself), a click opens the full file in a new tab. */
function Thumb({ media, label }: { media: Review['media'][number]; label: string }) {
  const [src, setSrc] = useState<string>();
  const preview = media.thumbFileId ?? (media.kind === 'photo' ? media.fileId : null);
  useEffect(() => {
    if (!preview) return undefined;
    let url: string | undefined;
    let live = true;
    void fileUrl(preview).then((u) => { url = u; if (live) setSrc(u); }, () => {});
    return () => { live = false; if (url) URL.revokeObjectURL(url); };
  }, [preview]);
  const open = async () => {
    if (!media.fileId) return;
    const url = await fileUrl(media.fileId);
    window.open(url, '_blank', 'noopener');
  };
  const box = { width: SIZE, height: SIZE, objectFit: 'cover' as const, borderRadius: 6, display: 'block' };
  return (
    <button type="button" className="link" title={label} aria-label={label} onClick={() => void open()} style={{ padding: 0, position: 'relative' }}>
      {src ? <img src={src} alt={label} style={box} /> : <span style={{ ...box, display: 'grid', placeItems: 'center', background: '#eee' }}>{media.kind === 'video' ? '🎬' : '🖼'}</span>}
      {media.kind === 'video' && src ? <span aria-hidden style={{ position: 'absolute', inset: 0, display: 'grid', placeItems: 'center', color: '#fff', textShadow: '0 0 4px #000' }}>▶</span> : null}
    </button>
  );
}

/** The photos and video the client sent with the review; ones still arriving are counted, refused ones left out. */
export function MediaThumbs({ media }: { media: Review['media'] }) {
  const { t } = useMessages(messages);
  const stored = media.filter((m) => m.status === 'stored');
  const pending = media.filter((m) => m.status === 'pending').length;
  if (!stored.length && !pending) return null;
  let photos = 0;
  return (
    <div className="media-thumbs" style={{ display: 'flex', gap: 6, flexWrap: 'wrap', margin: '4px 0' }}>
      {stored.map((m) => <Thumb key={m.id} media={m} label={m.kind === 'video' ? t('media.video') : t('media.photo', { n: ++photos })} />)}
      {pending ? <span className="muted small" title={t('media.pending')}>⏳ {pending}</span> : null}
    </div>
  );
}
