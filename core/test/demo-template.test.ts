/**
 * The demo business is template data (templates/demo-salon) seeded by core, plus what each plugin's seedDemo
 * adds: a product without the booking plugin still starts and gets the flows it can run.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_TEMPLATE_DIR } from '../seed/bootstrap.js';
import { readTemplate } from '../seed/template.js';
import { startTestApp, type TestApp } from '../../test/helpers/app.js';
import { tempPluginsDir } from '../../test/helpers/plugins.js';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const plugins = tempPluginsDir({ copy: ['example'] });
let t: TestApp;
beforeAll(async () => { t = await startTestApp({ pluginsDir: plugins.dir }); });
afterAll(async () => {
  await t?.close();
  plugins.remove();
});

describe('the demo business without the booking plugin', () => {
  it('starts healthy with the demo tenant, its bot and the flows its plugins can run', async () => {
    expect(t.app.host.plugins.map((p) => p.manifest.id)).toEqual(['example']);
    expect(await t.api('GET', '/health')).toMatchObject({ status: 200, body: { status: 'ok' } });
    const token = await t.login(t.owner.email, t.owner.password);
    expect((await t.api('GET', '/api/v1/tenant', { token, tenant: 'demo' })).body).toMatchObject({ slug: 'demo', id: t.demoTenantId });
    const flows = await t.api('GET', '/api/v1/flows', { token, tenant: 'demo' });
    // The booking flow needs booking.* node types: left out, the main menu is seeded and published.
    expect(flows.body.items.map((f: { key: string; publishedVersion: number }) => [f.key, f.publishedVersion])).toEqual([['main', 1]]);
    // Its optional steps that lead to the flows left out (booking, points, invite a friend) are dropped, so it stays valid.
    const main = await t.api('GET', `/api/v1/flows/${flows.body.items[0].id}`, { token, tenant: 'demo' });
    expect((await t.api('POST', '/api/v1/flows/validate', { token, tenant: 'demo', body: { graph: main.body.draft } })).body).toEqual({ valid: true, errors: [] });
  });

  it('its bot answers from the template\'s main flow, its menu without the entries of the missing plugins', async () => {
    const chat = await t.api('POST', '/api/v1/public/demo/webchat/sessions', { body: { locale: 'en' } });
    expect(chat.status).toBe(201);
    expect(chat.body.messages.map((m: { text: string }) => m.text)).toEqual([expect.stringContaining('Welcome to Demo Beauty & Spa'), 'How can we help you?']);
    const buttons = chat.body.messages[1].buttons.flat().map((b: { label: string }) => b.label);
    expect(buttons).toEqual(['💇‍♀️ Services & prices', '📞 Call me back', '📍 Address & hours', '💬 Talk to an administrator']);
  });
});

describe('templates are data', () => {
  it('core imports nothing from templates/', () => {
    const files = fs.readdirSync(path.join(ROOT, 'core'), { recursive: true, withFileTypes: true }).filter((f) => f.isFile() && f.name.endsWith('.ts'));
    const importers = files.filter((f) => /from\s+['"][./]*templates\//.test(fs.readFileSync(path.join(f.parentPath, f.name), 'utf8'))).map((f) => f.name);
    expect(importers).toEqual([]);
    expect(fs.readdirSync(DEMO_TEMPLATE_DIR).filter((f) => !f.endsWith('.json'))).toEqual([]);
  });

  it('a malformed template fails loudly, naming the file', () => {
    const dir = fs.mkdtempSync(path.join(ROOT, '.tmp', 'template-'));
    try {
      fs.writeFileSync(path.join(dir, 'template.json'), JSON.stringify({ bot: { name: 'Bot', flow: 'main' }, flows: ['main.flow.json'] }));
      fs.writeFileSync(path.join(dir, 'main.flow.json'), JSON.stringify({ key: 'main', name: 'Main', schemaVersion: 1, nodes: 'none', edges: [], variables: [] }));
      expect(() => readTemplate(dir)).toThrow(/main\.flow\.json/);
      const start = { id: 'start', type: 'trigger.command', position: { x: 0, y: 0 }, settings: { command: '/start' } };
      fs.writeFileSync(path.join(dir, 'main.flow.json'), JSON.stringify({ key: 'main', name: 'Main', optional: ['gone'], schemaVersion: 1, nodes: [start], edges: [], variables: [] }));
      expect(() => readTemplate(dir)).toThrow(/main\.flow\.json: optional names no node gone/);
      fs.writeFileSync(path.join(dir, 'template.json'), JSON.stringify({ bot: { name: 'Bot' }, flows: [] }));
      expect(() => readTemplate(dir)).toThrow(/template\.json.*flow/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
