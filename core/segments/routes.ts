import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import type { Db, Locale, SegmentRule, Tx } from '../../plugin-sdk.js';
import { writeAudit } from '../audit.js';
import { createError } from '../errors.js';
import { requestLocale } from '../http/locale.js';
import { ALL_SEGMENT, type SegmentService } from './service.js';

const ROLES = ['owner', 'admin', 'manager'] as const;
const tags = ['segments'];
const Rule = Type.Object({}, { additionalProperties: true, description: 'a segment rule: {all|any: [rules]}, {not: rule} or {field, op, value}; its JSON Schema comes with GET /api/v1/segments/fields' });
const Name = Type.String({ minLength: 1, maxLength: 200 });
const Description = Type.String({ maxLength: 2000 });
const IdParam = Type.Object({ id: Type.String({ pattern: '^(all|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$', description: 'a segment id, or `all`' }) });
const NewSegment = Type.Object({ name: Name, description: Type.Optional(Description), rule: Rule }, { additionalProperties: false });
const SegmentPatch = Type.Object({ name: Type.Optional(Name), description: Type.Optional(Description), rule: Type.Optional(Rule) }, { additionalProperties: false, minProperties: 1 });
const PreviewBody = Type.Object({ rule: Rule }, { additionalProperties: false });
const PageQuery = Type.Object({ limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }), offset: Type.Integer({ minimum: 0, maximum: 1_000_000, default: 0 }) }, { additionalProperties: false });
const SAMPLE = 10;

const BUILT_IN_NAME: Record<Locale, string> = { ru: 'Все контакты', en: 'All contacts', uk: 'Усі контакти' };
const BUILT_IN_DESCRIPTION: Record<Locale, string> = { ru: 'Каждый клиент бизнеса', en: 'Every client of the business', uk: 'Кожен клієнт бізнесу' };

type Row = { id: string; name: string; description: string; rule: SegmentRule; created_at: Date; updated_at: Date };
const view = (r: Row) => ({ id: r.id, name: r.name, description: r.description, rule: r.rule, builtIn: false, createdAt: r.created_at, updatedAt: r.updated_at });
const builtIn = (locale: Locale) => ({ id: ALL_SEGMENT, name: BUILT_IN_NAME[locale], description: BUILT_IN_DESCRIPTION[locale], rule: { all: [] }, builtIn: true, createdAt: null, updatedAt: null });

async function findSegment(q: Db | Tx, tenantId: string, id: string, lock = false): Promise<Row> {
  if (id === ALL_SEGMENT) throw createError('BF_ERR_SEGMENT_BUILT_IN', { id });
  let query = q.selectFrom('segments').select(['id', 'name', 'description', 'rule', 'created_at', 'updated_at']).where('tenant_id', '=', tenantId).where('id', '=', id).where('deleted_at', 'is', null);
  if (lock) query = query.forUpdate();
  const row = await query.executeTakeFirst();
  if (!row) throw createError('BF_ERR_SEGMENT_NOT_FOUND', { id });
  return row as Row;
}

