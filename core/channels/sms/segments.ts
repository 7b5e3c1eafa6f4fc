/** GSM 03.38 default alphabet (one septet each) and its extension table (an escape plus one: two septets). */
const GSM_BASIC = new Set('@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà');
const GSM_EXTENDED = new Set('^{}\\[~]|€\f');

export type SmsEncoding = 'gsm7' | 'ucs2';

export interface SmsLength {
  encoding: SmsEncoding;
  /** septets (GSM-7) or UTF-16 code units (UCS-2) */
  units: number;
  segments: number;
}

const isGsm = (text: string) => [...text].every((c) => GSM_BASIC.has(c) || GSM_EXTENDED.has(c));

/** How a text travels: GSM-7 when every character is in the GSM alphabet, else UCS-2; parts of 160/153 or 70/67. */
export function smsLength(text: string): SmsLength {
  if (isGsm(text)) {
    const units = [...text].reduce((n, c) => n + (GSM_EXTENDED.has(c) ? 2 : 1), 0);
    return { encoding: 'gsm7', units, segments: units <= 160 ? 1 : Math.ceil(units / 153) };
  }
  return { encoding: 'ucs2', units: text.length, segments: text.length <= 70 ? 1 : Math.ceil(text.length / 67) };
}

/**
 * `body` shortened (with an ellipsis) so that body + `suffix` fits `maxSegments` parts; the suffix (the
 * links) is kept whole. Cuts between characters, never inside a surrogate pair.
 */
export function fitSegments(body: string, suffix: string, maxSegments: number): { text: string; truncated: boolean } & SmsLength {
  const whole = body + suffix;
  const length = smsLength(whole);
  if (length.segments <= maxSegments) return { text: whole, truncated: false, ...length };
  const chars = [...body];
  const cut = (n: number) => {
    const head = chars.slice(0, n).join('').trimEnd();
    const text = head + (isGsm(head + suffix) ? '...' : '…') + suffix;
    return { text, ...smsLength(text) };
  };
  // The longest head that fits: lengths grow with n, so a binary search finds it.
  let lo = 0;
  let hi = chars.length;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (cut(mid).segments <= maxSegments) lo = mid;
    else hi = mid - 1;
  }
  return { ...cut(lo), truncated: true };
}
