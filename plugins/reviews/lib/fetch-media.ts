import type { FileKind, Locale, PluginContext, Role } from '../../../plugin-sdk.js';
import { MEDIA_LIMITS } from './attachments.js';

/** The review inbox's roles: who sees the client's photos. */
const STAFF: Role[] = ['owner', 'admin', 'manager'];
/** What core's file store refuses for good (a retry would not change it). */
const REFUSED = new Set(['BF_ERR_FILE_TOO_LARGE', 'BF_ERR_FILE_TYPE_UNSUPPORTED']);
const codeOf = (e: unknown) => (e && typeof e === 'object' && 'code' in e ? String((e as { code: unknown }).code) : '');

interface MediaRow { id: string; kind: FileKind; bot_id: string; chat_id: string; locale: Locale; telegram_file_id: string; thumb_telegram_file_id: string | null; status: string }

/**
 * The `fetch-media` job: a file the client sent, from Telegram into core's file store (its limits and type checks),
 * with its preview. A file refused for its size or type is marked and the client told so in their language, in the
 * chat they sent it to; Telegram being unreachable throws, and the job is retried.
 */
export async function fetchMedia(ctx: PluginContext, tenantId: string, mediaId: string): Promise<void> {
  const m = await ctx.db.selectFrom('reviews_media').select(['id', 'kind', 'bot_id', 'chat_id', 'locale', 'telegram_file_id', 'thumb_telegram_file_id', 'status'])
    .where('tenant_id', '=', tenantId).where('id', '=', mediaId).executeTakeFirst() as MediaRow | undefined;
  if (!m || m.status !== 'pending') return;
  const maxBytes = m.kind === 'photo' ? MEDIA_LIMITS.photoBytes : MEDIA_LIMITS.videoBytes;
  let file;
  try {
    file = await ctx.files.fromTelegram(tenantId, { botId: m.bot_id, fileId: m.telegram_file_id }, { kind: m.kind, key: `media:${m.id}`, roles: STAFF, maxBytes });
  } catch (e) {
    if (!REFUSED.has(codeOf(e))) throw e;
    await refuse(ctx, tenantId, m, codeOf(e), maxBytes);
    return;
  }
  // A preview is a nicety: without one the inbox shows the photo itself, or a video's icon.
  const thumb = m.thumb_telegram_file_id
    ? await ctx.files.fromTelegram(tenantId, { botId: m.bot_id, fileId: m.thumb_telegram_file_id }, { kind: 'photo', key: `thumb:${m.id}`, roles: STAFF, maxBytes: 1024 * 1024 })
      .catch((e: unknown) => { ctx.log.warn({ err: e, tenantId, mediaId }, 'a review media preview was not stored'); return null; })
    : null;
  await ctx.db.updateTable('reviews_media').set({ status: 'stored', file_id: file.id, thumb_file_id: thumb?.id ?? null })
    .where('tenant_id', '=', tenantId).where('id', '=', m.id).where('status', '=', 'pending').execute();
}

async function refuse(ctx: PluginContext, tenantId: string, m: MediaRow, code: string, maxBytes: number): Promise<void> {
  await ctx.transaction(async (trx) => {
    const marked = await trx.updateTable('reviews_media').set({ status: 'rejected', reject_code: code })
      .where('tenant_id', '=', tenantId).where('id', '=', m.id).where('status', '=', 'pending').returning('id').executeTakeFirst();
    if (!marked) return;
    const text = code === 'BF_ERR_FILE_TOO_LARGE' ? ctx.t(m.locale, 'tooLarge', { max: Math.round(maxBytes / (1024 * 1024)) }) : ctx.t(m.locale, 'wrongType');
    await ctx.messages.send(trx, {
      tenantId, to: { conversation: { channel: 'telegram', botId: m.bot_id, chatId: m.chat_id } }, purpose: 'reply',
      idempotencyKey: `reviews:media-refused:${m.id}`, message: { text },
    });
  });
}
