import { Type, type Static } from '@sinclair/typebox';
import type { LocalizedText, PluginContext, PluginServer, Tx } from '../../plugin-sdk.js';
import type { ExampleNote, ExampleService, NoteDraft } from './contract.js';

const NoteBody = Type.Object({
  text: Type.String({ minLength: 1, maxLength: 2000 }),
  /** the client (core contact) the note is about */
  contactId: Type.Optional(Type.String({ format: 'uuid' })),
}, { additionalProperties: false });
const NotesQuery = Type.Object({ contactId: Type.Optional(Type.String({ format: 'uuid' })) }, { additionalProperties: false });
/** What the list and a created note show. */
const NOTE_COLUMNS = ['id', 'text', 'contact_id', 'remind_at', 'created_at'] as const;
const IdParam = Type.Object({ id: Type.String({ format: 'uuid' }) });
const ReminderBody = Type.Object({ at: Type.String({ format: 'date-time' }) }, { additionalProperties: false });
const SendBody = Type.Object({ contactId: Type.String({ format: 'uuid' }) }, { additionalProperties: false });

/** One of this plugin's texts in every language: a message is written once and read in the client's. */
const everyLanguage = (ctx: PluginContext, key: string, vars?: Record<string, unknown>): LocalizedText =>
  ({ en: ctx.t('en', key, vars), ru: ctx.t('ru', key, vars), uk: ctx.t('uk', key, vars) });

interface ExampleConfig {
  greeting: string;
  maxNotes: number;
  /** an `x-secret` field: plaintext here, `{set}` to clients, sealed in the database */
  apiKey?: string;
}

/** One reminder job per note: setting it again replaces the job, clearing it cancels the job. */
const reminderKey = (noteId: string) => `reminder:${noteId}`;

/** Sets or clears a note's reminder and its job in one transaction: the job exists only if the change commits. */
async function setReminder(ctx: PluginContext, tenantId: string, actorId: string, noteId: string, at: Date | null) {
  return ctx.transaction(async (trx) => {
    const before = await trx.selectFrom('example_notes').select(['id', 'remind_at']).where('tenant_id', '=', tenantId).where('id', '=', noteId).where('deleted_at', 'is', null).forUpdate().executeTakeFirst();
    if (!before) throw ctx.error('BF_ERR_EXAMPLE_NOTE_NOT_FOUND', { id: noteId });
    const after = await trx.updateTable('example_notes').set({ remind_at: at, reminded_at: null }).where('tenant_id', '=', tenantId).where('id', '=', noteId)
      .returning(['id', 'text', 'remind_at']).executeTakeFirstOrThrow();
    if (at) await ctx.jobs.schedule(at, 'remind', { noteId }, { tenantId, key: reminderKey(noteId), trx });
    else await ctx.jobs.cancel({ tenantId, key: reminderKey(noteId), trx });
    await ctx.audit(trx, { tenantId, actorId, entity: 'example_note', entityId: noteId, action: at ? 'remind' : 'unremind', before, after });
    return after;
  });
}

/**
 * What other plugins make of a draft: its text through `example.noteText`, then `example.beforeNote` may refuse
 * it (thrown as the refusing plugin's own error). Asked before the transaction: they may call out over the network.
 */
async function reviewNote(ctx: PluginContext, tenantId: string, draft: NoteDraft): Promise<string> {
  const { value: text } = await ctx.extensions.pipeline(tenantId, 'example.noteText', draft, draft.text, { accept: (t) => typeof t === 'string' && t.length > 0 && t.length <= 2000 });
  const verdict = await ctx.extensions.veto(tenantId, 'example.beforeNote', { ...draft, text });
  if (!verdict.allowed) throw verdict.reasons[0].error;
  // A check that failed is logged by the core and its answer left out: notes are not worth refusing over it.
  return text;
}

