/** The Bot API puts the token in the URL path; fetch errors repeat that URL in their texts. */
const TOKEN_IN_PATH = /\/bot\d+:[A-Za-z0-9_-]+/g;

export const redactToken = (text: string): string => text.replace(TOKEN_IN_PATH, '/bot***');

/**
 * Rewrites, in place, every string of an error that may hold a bot token: message, stack and other
 * string fields, and nested errors (grammY's HttpError keeps the fetch error in `error`, fetch
 * errors keep theirs in `cause`). Done where Bot API errors are raised, so every log and stored
 * `last_error` sees the redacted text.
 */
export function redactError<T>(err: T, seen = new Set<unknown>()): T {
  if (!err || typeof err !== 'object' || seen.has(err)) return err;
  seen.add(err);
  const obj = err as Record<string, unknown>;
  for (const key of new Set([...Object.getOwnPropertyNames(obj), 'message', 'stack', 'cause', 'error'])) {
    let value: unknown;
    try { value = obj[key]; } catch { continue; }
    if (typeof value === 'string') {
      const clean = redactToken(value);
      if (clean !== value) {
        try { obj[key] = clean; } catch { Object.defineProperty(obj, key, { value: clean, configurable: true, writable: true }); }
      }
    } else if (value && typeof value === 'object') redactError(value, seen);
  }
  return err;
}
