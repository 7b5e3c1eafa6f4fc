import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../db/database.js';
import { migrateFolder } from '../db/migrate.js';
import { startTestApp } from '../../test/helpers/app.js';
import { freshDatabase } from '../../test/helpers/db.js';

const ROOT = path.resolve(import.meta.dirname, '..', '..');

/** Migrations of an owner up to (not including) `stop`, in a throw-away folder inside the repository (they import kysely). */
function migrationsBefore(folder: string, stop: string): { dir: string; remove(): void } {
  const dir = path.join(ROOT, '.tmp', `migrations-${crypto.randomBytes(5).toString('hex')}`);
  fs.mkdirSync(dir, { recursive: true });
  for (const f of fs.readdirSync(folder).filter((x) => x < stop)) fs.copyFileSync(path.join(folder, f), path.join(dir, f));
  return { dir, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

describe('upgrading a database that kept clients in booking_clients', () => {
  it('makes each client a contact with the same id, its phone and chat identities, its notes; bookings keep pointing at them', async () => {
    const databaseUrl = await freshDatabase({ empty: true });
    const core = migrationsBefore(path.join(ROOT, 'core', 'migrations'), '0011');
    const booking = migrationsBefore(path.join(ROOT, 'plugins', 'booking', 'migrations'), '0005');
    const old = openDatabase(databaseUrl, 2, 10_000);
    const ids = { tenant: crypto.randomUUID(), desk: crypto.randomUUID(), chat: crypto.randomUUID(), gone: crypto.randomUUID(), service: crypto.randomUUID(), booking: crypto.randomUUID() };
    let botId: string;
    try {
      await migrateFolder(old.db, 'core', core.dir);
      await migrateFolder(old.db, 'booking', booking.dir);
      const q = old.db;
      await q.insertInto('tenants').values({ id: ids.tenant, slug: `old-${ids.tenant.slice(0, 6)}`, name: 'Old salon', timezone: 'Europe/Moscow', locale: 'ru', currency: 'RUB' }).execute();
      botId = (await q.insertInto('bots').values({ tenant_id: ids.tenant, name: 'Old bot', webhook_secret: 's' }).returning('id').executeTakeFirstOrThrow()).id;
      await q.insertInto('booking_clients').values([
        { tenant_id: ids.tenant, id: ids.desk, name: 'Desk Client', phone: '+79167200001', notes: 'prefers mornings' },
        { tenant_id: ids.tenant, id: ids.chat, name: 'Chat Client', phone: '+79167200002', telegram_chat_id: '555001' },
        { tenant_id: ids.tenant, id: ids.gone, name: 'Gone Client', phone: '+79167200003', deleted_at: new Date('2020-01-01T00:00:00Z') },
      ]).execute();
      const dep = await q.insertInto('booking_departments').values({ tenant_id: ids.tenant, name: 'Dep' }).returning('id').executeTakeFirstOrThrow();
      await q.insertInto('booking_services').values({ tenant_id: ids.tenant, id: ids.service, department_id: dep.id, name: 'Cut', duration_min: 60 }).execute();
      await q.insertInto('booking_bookings').values({ tenant_id: ids.tenant, id: ids.booking, service_id: ids.service, client_id: ids.chat, start_at: new Date('2030-01-01T10:00:00Z'), end_at: new Date('2030-01-01T11:00:00Z'), status: 'confirmed', source: 'chat' }).execute();
    } finally {
      await old.close();
      core.remove();
      booking.remove();
    }

    const t = await startTestApp({ databaseUrl, seedDemo: false, start: false });
    try {
      const contacts = t.app.host.contacts;
      const db = t.app.db.db;
      const [desk, chat] = await contacts.getMany(db, ids.tenant, [ids.desk, ids.chat]);
      expect(desk).toMatchObject({ id: ids.desk, name: 'Desk Client', notes: 'prefers mornings', identities: [{ kind: 'phone', value: '+79167200001', verified: true }] });
      // A phone beside a chat may have been typed in it: kept, but not as proven.
      expect(chat).toMatchObject({ id: ids.chat, identities: [{ kind: 'telegram', value: '555001', botId, verified: true }, { kind: 'phone', value: '+79167200002', verified: false }] });
      expect((await contacts.resolve(db, ids.tenant, { channel: 'telegram', botId, chatId: '555001' }))!.id).toBe(ids.chat);
      expect(await contacts.get(db, ids.tenant, ids.gone)).toBeNull();
      expect((await db.selectFrom('contacts').select('deleted_at').where('id', '=', ids.gone).executeTakeFirstOrThrow()).deleted_at).not.toBeNull();
      expect((await db.selectFrom('booking_bookings').select('client_id').where('id', '=', ids.booking).executeTakeFirstOrThrow()).client_id).toBe(ids.chat);
      const { rows } = await sql<{ t: string | null }>`SELECT to_regclass('booking_clients')::text AS t`.execute(db);
      expect(rows[0].t).toBeNull();
    } finally {
      await t.close();
    }
  });
});
