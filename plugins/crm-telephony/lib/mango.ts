import crypto from 'node:crypto';

/** Mango Office's sign: sha256 hex of the key, the raw json and the salt (a plain hash, not an HMAC). */
export const mangoSign = (key: string, json: string, salt: string) => crypto.createHash('sha256').update(key + json + salt).digest('hex');

/** Equal strings in constant time (hashed first, so the length leaks nothing either). */
export function sameSecret(a: string, b: string): boolean {
  const h = (s: string) => crypto.createHash('sha256').update(s).digest();
  return crypto.timingSafeEqual(h(a), h(b));
}

export interface MangoConfig { apiKey?: string; apiSalt?: string; extensions: Array<{ userId: string; extension: string }> }

/** The VPBX API root: Mango's, or a stand-in in tests (a deployment setting like SMSRU_API_ROOT, never a business's). */
const apiRoot = () => (process.env.MANGO_API_ROOT ?? 'https://app.mango-office.ru/vpbx/').replace(/\/?$/, '/');

/** POSTs a signed command (`commands/callback`…) and answers Mango's JSON (`result` 1000 is success). */
export async function mangoCommand(cfg: Required<Pick<MangoConfig, 'apiKey' | 'apiSalt'>>, command: string, body: Record<string, unknown>, signal?: AbortSignal): Promise<{ result?: number }> {
  const json = JSON.stringify(body);
  const form = new URLSearchParams({ vpbx_api_key: cfg.apiKey, sign: mangoSign(cfg.apiKey, json, cfg.apiSalt), json });
  const res = await fetch(`${apiRoot()}${command}`, { method: 'POST', body: form, signal: signal ?? AbortSignal.timeout(10_000) });
  const text = await res.text();
  try { return JSON.parse(text) as { result?: number }; } catch { return { result: res.status }; }
}
