import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { errorCatalog } from '../errors.js';
import { scaffoldPlugin } from '../scripts/new-plugin.js';
import { startTestApp } from '../../test/helpers/app.js';
import { tempPluginsDir } from '../../test/helpers/plugins.js';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const dir = tempPluginsDir();
afterAll(() => dir.remove());

const filesOf = (folder: string) =>
  fs.readdirSync(folder, { withFileTypes: true, recursive: true }).filter((f) => f.isFile()).map((f) => path.relative(folder, path.join(f.parentPath, f.name))).sort();

describe('npm run new-plugin', () => {
  it('refuses bad ids and existing folders', () => {
    for (const id of ['X', 'a', 'has_underscore', '-dash', '1st', 'Upper']) expect(() => scaffoldPlugin(id, dir.dir), id).toThrow(/must be 2–40 characters/);
    expect(() => scaffoldPlugin('example')).toThrow(/already exists/);
    const cli = spawnSync(process.execPath, ['--import', 'tsx', path.join(ROOT, 'core', 'scripts', 'new-plugin.ts'), 'Bad_Id', '--dir', dir.dir], { cwd: ROOT, encoding: 'utf8' });
    expect(cli.status).toBe(1);
    expect(cli.stderr).toContain('Bad_Id');
  });

  it('scaffolds every part of the example under the new id', () => {
    const cli = spawnSync(process.execPath, ['--import', 'tsx', path.join(ROOT, 'core', 'scripts', 'new-plugin.ts'), 'front-desk', '--dir', dir.dir], { cwd: ROOT, encoding: 'utf8' });
    expect(cli.status, cli.stderr).toBe(0);
    const target = path.join(dir.dir, 'front-desk');
    expect(filesOf(target)).toEqual(filesOf(path.join(ROOT, 'plugins', 'example')).map((f) => f.replace('example', 'front-desk')));
    expect(JSON.parse(fs.readFileSync(path.join(target, 'plugin.json'), 'utf8'))).toMatchObject({ id: 'front-desk', version: '0.1.0', errors: { BF_ERR_FRONTDESK_TOO_MANY_NOTES: expect.any(Object) } });
    expect(fs.readFileSync(path.join(target, 'migrations', '0001_notes.ts'), 'utf8')).toContain('CREATE TABLE front_desk_notes');
    // Its studio page and client card widget, listed in the manifest and shipped by studio/index.tsx.
    expect(JSON.parse(fs.readFileSync(path.join(target, 'plugin.json'), 'utf8')).studio).toEqual({ pages: [expect.objectContaining({ id: 'notes', group: 'work' })], zones: ['client.card'] });
    expect(filesOf(path.join(target, 'studio'))).toEqual(expect.arrayContaining(['index.tsx', 'NotesPage.tsx', 'ClientNotes.tsx']));
    expect(fs.readFileSync(path.join(target, 'studio', 'notes.ts'), 'utf8')).toContain('/front-desk/notes');
    for (const file of filesOf(target).filter((f) => f !== 'README.md')) {
      expect(fs.readFileSync(path.join(target, file), 'utf8'), file).not.toMatch(/example/i);
    }
  });

  it('the scaffold’s studio code type-checks against the studio SDK, wherever its folder is', () => {
    const config = path.join(dir.dir, 'tsconfig.studio.json');
    fs.writeFileSync(config, JSON.stringify({ extends: path.join(ROOT, 'studio', 'tsconfig.json'), include: ['front-desk/studio'] }));
    // An include that matched nothing would fail too (TS18003).
    const check = spawnSync(process.execPath, [path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', config], { cwd: ROOT, encoding: 'utf8' });
    expect(check.stdout + check.stderr).toBe('');
    expect(check.status).toBe(0);
  });

  it('the scaffold loads with the real loader and works', async () => {
    const t = await startTestApp({ pluginsDir: dir.dir });
    try {
      expect(t.app.host.plugins.map((p) => p.manifest.id)).toEqual(['front-desk']);
      expect(errorCatalog().map((e) => e.code)).toContain('BF_ERR_FRONTDESK_NOTE_NOT_FOUND');
      const token = await t.login(t.owner.email, t.owner.password);
      expect((await t.api('PUT', '/api/v1/plugins/front-desk/enabled', { token, body: { enabled: true } })).status).toBe(200);
      expect((await t.api('GET', '/api/v1/plugins', { token })).body.items[0].studio).toEqual({ pages: [expect.objectContaining({ id: 'notes' })], zones: ['client.card'] });
      const note = await t.api('POST', '/api/v1/front-desk/notes', { token, body: { text: 'hello from the scaffold' } });
      expect(note.status).toBe(201);
      expect((await t.api('GET', '/api/v1/front-desk/notes', { token })).body.items).toEqual([expect.objectContaining({ text: 'hello from the scaffold' })]);
      expect((await t.api('GET', '/api/v1/trash', { token })).body.entities).toContain('front_desk_note');
      // Whatever nodes an author adds: each declared one has a runtime, and all are named after the plugin.
      const runtimes = [...t.app.host.nodeRuntimes().keys()].sort();
      expect(runtimes.length).toBeGreaterThan(0);
      expect(runtimes).toEqual(t.app.host.get('front-desk').nodeTypes.map((n) => n.type).sort());
      for (const type of runtimes) expect(type).toMatch(/^front-desk\./);
    } finally {
      await t.close();
    }
  });
});
