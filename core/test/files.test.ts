/**
 * Core's file store through the real app: types read from the bytes, size limits, the key making a put idempotent,
 * the studio's route with its roles and tenant isolation, signed public links, and a file a client sent fetched from
 * the Bot API stand-in (getFile + the file URL) within the limits, its bot's token never in an error.
 */
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Files } from '../../plugin-sdk.js';
import { startNodeTurnKit, type NodeTurnKit } from '../../test/helpers/node-turn.js';
import { CORE_VERSION } from '../version.js';
import { JPEG, MP4, PNG, WEBP } from '../../test/helpers/file-bytes.js';

let kit: NodeTurnKit;
let files: Files;
let tenantId: string;
let botId: string;
let botToken: string;
const db = () => kit.t.app.db.db;
const get = (path: string, token: string, tenant = 'demo') => fetch(kit.t.url + path, { headers: { authorization: `Bearer ${token}`, 'x-tenant': tenant } });

beforeAll(async () => {
  kit = await startNodeTurnKit({ plugins: [] });
  files = kit.t.app.host.coreContext(CORE_VERSION).files;
  tenantId = kit.t.demoTenantId;
  botId = (await db().selectFrom('bots').select('id').where('tenant_id', '=', tenantId).where('name', '=', 'Kit bot').executeTakeFirstOrThrow()).id;
  botToken = kit.standin.calls.find((c) => c.method === 'setWebhook')!.token;
});
afterAll(async () => { await kit?.close(); });

