/**
 * The studio signs in by cookie, API clients by `Authorization: Bearer`. The session cookie is
 * httpOnly, so a script on the page cannot read the token; because a browser attaches cookies to
 * requests other sites make it send, changes signed in by cookie must also carry a CSRF header.
 */
import crypto from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { createError } from '../errors.js';

export const SESSION_COOKIE = 'bf_session';
/** readable by the studio's script, which echoes it in the X-CSRF-Token header */
export const CSRF_COOKIE = 'bf_csrf';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Derived from the session token (nothing to store): only a page that reads our cookies can know it. */
const csrfToken = (sessionToken: string) => crypto.createHmac('sha256', sessionToken).update('bookflow csrf').digest('base64url');

export function setSessionCookies(request: FastifyRequest, reply: FastifyReply, token: string, expires: Date): void {
  // Secure whenever the client came over https (behind a proxy: TRUST_PROXY decides whose X-Forwarded-Proto counts).
  const base = { path: '/', sameSite: 'strict', secure: request.protocol === 'https', expires } as const;
  reply.setCookie(SESSION_COOKIE, token, { ...base, httpOnly: true });
  reply.setCookie(CSRF_COOKIE, csrfToken(token), { ...base, httpOnly: false });
}

export function clearSessionCookies(reply: FastifyReply): void {
  reply.clearCookie(SESSION_COOKIE, { path: '/' });
  reply.clearCookie(CSRF_COOKIE, { path: '/' });
}

/** The sign-in token of a request: the Authorization header (API clients) before the cookie (the studio). */
export function requestToken(request: FastifyRequest): { token: string; cookie: boolean } | null {
  const bearer = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '');
  if (bearer) return { token: bearer[1], cookie: false };
  const cookie = request.cookies[SESSION_COOKIE];
  return cookie ? { token: cookie, cookie: true } : null;
}

/** A change signed in by cookie must echo the session's CSRF token in X-CSRF-Token. */
export function checkCsrf(request: FastifyRequest, sessionToken: string): void {
  if (SAFE_METHODS.has(request.method)) return;
  const sent = Buffer.from(String(request.headers['x-csrf-token'] ?? ''));
  const want = Buffer.from(csrfToken(sessionToken));
  if (sent.length !== want.length || !crypto.timingSafeEqual(sent, want)) throw createError('BF_ERR_AUTH_CSRF_FAILED');
}
