import type { FastifyInstance } from 'fastify';
import cookie from '@fastify/cookie';
import helmet from '@fastify/helmet';

/**
 * Browser-facing protections for the studio, the API docs and the API: security headers on every
 * response and cookie parsing (the studio's sign-in). The policy fits the built studio and Swagger UI:
 * scripts only from our origin, inline styles allowed (React Flow positions nodes with them).
 */
export async function installBrowserSecurity(app: FastifyInstance): Promise<void> {
  await app.register(helmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        baseUri: ["'self'"],
        scriptSrc: ["'self'"],
        scriptSrcAttr: ["'none'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        // blob: the studio shows stored files it fetched with the session's headers (a review's photos)
        imgSrc: ["'self'", 'data:', 'blob:'],
        fontSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
    },
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
    // Only the browsers that reached us over https keep it; sibling subdomains are not ours to pin.
    strictTransportSecurity: { maxAge: 15_552_000, includeSubDomains: false },
  });
  await app.register(cookie);
}
