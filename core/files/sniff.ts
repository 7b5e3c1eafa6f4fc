import type { FileKind, StoredFile } from '../../plugin-sdk.js';

type ContentType = StoredFile['contentType'];

const starts = (b: Uint8Array, bytes: number[], at = 0) => bytes.every((x, i) => b[at + i] === x);
const ascii = (s: string) => [...s].map((c) => c.charCodeAt(0));

/** What the bytes are, by their signature: a name or a sender's Content-Type may lie. */
export function sniff(b: Uint8Array): ContentType | undefined {
  if (starts(b, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (starts(b, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (starts(b, ascii('RIFF')) && starts(b, ascii('WEBP'), 8)) return 'image/webp';
  // ISO base media: a box size, then 'ftyp' and a brand; QuickTime ('qt  ') is left out, browsers do not play it.
  if (starts(b, ascii('ftyp'), 4) && !starts(b, ascii('qt  '), 8)) return 'video/mp4';
  return undefined;
}

/** The types and the largest size core keeps of each kind (20 MB: the most a bot may download from Telegram). */
export const FILE_KINDS: Record<FileKind, { types: ContentType[]; maxBytes: number }> = {
  photo: { types: ['image/jpeg', 'image/png', 'image/webp'], maxBytes: 10 * 1024 * 1024 },
  video: { types: ['video/mp4'], maxBytes: 20 * 1024 * 1024 },
};

/** The limit for a put: core's, or the caller's lower one. */
export const limitOf = (kind: FileKind, maxBytes?: number) => Math.min(FILE_KINDS[kind].maxBytes, maxBytes ?? Infinity);
