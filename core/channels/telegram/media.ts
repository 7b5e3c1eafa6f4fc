import type { Message } from 'grammy/types';
import type { ChatMedia } from '../../../plugin-sdk.js';

const THUMB_MIN_PX = 90;

/** A photo, video or file of a client's message as plugins get it (ChatInput.media); undefined for other messages. */
export function mediaOf(msg: Message): ChatMedia | undefined {
  const group = msg.media_group_id ? { mediaGroupId: msg.media_group_id } : {};
  if (msg.photo?.length) {
    // Telegram lists the sizes smallest first: the largest is the photo, the smallest fit for a list its preview.
    const sizes = msg.photo;
    const largest = sizes[sizes.length - 1];
    const small = sizes.find((p) => Math.min(p.width, p.height) >= THUMB_MIN_PX && p !== largest);
    return {
      kind: 'photo', fileId: largest.file_id, fileUniqueId: largest.file_unique_id, ...(largest.file_size ? { size: largest.file_size } : {}),
      ...(small ? { thumb: { fileId: small.file_id, fileUniqueId: small.file_unique_id, ...(small.file_size ? { size: small.file_size } : {}) } } : {}), ...group,
    };
  }
  const video = msg.video ?? msg.video_note;
  if (video) {
    const thumb = video.thumbnail;
    return {
      kind: 'video', fileId: video.file_id, fileUniqueId: video.file_unique_id, durationSeconds: video.duration,
      ...(video.file_size ? { size: video.file_size } : {}), ...('mime_type' in video && video.mime_type ? { mimeType: video.mime_type } : {}),
      ...(thumb ? { thumb: { fileId: thumb.file_id, fileUniqueId: thumb.file_unique_id, ...(thumb.file_size ? { size: thumb.file_size } : {}) } } : {}), ...group,
    };
  }
  const doc = msg.document;
  if (doc) {
    return {
      kind: 'document', fileId: doc.file_id, fileUniqueId: doc.file_unique_id, ...(doc.file_size ? { size: doc.file_size } : {}),
      ...(doc.mime_type ? { mimeType: doc.mime_type } : {}), ...group,
    };
  }
  return undefined;
}
