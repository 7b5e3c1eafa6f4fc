import type { FastifyInstance } from 'fastify';
import { createError } from '../errors.js';
import { badStrings, createAjv, hardenSchema, withoutBadStrings } from '../validation.js';

/** How deep a JSON body may nest; a flow graph needs about 15 levels. */
export const MAX_JSON_DEPTH = 64;

/** Whether JSON text nests deeper than `max` arrays/objects: counted on the text, before anything recursive sees it. */
export function nestsDeeper(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92) i++;
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 || c === 91) {
      if (++depth > max) return true;
    } else if (c === 125 || c === 93) depth--;
  }
  return false;
}

function checkStrings(part: 'params' | 'querystring' | 'body', value: unknown): void {
  const errors = badStrings(value, `/${part}`);
  if (errors.length) throw createError('BF_ERR_VALIDATION_FAILED', { errors });
}

/**
 * What every request passes before any route sees it:
 * - route schemas are compiled with every number bounded (hardenSchema) and with formats that refuse what
 *   PostgreSQL or Luxon cannot represent (createAjv);
 * - JSON bodies nest at most MAX_JSON_DEPTH levels (BF_ERR_HTTP_BODY_TOO_DEEP);
 * - no string of the path, query or body holds a NUL or a lone surrogate (BF_ERR_VALIDATION_FAILED naming the
 *   field). Path and query are checked on request, before access control looks a `:tenant` up; a route with
 *   `config.badStrings: 'replace'` (a webhook whose sender retries whatever is not a 2xx) gets them replaced by U+FFFD.
 */
export function installInputGuards(app: FastifyInstance): void {
  const ajv = createAjv({ coerceTypes: 'array', useDefaults: true, removeAdditional: false });
  app.setValidatorCompiler(({ schema }) => ajv.compile(hardenSchema(schema)));

  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    if (nestsDeeper(body as string, MAX_JSON_DEPTH)) return done(createError('BF_ERR_HTTP_BODY_TOO_DEEP', { max: MAX_JSON_DEPTH, field: '/body' }), undefined);
    // Webhooks verify their sender's signature over exactly these bytes.
    request.rawBody = body as string;
    parseJson(request, body as string, (err, value) => done(err ? createError('BF_ERR_HTTP_BAD_REQUEST', { reason: err.message, field: '/body' }, err) : null, value));
  });

  app.addHook('onRequest', async (request) => {
    checkStrings('params', request.params);
    checkStrings('querystring', request.query);
  });
  app.addHook('preValidation', async (request) => {
    if (request.body === undefined) return;
    if (request.routeOptions.config?.badStrings === 'replace') request.body = withoutBadStrings(request.body);
    else checkStrings('body', request.body);
  });
}
