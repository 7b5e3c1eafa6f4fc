import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Contact, Db } from '../../plugin-sdk.js';
import { BookflowError, createError } from '../errors.js';
import type { ContactService } from './service.js';

const STAFF = ['owner', 'admin', 'manager'] as const;
const ADMINS = ['owner', 'admin'] as const;

const IdParam = Type.Object({ id: Type.String({ format: 'uuid' }) }, { additionalProperties: false });
const ListQuery = Type.Object({
  q: Type.Optional(Type.String({ maxLength: 200 })),
  limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
  offset: Type.Integer({ minimum: 0, maximum: 100000, default: 0 }),
}, { additionalProperties: false });
const Locale = Type.Union([Type.Literal('ru'), Type.Literal('en'), Type.Literal('uk')]);
const Fields = {
  name: Type.String({ minLength: 1, maxLength: 200, pattern: '\\S' }),
  locale: Type.Union([Locale, Type.Null()]),
  timezone: Type.Union([Type.String({ minLength: 1, maxLength: 64 }), Type.Null()]),
  birthday: Type.Union([Type.String({ format: 'date' }), Type.Null()]),
  tags: Type.Array(Type.String({ minLength: 1, maxLength: 50 }), { maxItems: 50 }),
  notes: Type.String({ maxLength: 4000 }),
};
const NewBody = Type.Object({
  name: Fields.name,
  phone: Type.Optional(Type.String({ minLength: 3, maxLength: 32 })),
  email: Type.Optional(Type.String({ minLength: 3, maxLength: 254 })),
  locale: Type.Optional(Fields.locale), timezone: Type.Optional(Fields.timezone), birthday: Type.Optional(Fields.birthday),
  tags: Type.Optional(Fields.tags), notes: Type.Optional(Fields.notes),
}, { additionalProperties: false });
const PatchBody = Type.Object({
  name: Type.Optional(Fields.name), locale: Type.Optional(Fields.locale), timezone: Type.Optional(Fields.timezone), birthday: Type.Optional(Fields.birthday),
  tags: Type.Optional(Fields.tags), notes: Type.Optional(Fields.notes),
  consent: Type.Optional(Type.Object({ marketing: Type.Boolean() }, { additionalProperties: false })),
}, { additionalProperties: false, minProperties: 1 });
const MergeBody = Type.Object({ otherId: Type.String({ format: 'uuid' }) }, { additionalProperties: false });

/** The list's shape (kept stable): who, and how to reach them. */
const listItem = (c: Contact) => ({ id: c.id, name: c.name, identities: c.identities.map((i) => ({ kind: i.kind, value: i.value, verified: i.verified })) });

/** The card: everything of the contact. */
const card = (c: Contact) => ({
  id: c.id, name: c.name, locale: c.locale, timezone: c.timezone, birthday: c.birthday, tags: c.tags, notes: c.notes,
  consent: { marketing: c.consent.marketing, marketingAt: c.consent.marketingAt?.toISOString() ?? null, marketingSource: c.consent.marketingSource },
  identities: c.identities, createdAt: c.createdAt.toISOString(), lastSeenAt: c.lastSeenAt?.toISOString() ?? null,
});

/** A taken phone or email names the body field it came in. */
function naming<T>(fn: () => Promise<T>): Promise<T> {
  return fn().catch((e: unknown) => {
    if (e instanceof BookflowError && /^BF_ERR_CONTACT_(PHONE|EMAIL)_TAKEN$/.test(e.code)) {
      throw new BookflowError(e.code, e.message, e.statusCode, { ...e.details, field: e.code.includes('PHONE') ? '/body/phone' : '/body/email' }, { cause: e });
    }
    throw e;
  });
}

/** /api/v1/contacts: the business's clients, for its staff (specialists see clients only through their bookings). */
export function contactRoutes(app: FastifyInstance, db: Db, contacts: ContactService): void {
  const tags = ['contacts'];
  const found = async (tenantId: string, id: string) => {
    const c = await contacts.get(db, tenantId, id);
    if (!c) throw createError('BF_ERR_CONTACT_NOT_FOUND', { id });
    return c;
  };

  app.get<{ Querystring: Static<typeof ListQuery> }>('/contacts', {
    schema: { tags, summary: 'Find contacts by name, phone (any format) or email', querystring: ListQuery }, config: { roles: STAFF },
  }, async (request) => {
    const { items, total } = await contacts.search(db, request.tenantId, request.query);
    return { items: items.map(listItem), total };
  });

  app.get<{ Params: Static<typeof IdParam> }>('/contacts/:id', { schema: { tags, params: IdParam }, config: { roles: STAFF } }, async (request) =>
    card(await found(request.tenantId, request.params.id)));

  app.post<{ Body: Static<typeof NewBody> }>('/contacts', { schema: { tags, summary: 'Add a client at the desk', body: NewBody }, config: { roles: STAFF } }, async (request, reply) => {
    const created = await naming(() => db.transaction().execute((trx) => contacts.create(trx, request.tenantId, request.body, request.auth!.userId)));
    return reply.status(201).send(card(created));
  });

  app.patch<{ Params: Static<typeof IdParam>; Body: Static<typeof PatchBody> }>('/contacts/:id', { schema: { tags, params: IdParam, body: PatchBody }, config: { roles: STAFF } }, async (request) =>
    card(await db.transaction().execute((trx) => contacts.update(trx, request.tenantId, request.params.id, request.body, request.auth!.userId))));

  app.post<{ Params: Static<typeof IdParam>; Body: Static<typeof MergeBody> }>('/contacts/:id/merge', {
    schema: { tags, summary: 'Merge the duplicate otherId into this contact (undone by restoring otherId from the trash)', params: IdParam, body: MergeBody }, config: { roles: STAFF },
  }, async (request) =>
    card(await db.transaction().execute((trx) => contacts.merge(trx, request.tenantId, request.params.id, request.body.otherId, request.auth!.userId))));

  app.delete<{ Params: Static<typeof IdParam> }>('/contacts/:id', { schema: { tags, params: IdParam }, config: { roles: ADMINS } }, async (request, reply) => {
    await db.transaction().execute((trx) => contacts.remove(trx, request.tenantId, request.params.id, request.auth!.userId));
    return reply.status(204).send();
  });
}
