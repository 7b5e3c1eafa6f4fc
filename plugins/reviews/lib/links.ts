import crypto from 'node:crypto';
import type { PluginContext } from '../../../plugin-sdk.js';

/** A request's link token: unguessable, looked up by its hash, kept sealed so a reminder can send the same link. */
export function newLinkToken(ctx: PluginContext): { token: string; hash: string; sealed: string } {
  const token = crypto.randomBytes(24).toString('base64url');
  return { token, hash: hashToken(token), sealed: ctx.secrets.encrypt(token) };
}

export const hashToken = (token: string) => crypto.createHash('sha256').update(token).digest('hex');

/** The public page of a request (`rating` preset: one tap in an email), or undefined without PUBLIC_URL. */
export function rateLink(ctx: PluginContext, tenantSlug: string, token: string, rating?: number): string | undefined {
  if (!ctx.publicUrl) return undefined;
  const url = `${ctx.publicUrl}/api/v1/public/${encodeURIComponent(tenantSlug)}/reviews/rate/${token}`;
  return rating ? `${url}?rating=${rating}` : url;
}