/** Segments for the studio and integrators: saved rules over contacts, their live counts and their contacts. */
export function segmentRoutes(app: FastifyInstance, db: Db, segments: SegmentService): void {
  const config = { roles: [...ROLES] };
  const actor = (request: { auth: { userId: string } | null }) => request.auth!.userId;

  app.get('/segments/fields', { schema: { tags, summary: 'Fields, operators and options for rules (core and enabled plugins), in the request’s language, and the rules’ JSON Schema' }, config }, async (request) =>
    segments.catalog(db, request.tenantId, await requestLocale(request, db)));

  app.get('/segments', { schema: { tags, summary: 'Saved segments, the built-in `all` first' }, config }, async (request) => {
    const rows = await db.selectFrom('segments').select(['id', 'name', 'description', 'rule', 'created_at', 'updated_at'])
      .where('tenant_id', '=', request.tenantId).where('deleted_at', 'is', null).orderBy(sql`lower(name)`).execute();
    return { items: [builtIn(await requestLocale(request, db)), ...rows.map((r) => view(r as Row))] };
  });

  app.post<{ Body: Static<typeof PreviewBody> }>('/segments/preview', { schema: { tags, summary: 'How many contacts a rule matches now, and a few of them', body: PreviewBody }, config }, async (request) => {
    const rule = await segments.check(db, request.tenantId, request.body.rule, '/body/rule');
    const { items, total } = await segments.contacts(db, request.tenantId, rule, { limit: SAMPLE, offset: 0 });
    return { count: total, sample: items };
  });

  app.post<{ Body: Static<typeof NewSegment> }>('/segments', { schema: { tags, body: NewSegment }, config }, async (request, reply) => {
    const rule = await segments.check(db, request.tenantId, request.body.rule, '/body/rule');
    const row = await db.transaction().execute(async (trx) => {
      const created = await trx.insertInto('segments')
        .values({ tenant_id: request.tenantId, name: request.body.name, description: request.body.description ?? '', rule: JSON.stringify(rule), created_by: actor(request) })
        .returning(['id', 'name', 'description', 'rule', 'created_at', 'updated_at']).executeTakeFirstOrThrow();
      await writeAudit(trx, { tenantId: request.tenantId, actorId: actor(request), entity: 'segment', entityId: created.id, action: 'create', after: view(created as Row) });
      return created as Row;
    });
    return reply.status(201).send(view(row));
  });

  app.get<{ Params: Static<typeof IdParam> }>('/segments/:id', { schema: { tags, params: IdParam }, config }, async (request) =>
    (request.params.id === ALL_SEGMENT ? builtIn(await requestLocale(request, db)) : view(await findSegment(db, request.tenantId, request.params.id))));

  app.patch<{ Params: Static<typeof IdParam>; Body: Static<typeof SegmentPatch> }>('/segments/:id', { schema: { tags, params: IdParam, body: SegmentPatch }, config }, async (request) => {
    const { name, description } = request.body;
    const rule = request.body.rule === undefined ? undefined : await segments.check(db, request.tenantId, request.body.rule, '/body/rule');
    return db.transaction().execute(async (trx) => {
      const before = await findSegment(trx, request.tenantId, request.params.id, true);
      const after = await trx.updateTable('segments')
        .set({ ...(name === undefined ? {} : { name }), ...(description === undefined ? {} : { description }), ...(rule === undefined ? {} : { rule: JSON.stringify(rule) }), updated_at: sql`now()` })
        .where('tenant_id', '=', request.tenantId).where('id', '=', before.id)
        .returning(['id', 'name', 'description', 'rule', 'created_at', 'updated_at']).executeTakeFirstOrThrow();
      await writeAudit(trx, { tenantId: request.tenantId, actorId: actor(request), entity: 'segment', entityId: before.id, action: 'update', before: view(before), after: view(after as Row) });
      return view(after as Row);
    });
  });

  app.delete<{ Params: Static<typeof IdParam> }>('/segments/:id', { schema: { tags, summary: 'To the trash (restore with POST /api/v1/trash/segment/:id/restore)', params: IdParam }, config }, async (request, reply) => {
    await db.transaction().execute(async (trx) => {
      const before = await findSegment(trx, request.tenantId, request.params.id, true);
      await trx.updateTable('segments').set({ deleted_at: sql`now()` }).where('tenant_id', '=', request.tenantId).where('id', '=', before.id).execute();
      await writeAudit(trx, { tenantId: request.tenantId, actorId: actor(request), entity: 'segment', entityId: before.id, action: 'delete', before: view(before) });
    });
    return reply.status(204).send();
  });

  app.get<{ Params: Static<typeof IdParam>; Querystring: Static<typeof PageQuery> }>('/segments/:id/contacts', {
    schema: { tags, summary: 'The segment’s contacts now, by name, paged, with the total', params: IdParam, querystring: PageQuery }, config,
  }, async (request) => {
    const rule = await segments.resolve(db, request.tenantId, request.params.id);
    return segments.contacts(db, request.tenantId, rule, request.query);
  });
}