async function addNote(ctx: PluginContext, trx: Tx, tenantId: string, actorId: string | null, text: string, contactId: string | null = null) {
  const { maxNotes } = await ctx.config<ExampleConfig>(tenantId);
  const { count } = await trx.selectFrom('example_notes').select((eb) => eb.fn.countAll<number>().as('count')).where('tenant_id', '=', tenantId).where('deleted_at', 'is', null).executeTakeFirstOrThrow();
  if (Number(count) >= maxNotes) throw ctx.error('BF_ERR_EXAMPLE_TOO_MANY_NOTES', { max: maxNotes });
  const note = await trx.insertInto('example_notes').values({ tenant_id: tenantId, text, contact_id: contactId }).returning(NOTE_COLUMNS).executeTakeFirstOrThrow();
  // The audit entry and the event of one change: one statement (ctx.audit and ctx.events.emit would be two).
  await ctx.record(trx, { audit: { tenantId, actorId, entity: 'example_note', entityId: note.id, action: 'create', after: note }, events: [{ type: 'example.note-created', payload: { noteId: note.id } }] });
  return note;
}

/** The service dependents get from `ctx.service('example')`, typed by contract.ts. */
function notesService(ctx: PluginContext): ExampleService {
  return {
    async notes(tenantId) {
      const rows = await ctx.db.selectFrom('example_notes').select(['id', 'text', 'created_at']).where('tenant_id', '=', tenantId).where('deleted_at', 'is', null).orderBy('created_at').orderBy('id').execute();
      return rows.map((r): ExampleNote => ({ id: r.id, text: r.text, createdAt: new Date(r.created_at).toISOString() }));
    },
  };
}

