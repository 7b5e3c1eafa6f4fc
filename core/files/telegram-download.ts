import type { Api } from 'grammy';
import { createError } from '../errors.js';
import { redactToken } from '../channels/telegram/redact.js';

const TIMEOUT_MS = 60_000;

/** The bot's API when it is on; core's Telegram channel (another instance may have connected it). */
export interface BotApis {
  api(botId: string): Promise<Api | undefined>;
}

const failed = (reason: string, cause?: unknown) => createError('BF_ERR_FILE_DOWNLOAD_FAILED', { reason: redactToken(reason) }, cause);

/**
 * A file a client sent to the bot: getFile for its path, then its bytes from the file URL, stopped as soon as they
 * pass `maxBytes` (Telegram's own size may be missing or wrong). The token is in the URL: no error repeats it.
 */
export async function downloadTelegramFile(api: Api, apiRoot: string, fileId: string, maxBytes: number): Promise<Uint8Array> {
  const file = await api.getFile(fileId).catch((e: unknown) => { throw failed(e instanceof Error ? e.message : String(e), e); });
  if (file.file_size !== undefined && file.file_size > maxBytes) throw createError('BF_ERR_FILE_TOO_LARGE', { size: file.file_size, max: maxBytes });
  if (!file.file_path) throw failed('no file_path in the getFile answer');
  const res = await fetch(`${apiRoot}/file/bot${api.token}/${file.file_path}`, { signal: AbortSignal.timeout(TIMEOUT_MS) })
    .catch((e: unknown) => { throw failed(e instanceof Error ? e.name : 'fetch failed'); });
  if (!res.ok || !res.body) throw failed(`HTTP ${res.status}`);
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = res.body.getReader();
  for (let part = await reader.read(); !part.done; part = await reader.read()) {
    size += part.value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => {});
      throw createError('BF_ERR_FILE_TOO_LARGE', { size, max: maxBytes });
    }
    chunks.push(part.value);
  }
  return Buffer.concat(chunks);
}
