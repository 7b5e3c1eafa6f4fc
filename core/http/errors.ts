import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { i18n } from 'i18next';
import type { Db } from '../../plugin-sdk.js';
import { BookflowError, createError } from '../errors.js';
import { isConnectionError } from '../db/database.js';
import { databaseError, findField, findInput, type RequestInput } from '../db/constraints.js';
import { errorMessage } from '../i18n/error-message.js';
import type { ErrorObject } from 'ajv';
import { fieldErrors } from '../validation.js';
import { requestLocale } from './locale.js';

/** fastify's `frameworkErrors` option, answered like every other error once installErrorHandling has run. */
export type FrameworkErrorHandler = (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => void;

export interface ErrorBody {
  code: string;
  message: string;
  details?: Record<string, unknown>;
}

const inputOf = (request: FastifyRequest): RequestInput => ({ body: request.body, querystring: request.query, params: request.params });
/**
 * A 400 that names no field gets the field it is about: the input property named
 * like one of its details (`{slug}` → /body/slug), else the one holding a detail's value (`{resourceId: x}` →
 * /body/resourceIds/0). Codes thrown all over core and the plugins then name their field without each saying so.
 */
function withField(e: BookflowError, request: FastifyRequest): BookflowError {
  const details = e.details ?? {};
  if (e.statusCode !== 400 || 'field' in details || 'path' in details || 'errors' in details) return e;
  const input = inputOf(request);
  const entries = Object.entries(details).filter(([, v]) => (typeof v === 'string' && v !== '') || typeof v === 'number');
  const field = entries.map(([k]) => findField(input, k)).find(Boolean)
    ?? entries.map(([, v]) => findInput(input, (_, x) => x === v || (typeof x === 'number' && String(x) === v))).find(Boolean);
  return field ? new BookflowError(e.code, e.message, e.statusCode, { ...details, field }, { cause: e.cause }) : e;
}

/**
 * Maps every failure to {code, message, details}; only BookflowErrors and fastify's client errors reach the client as such.
 * The message is in the request's language (see requestLocale); code and details are the same in every language.
 */
export function installErrorHandling(app: FastifyInstance, deps: { i18n: i18n; db: Db }): FrameworkErrorHandler {
  const send = async (request: FastifyRequest, reply: FastifyReply, e: BookflowError) => {
    // Without a database, asking it for the business's language would only wait out another connection timeout.
    const locale = await requestLocale(request, e.code === 'BF_ERR_DB_UNAVAILABLE' ? undefined : deps.db);
    const body: ErrorBody = { code: e.code, message: errorMessage(deps.i18n, e, locale), ...(e.details ? { details: e.details } : {}) };
    return reply.status(e.statusCode).header('content-language', locale).send(body);
  };

  app.setSchemaErrorFormatter((errors, dataVar) => createError('BF_ERR_VALIDATION_FAILED', { errors: fieldErrors(errors as ErrorObject[], `/${dataVar}`) }));

  app.setErrorHandler(async (error: FastifyError | BookflowError, request, reply) => {
    if (error instanceof BookflowError) {
      if (error.statusCode >= 500) request.log.error({ err: error }, error.message);
      return send(request, reply, withField(error, request));
    }
    if (isConnectionError(error)) {
      request.log.error({ err: error }, 'database unavailable');
      return send(request, reply, createError('BF_ERR_DB_UNAVAILABLE', undefined, error));
    }
    const refused = databaseError(error, inputOf(request));
    if (refused) {
      // Usually a race the route's own checks lost, or a value it did not think of: worth a look, not an alarm.
      request.log.warn({ err: error }, 'the database refused the input');
      return send(request, reply, refused);
    }
    const status = (error as FastifyError).statusCode ?? 500;
    if (status === 413) return send(request, reply, createError('BF_ERR_HTTP_BODY_TOO_LARGE', { limit: request.routeOptions.bodyLimit ?? app.initialConfig.bodyLimit, field: '/body' }));
    if (status === 415) return send(request, reply, createError('BF_ERR_HTTP_UNSUPPORTED_MEDIA_TYPE', { contentType: request.headers['content-type'] ?? '', field: '/headers/content-type' }));
    if (status === 429) {
      const retryAfter = String(reply.getHeader('retry-after') ?? '60') + ' s';
      return send(request, reply, createError('BF_ERR_HTTP_RATE_LIMITED', { retryAfter }));
    }
    if (status >= 400 && status < 500) {
      // fastify's body reading errors (FST_ERR_CTP_*) are about the body as a whole.
      return send(request, reply, createError('BF_ERR_HTTP_BAD_REQUEST', { reason: error.message, ...(/^FST_ERR_CTP_/.test(String(error.code)) ? { field: '/body' } : {}) }));
    }
    request.log.error({ err: error }, 'unexpected error');
    return send(request, reply, createError('BF_ERR_SERVER_INTERNAL', { requestId: request.id }));
  });

  app.setNotFoundHandler((request, reply) => send(request, reply, createError('BF_ERR_HTTP_NOT_FOUND', { method: request.method, url: request.url.split('?')[0] })));

  // A URL fastify cannot route (percent-encoding that is not UTF-8, a param past its length cap) never reaches
  // the error handler above; fastify's frameworkErrors option hands it here.
  return (error, request, reply) => void send(request, reply, createError('BF_ERR_HTTP_BAD_REQUEST', { reason: error.message, field: '/url' }, error));
}
