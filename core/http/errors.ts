import type { FastifyError, FastifyInstance } from 'fastify';
import { BookflowError, createError } from '../errors.js';
import type { FieldError } from '../validation.js';

export interface ErrorBody {
  code: string;
  message: string;
  details?: Record<string, unknown>;
}

const body = (e: BookflowError): ErrorBody => ({ code: e.code, message: e.message, ...(e.details ? { details: e.details } : {}) });

/** Maps every failure to {code, message, details}; only BookflowErrors and fastify's client errors reach the client as such. */
export function installErrorHandling(app: FastifyInstance): void {
  app.setSchemaErrorFormatter((errors, dataVar) => {
    const fields: FieldError[] = errors.map((e) => {
      let path = e.instancePath;
      const params = e.params as Record<string, string>;
      if (e.keyword === 'required') path += `/${params.missingProperty}`;
      if (e.keyword === 'additionalProperties') path += `/${params.additionalProperty}`;
      return { path: `/${dataVar}${path}`, message: e.message ?? 'is invalid' };
    });
    return createError('BF_ERR_VALIDATION_FAILED', { errors: fields });
  });

  app.setErrorHandler((error: FastifyError | BookflowError, request, reply) => {
    if (error instanceof BookflowError) {
      if (error.statusCode >= 500) request.log.error({ err: error }, error.message);
      return reply.status(error.statusCode).send(body(error));
    }
    const status = (error as FastifyError).statusCode ?? 500;
    if (status === 429) {
      const retryAfter = String(reply.getHeader('retry-after') ?? '60') + ' s';
      return reply.status(429).send(body(createError('BF_ERR_HTTP_RATE_LIMITED', { retryAfter })));
    }
    if (status >= 400 && status < 500) {
      return reply.status(400).send(body(createError('BF_ERR_HTTP_BAD_REQUEST', { reason: error.message })));
    }
    request.log.error({ err: error }, 'unexpected error');
    return reply.status(500).send(body(createError('BF_ERR_SERVER_INTERNAL', { requestId: request.id })));
  });

  app.setNotFoundHandler((request, reply) => {
    reply.status(404).send(body(createError('BF_ERR_HTTP_NOT_FOUND', { method: request.method, url: request.url.split('?')[0] })));
  });
}
