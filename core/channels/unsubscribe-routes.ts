import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Db, Locale, Tx } from '../../plugin-sdk.js';
import { writeAudit } from '../audit.js';
import type { Clock } from '../clock.js';
import { escapeHtml, type Translate } from './email/render.js';
import { TOKEN_PATTERN, type UnsubscribeLinks } from './unsubscribe.js';

const Params = Type.Object({ tenant: Type.String({ minLength: 1, maxLength: 100 }), token: Type.String({ pattern: TOKEN_PATTERN }) });
type P = Static<typeof Params>;
const LIMIT = { max: 30, timeWindow: '1 minute' };

export interface UnsubscribeDeps {
  db: Db;
  links: UnsubscribeLinks;
  t: Translate;
  clock: Clock;
}

/** The live contact a link names: a merged one hands over to the contact it was merged into. */
async function findContact(q: Db | Tx, tenantId: string, contactId: string, lock = false) {
  let id = contactId;
  for (let hop = 0; hop < 5; hop++) {
    let query = q.selectFrom('contacts').select(['id', 'locale', 'consent', 'merged_into']).where('tenant_id', '=', tenantId).where('id', '=', id).where('deleted_at', 'is', null);
    if (lock) query = query.forUpdate();
    const row = await query.executeTakeFirst();
    if (!row?.merged_into) return row;
    id = row.merged_into;
  }
  return undefined;
}

function page(reply: FastifyReply, status: number, locale: Locale, title: string, text: string, button?: string) {
  const html = `<!doctype html>
<html lang="${locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${escapeHtml(title)}</title></head>
<body style="max-width:480px;margin:48px auto;padding:0 16px;font-family:Arial,Helvetica,sans-serif;line-height:1.5;color:#1f2328">
<h1 style="font-size:22px">${escapeHtml(title)}</h1>
<p>${escapeHtml(text)}</p>
${button ? `<form method="post"><button type="submit" style="padding:10px 18px;font-size:15px">${escapeHtml(button)}</button></form>` : ''}
</body></html>
`;
  return reply.status(status).header('cache-control', 'no-store').type('text/html; charset=utf-8').send(html);
}

/**
 * The unsubscribe link of marketing emails. Opening it (GET) only asks, so mail scanners that fetch every
 * link unsubscribe nobody; the button, or a mail client's one-click unsubscribe (RFC 8058: a POST with
 * `List-Unsubscribe=One-Click`), records the opt-out: contacts.consent.marketing = false, source email.
 */
export function unsubscribeRoutes(api: FastifyInstance, deps: UnsubscribeDeps): void {
  const business = async (tenantId: string) =>
    (await deps.db.selectFrom('tenants').select(['name', 'locale']).where('id', '=', tenantId).executeTakeFirstOrThrow()) as { name: string; locale: Locale };
  const invalid = async (reply: FastifyReply, tenantId: string) => {
    const b = await business(tenantId);
    return page(reply, 404, b.locale, deps.t(b.locale, 'channels.unsubscribe.title'), deps.t(b.locale, 'channels.unsubscribe.invalid'));
  };

  void api.register(async (scope) => {
    // The page's form and one-click clients post forms; their fields are not needed (the link says who).
    scope.addContentTypeParser(['application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain'], { parseAs: 'string', bodyLimit: 4096 }, (_req, _body, done) => done(null, undefined));
    const url = '/public/:tenant/unsubscribe/:token';
    const schema = { tags: ['channels'], params: Params };

    scope.get<{ Params: P }>(url, { schema: { ...schema, summary: 'The unsubscribe page of a marketing email (asks; does not unsubscribe)' }, config: { roles: 'public', rateLimit: LIMIT } }, async (request, reply) => {
      const contactId = deps.links.verify(request.tenantId, request.params.token);
      const contact = contactId && (await findContact(deps.db, request.tenantId, contactId));
      if (!contact) return invalid(reply, request.tenantId);
      const b = await business(request.tenantId);
      const locale = (contact.locale as Locale | null) ?? b.locale;
      return page(reply, 200, locale, deps.t(locale, 'channels.unsubscribe.title'), deps.t(locale, 'channels.unsubscribe.confirm', { business: b.name }), deps.t(locale, 'channels.unsubscribe.button'));
    });

    scope.post<{ Params: P }>(url, { schema: { ...schema, summary: 'Unsubscribes the contact of the link from marketing (the page\'s button, RFC 8058 one-click)' }, config: { roles: 'public', rateLimit: LIMIT } }, async (request, reply) => {
      const contactId = deps.links.verify(request.tenantId, request.params.token);
      const tenantId = request.tenantId;
      const contact = contactId && (await deps.db.transaction().execute(async (trx) => {
        const row = await findContact(trx, tenantId, contactId, true);
        const before = (row?.consent ?? {}) as Record<string, unknown>;
        if (!row || (before.marketing as { granted?: boolean } | undefined)?.granted === false) return row;
        const marketing = { granted: false, at: deps.clock.now().toISOString(), source: 'email' };
        await trx.updateTable('contacts').set({ consent: JSON.stringify({ ...before, marketing }), updated_at: deps.clock.now() }).where('tenant_id', '=', tenantId).where('id', '=', row.id).execute();
        await writeAudit(trx, { tenantId, actorId: null, entity: 'contact', entityId: row.id, action: 'update', before: { consent: before }, after: { consent: { ...before, marketing } } });
        return row;
      }));
      if (!contact) return invalid(reply, tenantId);
      const b = await business(tenantId);
      const locale = (contact.locale as Locale | null) ?? b.locale;
      return page(reply, 200, locale, deps.t(locale, 'channels.unsubscribe.title'), deps.t(locale, 'channels.unsubscribe.done', { business: b.name }));
    });
  });
}
