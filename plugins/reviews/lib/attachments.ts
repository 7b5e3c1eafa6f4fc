import type { ChatInputHandler, ChatMedia, FileKind, Locale, PluginContext } from '../../../plugin-sdk.js';

/** What one review takes from the chat: a few photos and one short video, each within its size. */
export const MEDIA_LIMITS = { photos: 5, videos: 1, videoSeconds: 60, photoBytes: 10 * 1024 * 1024, videoBytes: 20 * 1024 * 1024, commentChars: 2000 } as const;
/** How long after the rating the chat's messages still go to the review. */
export const ATTACH_MINUTES = 180;

export const fetchJobKey = (mediaId: string) => `media:${mediaId}`;
const bytesOf = (kind: FileKind) => (kind === 'photo' ? MEDIA_LIMITS.photoBytes : MEDIA_LIMITS.videoBytes);
const mb = (bytes: number) => Math.round(bytes / (1024 * 1024));

/** A file sent "as a document" counts by what it claims to be; the bytes are checked when fetched. */
function kindOf(media: ChatMedia): FileKind | undefined {
  if (media.kind !== 'document') return media.kind;
  if (media.mimeType?.startsWith('image/')) return 'photo';
  if (media.mimeType?.startsWith('video/')) return 'video';
  return undefined;
}

/** Why the plugin refuses a file before fetching it, in the client's words; undefined when it may come. */
async function refusal(ctx: PluginContext, q: Parameters<ChatInputHandler>[1], tenantId: string, reviewId: string, media: ChatMedia, kind: FileKind | undefined, locale: Locale) {
  if (!kind) return ctx.t(locale, 'wrongType');
  if (media.size !== undefined && media.size > bytesOf(kind)) return ctx.t(locale, 'tooLarge', { max: mb(bytesOf(kind)) });
  if (kind === 'video' && (media.durationSeconds ?? 0) > MEDIA_LIMITS.videoSeconds) return ctx.t(locale, 'videoTooLong', { max: MEDIA_LIMITS.videoSeconds });
  const { n } = await q.selectFrom('reviews_media').select((eb) => eb.fn.countAll<string>().as('n')).where('tenant_id', '=', tenantId).where('review_id', '=', reviewId)
    .where('kind', '=', kind).where('status', '<>', 'rejected').executeTakeFirstOrThrow();
  if (kind === 'photo' && Number(n) >= MEDIA_LIMITS.photos) return ctx.t(locale, 'tooManyPhotos', { max: MEDIA_LIMITS.photos });
  if (kind === 'video' && Number(n) >= MEDIA_LIMITS.videos) return ctx.t(locale, 'tooManyVideos');
  return undefined;
}

/**
 * The chat's messages after a rating (ActionResult.awaitMessages): a text (or a caption) is added to the review's
 * comment; a photo or video is noted by its Telegram file id and fetched by the `fetch-media` job into core's file
 * store. An album's photos arrive one message each: only its first is answered.
 */
export const attachToReview: ChatInputHandler = async (input, trx, ctx) => {
  const reviewId = String(input.payload.reviewId);
  const review = await trx.selectFrom('reviews_reviews').select(['id', 'comment']).where('tenant_id', '=', input.tenantId).where('id', '=', reviewId).forUpdate().executeTakeFirst();
  if (!review) return { done: true };
  const said: string[] = [];
  const text = input.text?.trim();
  if (text) {
    const comment = (review.comment ? `${review.comment}\n${text}` : text).slice(0, MEDIA_LIMITS.commentChars);
    await trx.updateTable('reviews_reviews').set({ comment, updated_at: ctx.now() }).where('tenant_id', '=', input.tenantId).where('id', '=', reviewId).execute();
    if (!input.media) said.push(ctx.t(input.locale, 'commentSaved'));
  }
  const media = input.media;
  const sameAlbum = media?.mediaGroupId !== undefined && media.mediaGroupId === input.payload.album;
  if (media && input.conversation.botId) {
    const kind = kindOf(media);
    const refused = await refusal(ctx, trx, input.tenantId, reviewId, media, kind, input.locale);
    if (refused) said.push(refused);
    else {
      const row = await trx.insertInto('reviews_media').values({
        tenant_id: input.tenantId, review_id: reviewId, kind: kind!, bot_id: input.conversation.botId, chat_id: input.conversation.chatId, locale: input.locale,
        telegram_file_id: media.fileId, telegram_file_unique_id: media.fileUniqueId, thumb_telegram_file_id: media.thumb?.fileId ?? null, created_at: ctx.now(),
      }).onConflict((oc) => oc.constraint('reviews_media_file').doNothing()).returning('id').executeTakeFirst();
      if (row) await ctx.jobs.now('fetch-media', { mediaId: row.id }, { tenantId: input.tenantId, key: fetchJobKey(row.id), trx });
      if (!sameAlbum) said.push(ctx.t(input.locale, kind === 'video' ? 'videoReceived' : 'photoReceived'));
    }
  }
  return { ...(said.length ? { reply: { text: said.join('\n') } } : {}), payload: { reviewId, album: media?.mediaGroupId ?? null } };
};
