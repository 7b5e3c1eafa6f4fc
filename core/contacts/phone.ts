import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';
import { BoundedCache } from '../bounded-cache.js';

/**
 * E.164 for a phone in any format, or null when it cannot be one. A number without its country code is read
 * as the business's country would dial it ("8 916 123-45-67" in RU, "067 123 45 67" in UA). The one phone
 * normalizer of the product: contacts, the flow `input` node and plugins (through ctx.contacts) use it.
 */
export function toE164(raw: string, country: string): string | null {
  const text = raw.trim();
  if (!text || text.length > 64 || !/\d/.test(text)) return null;
  // A booking reads its client's phone three times (its checks, its client, the contact): parsing is the costly part.
  return parsed.get(`${country} ${text}`, () => {
    const phone = parsePhoneNumberFromString(text, country as CountryCode);
    return phone?.isPossible() ? phone.number : null;
  });
}

/** Phones parsed lately, by country and text. */
const parsed = new BoundedCache<string | null>(2000);

/** The digits of a text when it may be part of a phone (searching by "0001122" or "916 123"). */
export function phoneDigits(text: string): string | null {
  if (!/^[\d\s()+\-.]+$/.test(text.trim())) return null;
  const digits = text.replace(/\D/g, '');
  return digits.length >= 3 ? digits : null;
}
