import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Db, Role } from '../../plugin-sdk.js';
import { createError } from '../errors.js';
import type { FileStore, ServedFile } from './store.js';

const tags = ['files'];
const IdParam = Type.Object({ id: Type.String({ format: 'uuid' }) }, { additionalProperties: false });
const PublicParams = Type.Object({ tenant: Type.String({ minLength: 1, maxLength: 100 }), id: Type.String({ format: 'uuid' }), signature: Type.String({ pattern: '^[A-Za-z0-9_-]{32}$' }) }, { additionalProperties: false });

/** The bytes as stored: the type found at upload, never sniffed again by the browser, nothing in it runs. */
function serve(reply: FastifyReply, f: ServedFile, cache: string) {
  return reply
    .header('content-type', f.contentType)
    .header('content-length', f.size)
    .header('etag', `"${f.sha256}"`)
    .header('cache-control', cache)
    .header('content-disposition', 'inline')
    .header('content-security-policy', "default-src 'none'; sandbox")
    .send(f.data);
}

/**
 * GET /api/v1/files/:id for the studio: a file of the caller's business that their role may open (the owner any;
 * others as the storing plugin allowed); anything else is not found. GET /api/v1/public/:tenant/files/:id/:signature:
 * the link `ctx.files.publicUrl` made, for what the business published.
 */
export function fileRoutes(app: FastifyInstance, db: Db, files: FileStore): void {
  app.get<{ Params: Static<typeof IdParam> }>('/files/:id', {
    schema: { tags, summary: 'A stored file (a review\'s photo or video), for the roles its plugin allows', params: IdParam },
    config: { roles: ['owner', 'admin', 'manager', 'specialist'] },
  }, async (request, reply) => {
    const f = await files.get(db, request.tenantId, request.params.id);
    const role = request.auth!.role as Role;
    if (!f || (role !== 'owner' && !f.roles.includes(role))) throw createError('BF_ERR_FILE_NOT_FOUND', { id: request.params.id });
    return serve(reply, f, 'private, max-age=3600');
  });

  app.get<{ Params: Static<typeof PublicParams> }>('/public/:tenant/files/:id/:signature', {
    schema: { tags, summary: 'A file the business made public, by its signed link', params: PublicParams },
    config: { roles: 'public' },
  }, async (request, reply) => {
    const { id, signature } = request.params;
    const f = files.linkMatches(request.tenantId, id, signature) ? await files.get(db, request.tenantId, id) : null;
    if (!f) throw createError('BF_ERR_FILE_NOT_FOUND', { id });
    return serve(reply, f, 'public, max-age=86400');
  });
}
