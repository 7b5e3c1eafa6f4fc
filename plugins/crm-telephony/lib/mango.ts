import crypto from 'node:crypto';
import type { PluginContext } from '../../../plugin-sdk.js';

/** Mango Office's sign: sha256 hex of the key, the raw json and the salt (a plain hash, not an HMAC). */
export const mangoSign = (key: string, json: string, salt: string) => crypto.createHash('sha256').update(key + json + salt).digest('hex');

/** Equal strings in constant time (hashed first, so the length leaks nothing either). */
export function sameSecret(a: string, b: string): boolean {
  const h = (s: string) => crypto.createHash('sha256').update(s).digest();
  return crypto.timingSafeEqual(h(a), h(b));
}

export interface MangoConfig { apiKey?: string; apiSalt?: string; extensions: Array<{ userId: string; extension: string }> }

/**
 * The VPBX API root: Mango's, or MANGO_API_ROOT (a stand-in in tests; a deployment setting like SMSRU_API_ROOT,
 * never a business's), which production refuses unless it is Mango's own (ctx.externalApiRoot).
 */
export const MANGO_ROOT = { variable: 'MANGO_API_ROOT', real: 'https://app.mango-office.ru/vpbx' } as const;
const apiRoot = (ctx: PluginContext) => `${ctx.externalApiRoot(MANGO_ROOT.variable, MANGO_ROOT.real)}/`;

/** POSTs a signed command (`commands/callback`…) and answers Mango's JSON (`result` 1000 is success). */
export async function mangoCommand(ctx: PluginContext, cfg: Required<Pick<MangoConfig, 'apiKey' | 'apiSalt'>>, command: string, body: Record<string, unknown>, signal?: AbortSignal): Promise<{ result?: number }> {
  const json = JSON.stringify(body);
  const form = new URLSearchParams({ vpbx_api_key: cfg.apiKey, sign: mangoSign(cfg.apiKey, json, cfg.apiSalt), json });
  const res = await fetch(`${apiRoot(ctx)}${command}`, { method: 'POST', body: form, signal: signal ?? AbortSignal.timeout(10_000) });
  const text = await res.text();
  try { return JSON.parse(text) as { result?: number }; } catch { return { result: res.status }; }
}
