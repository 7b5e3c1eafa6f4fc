import crypto from 'node:crypto';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const MAC_BYTES = 16;
/** base64url of a 16-byte contact id, then of the 16-byte MAC */
export const TOKEN_PATTERN = '^[A-Za-z0-9_-]{44}$';

const uuidBytes = (id: string) => Buffer.from(id.replace(/-/g, ''), 'hex');
const bytesUuid = (b: Buffer) => b.toString('hex').replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, '$1-$2-$3-$4-$5');

/**
 * Unsubscribe links of marketing emails: the contact's id and an HMAC of it with the business's id under a
 * server key, so a link works without a stored token, cannot be forged and is no use for another business.
 */
export class UnsubscribeLinks {
  constructor(private readonly key: Buffer, private readonly publicUrl: string | undefined) {}

  private mac(tenantId: string, contact: Buffer): Buffer {
    return crypto.createHmac('sha256', this.key).update(`unsubscribe\0${tenantId}\0`).update(contact).digest().subarray(0, MAC_BYTES);
  }

  token(tenantId: string, contactId: string): string {
    const contact = uuidBytes(contactId);
    return contact.toString('base64url') + this.mac(tenantId, contact).toString('base64url');
  }

  /** The contact id a token of this business names, or null for a forged, damaged or foreign one. */
  verify(tenantId: string, token: string): string | null {
    if (!new RegExp(TOKEN_PATTERN).test(token)) return null;
    const contact = Buffer.from(token.slice(0, 22), 'base64url');
    // Base64 has spare bits in a last character: only the one spelling this class writes is accepted.
    if (contact.length !== 16 || contact.toString('base64url') !== token.slice(0, 22)) return null;
    const expected = Buffer.from(this.mac(tenantId, contact).toString('base64url'));
    if (!crypto.timingSafeEqual(Buffer.from(token.slice(22)), expected)) return null;
    const id = bytesUuid(contact);
    return UUID.test(id) ? id : null;
  }

  /** The public link, or undefined when the server does not know its public address (PUBLIC_URL). */
  url(tenantId: string, contactId: string): string | undefined {
    if (!this.publicUrl || !UUID.test(contactId)) return undefined;
    return `${this.publicUrl}/api/v1/public/${tenantId}/unsubscribe/${this.token(tenantId, contactId)}`;
  }
}
