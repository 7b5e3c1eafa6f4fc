import crypto from 'node:crypto';

/** A public file link's signature: the business and the file under a key derived from the secrets key. */
export const fileSignature = (key: Buffer, tenantId: string, id: string) =>
  crypto.createHmac('sha256', key).update(`${tenantId}:${id}`).digest('base64url').slice(0, 32);

export function signatureMatches(key: Buffer, tenantId: string, id: string, given: string): boolean {
  const expected = Buffer.from(fileSignature(key, tenantId, id));
  const actual = Buffer.from(given);
  return expected.length === actual.length && crypto.timingSafeEqual(expected, actual);
}
