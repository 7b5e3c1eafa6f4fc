import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { ServerResponse } from 'node:http';
import type { PluginContext } from '../../../plugin-sdk.js';
import { inTransaction } from '../lib/bookings.js';
import { restoreIn } from '../lib/restore.js';
import { canReach } from '../lib/search.js';
import { JOURNAL_CHANNEL } from '../lib/live.js';
import { EVERYONE, IdParam, STAFF } from './schemas.js';

const RestoreBody = Type.Object({
  from: Type.Union([Type.Literal('undo'), Type.Literal('trash')], { default: 'undo', description: 'undo: within cancelUndoMinutes of the cancel; trash: any time before the start, owner/admin/manager only' }),
}, { additionalProperties: false });
const WarningsQuery = Type.Object({ clientId: Type.String({ format: 'uuid' }) }, { additionalProperties: false });
const HEARTBEAT_MS = 15_000;

/** The desk's extras: taking a cancellation back, warnings about a client before booking them, and the journal's live stream of changes. */
export function deskRoutes(app: FastifyInstance, ctx: PluginContext): void {
  const tags = ['bookings'];
  const streams = new Set<ServerResponse>();
  app.addHook('preClose', async () => { for (const s of streams) s.end(); });

  app.post<{ Params: { id: string }; Body: Static<typeof RestoreBody> }>('/bookings/:id/restore', {
    schema: { tags, summary: 'Undo a cancellation: the booking takes its time again, or is refused if the time was taken', params: IdParam, body: RestoreBody },
    config: { roles: EVERYONE },
  }, async (request) => {
    const { tenantId, auth, params: { id }, body } = request;
    if (!(await canReach(ctx.db, tenantId, id, auth))) throw ctx.error('BF_ERR_BOOKING_NOT_FOUND', { id });
    if (body.from === 'trash' && !(STAFF as readonly string[]).includes(auth!.role ?? '')) throw ctx.error('BF_ERR_BOOKING_STAFF_ONLY', { field: 'from' });
    return inTransaction(ctx, undefined, (trx) => restoreIn(ctx, trx, tenantId, id, { kind: 'user', id: auth!.userId }, body.from));
  });

  // Other plugins' warnings (loyalty's block): the desk books anyway, with them in sight. One that fails is left out by the core.
  app.get<{ Querystring: Static<typeof WarningsQuery> }>('/booking/client-warnings', {
    schema: { tags, summary: 'What the desk should know before booking a client (e.g. online booking blocked until a date), in every language', querystring: WarningsQuery },
    config: { roles: STAFF },
  }, async (request) => {
    const { tenantId, query: { clientId } } = request;
    if (!(await ctx.contacts.get(ctx.db, tenantId, clientId))) throw ctx.error('BF_ERR_BOOKING_CLIENT_NOT_FOUND', { id: clientId });
    const { results } = await ctx.extensions.collect(tenantId, 'booking.clientWarnings', { clientId });
    return { items: results.flatMap((r) => (Array.isArray(r.value) ? r.value.map((w) => ({ plugin: r.plugin, ...w })) : [])) };
  });

  // Only a "something changed" signal: each journal reloads what its member may see.
  app.get('/booking/journal/live', {
    schema: { tags, summary: 'Server-sent events: `change` whenever the business\'s bookings change (any admin, the bot, another instance)' },
    config: { roles: EVERYONE },
  }, async (request, reply) => {
    // Served only to a client that asks for a stream: anything else would wait on an answer that never ends.
    if (!String(request.headers.accept ?? '').includes('text/event-stream')) throw ctx.error('BF_ERR_BOOKING_STREAM_ONLY');
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive', 'x-accel-buffering': 'no' });
    res.write('event: ready\ndata: {}\n\n');
    streams.add(res);
    const off = ctx.changes(JOURNAL_CHANNEL).on(request.tenantId, () => res.write('event: change\ndata: {}\n\n'));
    const heartbeat = setInterval(() => res.write(': ping\n\n'), HEARTBEAT_MS);
    res.on('close', () => {
      clearInterval(heartbeat);
      off();
      streams.delete(res);
    });
  });
}