describe('file store', () => {
  it('keeps photos and videos by what their bytes are, with size and SHA-256; refuses other bytes and sizes', async () => {
    const jpeg = JPEG(1000);
    const stored = await files.put(db(), tenantId, { kind: 'photo', data: jpeg });
    expect(stored).toMatchObject({ contentType: 'image/jpeg', size: 1000, sha256: crypto.createHash('sha256').update(jpeg).digest('hex') });
    expect(Buffer.compare((await files.get(db(), tenantId, stored.id))!.data, jpeg)).toBe(0);
    expect((await files.put(db(), tenantId, { kind: 'photo', data: PNG() })).contentType).toBe('image/png');
    expect((await files.put(db(), tenantId, { kind: 'photo', data: WEBP() })).contentType).toBe('image/webp');
    expect((await files.put(db(), tenantId, { kind: 'video', data: MP4() })).contentType).toBe('video/mp4');
    const refused = async (p: Promise<unknown>) => p.then(() => 'stored', (e: any) => [e.code, e.details]);
    expect(await refused(files.put(db(), tenantId, { kind: 'photo', data: Buffer.from('<svg onload=alert(1)>') }))).toEqual(['BF_ERR_FILE_TYPE_UNSUPPORTED', { kind: 'photo', allowed: 'image/jpeg, image/png, image/webp' }]);
    expect((await refused(files.put(db(), tenantId, { kind: 'video', data: JPEG() })) as unknown[])[0]).toBe('BF_ERR_FILE_TYPE_UNSUPPORTED');
    expect(await refused(files.put(db(), tenantId, { kind: 'photo', data: JPEG(10 * 1024 * 1024 + 1) }))).toEqual(['BF_ERR_FILE_TOO_LARGE', { size: 10 * 1024 * 1024 + 1, max: 10 * 1024 * 1024 }]);
    expect(await refused(files.put(db(), tenantId, { kind: 'photo', data: JPEG(2000), maxBytes: 1500 }))).toEqual(['BF_ERR_FILE_TOO_LARGE', { size: 2000, max: 1500 }]);
    // The same key again is the same file: a retried job stores nothing twice.
    const first = await files.put(db(), tenantId, { kind: 'photo', data: JPEG(), key: 'once' });
    expect((await files.put(db(), tenantId, { kind: 'photo', data: JPEG(), key: 'once' })).id).toBe(first.id);
  });

  it('the studio route serves a file to the roles it allows in its own business only', async () => {
    const photo = await files.put(db(), tenantId, { kind: 'photo', data: JPEG(500) });
    const ownerOnly = await files.put(db(), tenantId, { kind: 'photo', data: JPEG(), roles: ['owner'] });
    const res = await get(`/api/v1/files/${photo.id}`, kit.token);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/jpeg');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(Buffer.from(await res.arrayBuffer()).length).toBe(500);
    const manager = await kit.t.addMember(kit.token, 'files-manager@test.local', 'manager');
    const specialist = await kit.t.addMember(kit.token, 'files-spec@test.local', 'specialist');
    expect((await get(`/api/v1/files/${photo.id}`, manager.token)).status).toBe(200);
    expect((await get(`/api/v1/files/${ownerOnly.id}`, manager.token)).status).toBe(404);
    const hidden = await get(`/api/v1/files/${photo.id}`, specialist.token);
    expect(hidden.status).toBe(404);
    expect(((await hidden.json()) as { code: string }).code).toBe('BF_ERR_FILE_NOT_FOUND');
    expect((await get(`/api/v1/files/${ownerOnly.id}`, kit.token)).status).toBe(200);
    // The owner's second business does not have the first one's files.
    const other = await kit.t.api('POST', '/api/v1/tenants', { token: kit.token, body: { slug: 'files-other', name: 'Other', timezone: 'Europe/Moscow', locale: 'en', currency: 'EUR' } });
    expect(other.status).toBe(201);
    expect((await get(`/api/v1/files/${photo.id}`, kit.token, 'files-other')).status).toBe(404);
    expect((await get('/api/v1/files/not-a-uuid', kit.token)).status).toBe(400);
    expect((await fetch(`${kit.t.url}/api/v1/files/${photo.id}`)).status).toBe(401);
  });

  it('a public link opens the one file it was made for, in its business', async () => {
    const photo = await files.put(db(), tenantId, { kind: 'photo', data: JPEG(321) });
    const link = files.publicUrl(tenantId, photo.id)!;
    expect(link).toMatch(/^https:\/\/kit\.example\.test\/api\/v1\/public\/[0-9a-f-]{36}\/files\/[0-9a-f-]{36}\/[A-Za-z0-9_-]{32}$/);
    const path = new URL(link).pathname;
    const res = await fetch(kit.t.url + path);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/jpeg');
    expect(res.headers.get('set-cookie')).toBeNull();
    expect(Buffer.from(await res.arrayBuffer()).length).toBe(321);
    const other = await files.put(db(), tenantId, { kind: 'photo', data: JPEG() });
    expect((await fetch(kit.t.url + path.replace(photo.id, other.id))).status).toBe(404);
    const foreign = (await db().selectFrom('tenants').select('id').where('slug', '=', 'files-other').executeTakeFirstOrThrow()).id;
    expect((await fetch(kit.t.url + path.replace(tenantId, foreign))).status).toBe(404);
    expect((await fetch(kit.t.url + path.replace(/.{4}$/, 'AAAA'))).status).toBe(404);
  });

  it('fetches a file a client sent through getFile and the file URL, within the limits', async () => {
    const sent = kit.standin.addFile(JPEG(4000));
    const stored = await files.fromTelegram(tenantId, { botId, fileId: sent.file_id }, { kind: 'photo' });
    expect(stored).toMatchObject({ contentType: 'image/jpeg', size: 4000 });
    expect(kit.standin.calls.some((c) => c.method === 'getFile' && c.payload.file_id === sent.file_id && c.token === botToken)).toBe(true);
    const fail = (p: Promise<unknown>) => p.then(() => undefined, (e: any) => e);
    // Telegram's size says too large: nothing is downloaded.
    const big = kit.standin.addFile(MP4(100), { reportedSize: 30 * 1024 * 1024 });
    const downloads = kit.standin.downloads.length;
    expect((await fail(files.fromTelegram(tenantId, { botId, fileId: big.file_id }, { kind: 'video' }))).code).toBe('BF_ERR_FILE_TOO_LARGE');
    expect(kit.standin.downloads.length).toBe(downloads);
    // Telegram's size lies: the download stops past the limit.
    const liar = kit.standin.addFile(MP4(3000), { reportedSize: 100 });
    expect((await fail(files.fromTelegram(tenantId, { botId, fileId: liar.file_id }, { kind: 'video', maxBytes: 2000 }))).code).toBe('BF_ERR_FILE_TOO_LARGE');
    const wrong = kit.standin.addFile(Buffer.from('%PDF-1.7 not a photo'));
    expect((await fail(files.fromTelegram(tenantId, { botId, fileId: wrong.file_id }, { kind: 'photo' }))).code).toBe('BF_ERR_FILE_TYPE_UNSUPPORTED');
    const gone = await fail(files.fromTelegram(tenantId, { botId, fileId: 'no-such-file' }, { kind: 'photo' }));
    expect(gone.code).toBe('BF_ERR_FILE_DOWNLOAD_FAILED');
    expect(JSON.stringify({ message: gone.message, details: gone.details })).not.toContain(botToken.split(':')[1]);
    // Another business's bot is not this business's to fetch through.
    const foreign = (await db().selectFrom('tenants').select('id').where('slug', '=', 'files-other').executeTakeFirstOrThrow()).id;
    expect((await fail(files.fromTelegram(foreign, { botId, fileId: sent.file_id }, { kind: 'photo' }))).code).toBe('BF_ERR_BOT_NOT_FOUND');
  });
});
