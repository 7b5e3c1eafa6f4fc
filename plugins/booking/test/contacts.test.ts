import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../core/db/database.js';
import { migrateFolder } from '../../../core/db/migrate.js';
import { startTestApp, type TestApp } from '../../../test/helpers/app.js';
import { freshDatabase } from '../../../test/helpers/db.js';
import { makeSalon, nextMonday } from './salon.js';

const ROOT = path.resolve(import.meta.dirname, '..', '..', '..');
const at = (day: string, h: number) => `${day}T${String(h).padStart(2, '0')}:00:00.000Z`;

describe('booking on contacts', () => {
  let t: TestApp;
  beforeAll(async () => { t = await startTestApp(); });
  afterAll(() => t?.close());

  it('merging a duplicate moves its bookings and waitlist entries to the kept contact; restoring it from the trash moves them back', async () => {
    const s = await makeSalon(t);
    const kept = (await s.api('POST', '/api/v1/contacts', { name: 'Мария Кравец', phone: '+79167100001' })).body;
    const dup = (await s.api('POST', '/api/v1/contacts', { name: 'Маша К.', email: 'masha@example.com' })).body;
    const day = nextMonday();
    const booking = await s.api('POST', '/api/v1/bookings', { serviceId: s.serviceId, start: at(day, 8), client: { id: dup.id } });
    expect(booking.status, JSON.stringify(booking.body)).toBe(201);
    expect(booking.body.client).toEqual({ id: dup.id, name: 'Маша К.', phone: null });
    const waiting = await s.api('POST', '/api/v1/booking/waitlist', { clientId: dup.id, serviceId: s.serviceId, day });
    expect(waiting.status, JSON.stringify(waiting.body)).toBe(201);

    const merged = await s.api('POST', `/api/v1/contacts/${kept.id}/merge`, { otherId: dup.id });
    expect(merged.status, JSON.stringify(merged.body)).toBe(200);
    expect(merged.body.identities.map((i: any) => i.value)).toEqual(['+79167100001', 'masha@example.com']);
    expect((await s.api('GET', `/api/v1/bookings?clientId=${kept.id}`)).body.items.map((b: any) => [b.id, b.client])).toEqual([[booking.body.id, { id: kept.id, name: 'Мария Кравец', phone: '+79167100001' }]]);
    expect((await s.api('GET', '/api/v1/booking/waitlist')).body.items.map((w: any) => w.clientId)).toEqual([kept.id]);
    // The duplicate's id still answers, as the contact it became; a booking for it lands on the kept one.
    expect((await s.api('GET', `/api/v1/contacts/${dup.id}`)).body.id).toBe(kept.id);
    const later = await s.api('POST', '/api/v1/bookings', { serviceId: s.serviceId, start: at(day, 12), client: { id: dup.id } });
    expect(later.body.client.id).toBe(kept.id);

    expect((await s.api('POST', `/api/v1/contacts/${kept.id}/merge`, { otherId: kept.id })).body.code).toBe('BF_ERR_CONTACT_MERGE_SELF');
    expect((await s.api('POST', `/api/v1/trash/contact/${dup.id}/restore`)).status).toBe(200);
    expect((await s.api('GET', `/api/v1/bookings?clientId=${dup.id}`)).body.items.map((b: any) => b.id)).toEqual([booking.body.id]);
    expect((await s.api('GET', `/api/v1/bookings?clientId=${kept.id}`)).body.items.map((b: any) => b.id)).toEqual([later.body.id]);
    expect((await s.api('GET', `/api/v1/contacts/${dup.id}`)).body.identities.map((i: any) => i.value)).toEqual(['masha@example.com']);
  });

  it('staff find bookings by the client\'s phone in any format', async () => {
    const s = await makeSalon(t);
    const made = await s.api('POST', '/api/v1/bookings', { serviceId: s.serviceId, start: at(nextMonday(), 9), client: { name: 'Ирина Соколова', phone: '8 916 710-00-02' } });
    expect(made.body.client.phone).toBe('+79167100002');
    for (const q of ['8 916 710-00-02', '+7 916 710 00 02', 'ирина', '7100002']) {
      expect((await s.api('GET', `/api/v1/bookings?q=${encodeURIComponent(q)}`)).body.items.map((b: any) => b.id), q).toEqual([made.body.id]);
    }
  });
});

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
