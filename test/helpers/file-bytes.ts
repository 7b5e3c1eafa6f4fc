import crypto from 'node:crypto';

/** Random bytes of `size` behind a file signature: what a file store reads a type from. */
const bytes = (head: number[] | string, size = 64) => {
  const h = typeof head === 'string' ? Buffer.from(head, 'latin1') : Buffer.from(head);
  return Buffer.concat([h, crypto.randomBytes(Math.max(0, size - h.length))]);
};
export const JPEG = (size?: number) => bytes([0xff, 0xd8, 0xff, 0xe0], size);
export const PNG = (size?: number) => bytes([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], size);
export const WEBP = (size = 64) => Buffer.concat([Buffer.from('RIFF'), Buffer.from([0, 0, 0, 0]), bytes('WEBPVP8 ', size - 8)]);
export const MP4 = (size?: number) => bytes('\u0000\u0000\u0000\u0018ftypisom', size);
