/**
 * Normalizes a phone number to E.164, or returns undefined when it cannot be one.
 * Numbers without a country code get `countryCode`; the Russian trunk prefix 8 and
 * the Ukrainian trunk prefix 0 are replaced by it.
 */
export function toE164(raw: string, countryCode = '7'): string | undefined {
  const trimmed = raw.trim();
  let digits = trimmed.replace(/\D/g, '');
  if (!digits) return undefined;
  if (trimmed.startsWith('+')) {
    // already international
  } else if (trimmed.startsWith('00')) {
    digits = digits.slice(2);
  } else if (countryCode === '7' && digits.length === 11 && digits.startsWith('8')) {
    digits = '7' + digits.slice(1);
  } else if (countryCode === '380' && digits.length === 10 && digits.startsWith('0')) {
    digits = '380' + digits.slice(1);
  } else if (!digits.startsWith(countryCode) || digits.length <= 10) {
    digits = countryCode + digits;
  }
  return /^[1-9]\d{6,14}$/.test(digits) ? `+${digits}` : undefined;
}