const plugin: PluginServer = {
  service: notesService,

  routes(app, ctx) {
    app.get<{ Querystring: Static<typeof NotesQuery> }>('/example/notes', { schema: { tags: ['example'], summary: 'The notes, oldest first; `contactId` keeps those about one client', querystring: NotesQuery }, config: { roles: ['owner', 'admin', 'manager'] } }, async (request) => {
      let q = ctx.db.selectFrom('example_notes').select(NOTE_COLUMNS).where('tenant_id', '=', request.tenantId).where('deleted_at', 'is', null);
      if (request.query.contactId) q = q.where('contact_id', '=', request.query.contactId);
      return { items: await q.orderBy('created_at').orderBy('id').execute() };
    });

    app.post<{ Body: Static<typeof NoteBody> }>('/example/notes', { schema: { tags: ['example'], body: NoteBody }, config: { roles: ['owner', 'admin', 'manager'] } }, async (request, reply) => {
      const text = await reviewNote(ctx, request.tenantId, { text: request.body.text, source: 'api' });
      const note = await ctx.transaction((trx) => addNote(ctx, trx, request.tenantId, request.auth!.userId, text, request.body.contactId ?? null));
      return reply.status(201).send(note);
    });

    app.delete<{ Params: Static<typeof IdParam> }>('/example/notes/:id', { schema: { tags: ['example'], params: IdParam }, config: { roles: ['owner', 'admin'] } }, async (request, reply) => {
      await ctx.transaction(async (trx) => {
        const before = await trx.updateTable('example_notes').set({ deleted_at: ctx.now() }).where('tenant_id', '=', request.tenantId).where('id', '=', request.params.id).where('deleted_at', 'is', null).returningAll().executeTakeFirst();
        // Another business's note looks exactly like a missing one.
        if (!before) throw ctx.error('BF_ERR_EXAMPLE_NOTE_NOT_FOUND', { id: request.params.id });
        await ctx.audit(trx, { tenantId: request.tenantId, actorId: request.auth!.userId, entity: 'example_note', entityId: request.params.id, action: 'delete', before });
      });
      return reply.status(204).send();
    });

    app.put<{ Params: Static<typeof IdParam>; Body: Static<typeof ReminderBody> }>('/example/notes/:id/reminder', { schema: { tags: ['example'], params: IdParam, body: ReminderBody }, config: { roles: ['owner', 'admin', 'manager'] } }, async (request) =>
      setReminder(ctx, request.tenantId, request.auth!.userId, request.params.id, new Date(request.body.at)));

    // A proactive message: the note goes to a client with a button that runs this plugin's `ack` action when pressed,
    // however much later. Sent once per note and contact (the idempotency key); nothing is sent if this rolls back.
    app.post<{ Params: Static<typeof IdParam>; Body: Static<typeof SendBody> }>('/example/notes/:id/send', { schema: { tags: ['example'], params: IdParam, body: SendBody }, config: { roles: ['owner', 'admin', 'manager'] } }, async (request, reply) => {
      const sent = await ctx.transaction(async (trx) => {
        const note = await trx.selectFrom('example_notes').select(['id', 'text']).where('tenant_id', '=', request.tenantId).where('id', '=', request.params.id).where('deleted_at', 'is', null).executeTakeFirst();
        if (!note) throw ctx.error('BF_ERR_EXAMPLE_NOTE_NOT_FOUND', { id: request.params.id });
        return ctx.messages.send(trx, {
          tenantId: request.tenantId, to: { contactId: request.body.contactId }, purpose: 'transactional', idempotencyKey: `example-note:${note.id}:${request.body.contactId}`,
          message: { text: everyLanguage(ctx, 'noteSent', { text: note.text }), buttons: [[{ label: everyLanguage(ctx, 'acknowledge'), action: 'example.ack', payload: { noteId: note.id } }]] },
        });
      });
      return reply.status(202).send(sent);
    });

    app.delete<{ Params: Static<typeof IdParam> }>('/example/notes/:id/reminder', { schema: { tags: ['example'], params: IdParam }, config: { roles: ['owner', 'admin', 'manager'] } }, async (request, reply) => {
      await setReminder(ctx, request.tenantId, request.auth!.userId, request.params.id, null);
      return reply.status(204).send();
    });
  },

  // Counts created notes: the counter changes on the handler's transaction, so a redelivered event is not counted twice.
  events: {
    'example.note-created': async (event, trx) => {
      await trx.insertInto('example_counters').values({ tenant_id: event.tenantId, kind: 'created', value: 1 })
        .onConflict((oc) => oc.columns(['tenant_id', 'kind']).doUpdateSet((eb) => ({ value: eb('example_counters.value', '+', 1) }))).execute();
    },
  },

  jobs: {
    // A keyed job of one business (see setReminder). A real plugin would call its service here with the
    // decrypted `(await ctx.config<ExampleConfig>(job.tenantId)).apiKey`; the example only marks the note.
    remind: async (job, ctx) => {
      await ctx.db.updateTable('example_notes').set({ reminded_at: ctx.now() })
        .where('tenant_id', '=', job.tenantId).where('id', '=', job.data.noteId).where('remind_at', 'is not', null).where('deleted_at', 'is', null).execute();
    },
    'purge-deleted': async (job, ctx) => {
      await ctx.db.deleteFrom('example_notes').where('tenant_id', '=', job.tenantId).where('deleted_at', '<', new Date(ctx.now().getTime() - 30 * 86400_000)).execute();
    },
  },

  nodes: {
    'example.save-note': async (input, ctx) => {
      const draft = ctx.render(String(input.settings.text), input.vars);
      const text = await reviewNote(ctx, input.tenantId, { text: draft, source: 'flow' });
      await ctx.transaction((trx) => addNote(ctx, trx, input.tenantId, null, text));
      return { messages: [{ text: ctx.t(input.locale, 'noteSaved', { text }) }], next: 'next' };
    },
    // Runs inside the turn: it reads through the turn's transaction (input.db), never ctx.db.
    'example.count-notes': async (input) => {
      const { count } = await input.db.selectFrom('example_notes').select((eb) => eb.fn.countAll<number>().as('count'))
        .where('tenant_id', '=', input.tenantId).where('deleted_at', 'is', null).executeTakeFirstOrThrow();
      return { set: { noteCount: Number(count) }, next: Number(count) > 0 ? 'some' : 'none' };
    },
  },

  // Button actions, pressed on a proactive message at any later time; the action itself decides when it is stale.
  actions: {
    ack: async (input, trx, ctx) => {
      const note = await trx.updateTable('example_notes').set({ acknowledged_at: ctx.now() })
        .where('tenant_id', '=', input.tenantId).where('id', '=', String(input.payload.noteId)).where('deleted_at', 'is', null).returning('text').executeTakeFirst();
      return { reply: { text: note ? ctx.t(input.locale, 'acknowledged', { text: note.text }) : ctx.t(input.locale, 'noteGone') }, removeButtons: true };
    },
  },

  softDelete: [{ entity: 'example_note', table: 'example_notes', label: 'text' }],
};

export default plugin;
