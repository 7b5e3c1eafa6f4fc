import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { i18n } from 'i18next';
import type { Db } from '../../plugin-sdk.js';
import { BookflowError, createError } from '../errors.js';
import { isConnectionError } from '../db/database.js';
import { errorMessage } from '../i18n/error-message.js';
import type { ErrorObject } from 'ajv';
import { fieldErrors } from '../validation.js';
import { requestLocale } from './locale.js';

export interface ErrorBody {
  code: string;
  message: string;
  details?: Record<string, unknown>;
}

/**
 * Maps every failure to {code, message, details}; only BookflowErrors and fastify's client errors reach the client as such.
 * The message is in the request's language (see requestLocale); code and details are the same in every language.
 */
export function installErrorHandling(app: FastifyInstance, deps: { i18n: i18n; db: Db }): void {
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
      return send(request, reply, error);
    }
    if (isConnectionError(error)) {
      request.log.error({ err: error }, 'database unavailable');
      return send(request, reply, createError('BF_ERR_DB_UNAVAILABLE', undefined, error));
    }
    const status = (error as FastifyError).statusCode ?? 500;
    if (status === 429) {
      const retryAfter = String(reply.getHeader('retry-after') ?? '60') + ' s';
      return send(request, reply, createError('BF_ERR_HTTP_RATE_LIMITED', { retryAfter }));
    }
    if (status >= 400 && status < 500) {
      return send(request, reply, createError('BF_ERR_HTTP_BAD_REQUEST', { reason: error.message }));
    }
    request.log.error({ err: error }, 'unexpected error');
    return send(request, reply, createError('BF_ERR_SERVER_INTERNAL', { requestId: request.id }));
  });

  app.setNotFoundHandler((request, reply) => send(request, reply, createError('BF_ERR_HTTP_NOT_FOUND', { method: request.method, url: request.url.split('?')[0] })));
}
