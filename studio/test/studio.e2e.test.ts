/**
 * The studio in a real browser (Debian's Chromium through playwright-core) against the real server:
 * sign in, open the demo bot's flow, add and connect a node, see a validation error and fix it,
 * publish, chat with the draft in the test panel, edit a service — with no console errors.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Locator, Page } from 'playwright-core';
import fs from 'node:fs';
import { startTestApp, type TestApp } from '../../test/helpers/app.js';
import { BotApiStandIn } from '../../test/helpers/bot-api-standin.js';
import { ensureStudioBuilt } from '../scripts/build.js';
import { launchChromium } from '../scripts/chromium.js';

let t: TestApp;
let telegram: BotApiStandIn;
let browser: Browser;
let page: Page;
const consoleErrors: string[] = [];
let flow: { id: string; name: string };

type Box = { x: number; y: number; width: number; height: number };
const center = (b: Box) => ({ x: b.x + b.width / 2, y: b.y + b.height / 2 });
const overlaps = (a: Box, b: Box) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

/** Drags with real pointer moves, as xyflow expects for connections. */
async function drag(from: Locator, to: Locator): Promise<void> {
  const a = center((await from.boundingBox())!);
  const b = center((await to.boundingBox())!);
  await page.mouse.move(a.x, a.y);
  await page.mouse.down();
  await page.mouse.move((a.x + b.x) / 2, (a.y + b.y) / 2, { steps: 8 });
  await page.mouse.move(b.x, b.y, { steps: 8 });
  await page.mouse.up();
}

/**
 * Drags a connection from one handle to another until the canvas shows the new edge: on a loaded machine the
 * first drag can start before React Flow has measured a just-dropped node, and draws nothing.
 */
async function connect(from: Locator, to: Locator): Promise<void> {
  const edges = () => page.locator('.react-flow__edge').count();
  const before = await edges();
  for (let attempt = 1; attempt <= 3; attempt++) {
    await drag(from, to);
    const deadline = Date.now() + 3000;
    while (Date.now() < deadline) {
      if ((await edges()) > before) return;
      await page.waitForTimeout(100);
    }
  }
  throw new Error('three drags made no connection');
}

/** A free spot on the canvas for a new node, clear of every node and of the controls. */
async function freeSpot(): Promise<{ x: number; y: number }> {
  const canvas = (await page.getByTestId('canvas').boundingBox())!;
  const nodes = await page.locator('.react-flow__node, .react-flow__minimap, .react-flow__controls').evaluateAll((els) => els.map((e) => {
    const r = e.getBoundingClientRect();
    return { x: r.x - 30, y: r.y - 30, width: r.width + 60, height: r.height + 60 };
  }));
  for (let y = canvas.y + 20; y + 160 < canvas.y + canvas.height; y += 40) {
    for (let x = canvas.x + 60; x + 230 < canvas.x + canvas.width; x += 40) {
      const box = { x, y, width: 230, height: 160 };
      if (!nodes.some((n) => overlaps(n, box))) return { x: x + 115 - canvas.x, y: y + 30 - canvas.y };
    }
  }
  throw new Error('no free spot on the canvas');
}

const problemCount = async () => {
  const text = (await page.getByTestId('problem-count').textContent()) ?? '';
  return Number(/\d+/.exec(text)?.[0] ?? 0);
};

describe('studio in Chromium', () => {
  beforeAll(async () => {
    await ensureStudioBuilt();
    telegram = await BotApiStandIn.start();
    t = await startTestApp({ config: { telegramApiRoot: telegram.url } });
    const token = await t.login(t.owner.email, t.owner.password);
    const flows = await t.api('GET', '/api/v1/flows', { token, tenant: 'demo' });
    flow = flows.body.items.find((f: { key: string }) => f.key === 'main');
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1366, height: 768 }, locale: 'en-US' });
    page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text()); });
    page.on('pageerror', (e) => consoleErrors.push(e.message));
    page.on('response', (r) => { if (r.status() >= 500) consoleErrors.push(`${r.status()} ${r.request().method()} ${r.url()}`); });
    page.setDefaultTimeout(15_000);
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
    await telegram?.close();
  });

  it('signs in', async () => {
    await page.goto(`${t.url}/studio/`);
    // The language chosen here is kept (over the account's own, Russian in the demo).
    await page.getByLabel('Language').selectOption('ru');
    await page.getByRole('button', { name: 'Войти' }).waitFor();
    await page.getByLabel('Язык').selectOption('en');
    await page.getByLabel('Email').fill(t.owner.email);
    await page.getByLabel('Password').fill('wrong-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('Wrong email or password');
    consoleErrors.length = 0; // the refused sign-in's 401 is expected
    // The second try by keyboard only: labels lead to the inputs, Enter submits.
    await page.getByLabel('Password').fill('');
    await page.getByLabel('Email').focus();
    await page.keyboard.press('Tab');
    await page.keyboard.type(t.owner.password);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Bots & flows', level: 1 }).waitFor();
    expect(await page.locator('#business-select option:checked').textContent()).toBeTruthy();
    // The sign-in lives in an httpOnly cookie, out of reach of any script on the page, and survives a reload.
    expect(await page.evaluate(() => Object.keys(localStorage).filter((k) => /token/i.test(k)))).toEqual([]);
    expect(await page.evaluate(() => document.cookie)).not.toContain('bf_session');
    expect((await page.context().cookies()).find((c) => c.name === 'bf_session')).toMatchObject({ httpOnly: true, sameSite: 'Strict' });
    await page.reload();
    await page.getByRole('heading', { name: 'Bots & flows', level: 1 }).waitFor();
  });

  it('connects a Telegram bot and shows its status', async () => {
    const form = page.getByRole('form', { name: 'Connect a Telegram bot' });
    await form.getByLabel('Name').fill('Second bot');
    await form.getByLabel('Telegram bot token').fill('777000:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA');
    await form.getByRole('button', { name: 'Connect' }).click();
    const row = page.getByRole('table', { name: 'Bots' }).locator('tr', { hasText: 'Second bot' });
    await row.waitFor();
    // One state, not a status next to a contradicting switch.
    expect(await row.locator('.tag').count()).toBe(1);
    expect(await row.locator('.tag').textContent()).toMatch(/^(active|starting|error)$/);
  });

  it('switches between businesses', async () => {
    const token = await t.login(t.owner.email, t.owner.password);
    const created = await t.api('POST', '/api/v1/tenants', { token, body: { slug: 'second-salon', name: 'Second salon', timezone: 'Europe/Kyiv', locale: 'uk', currency: 'UAH' } });
    expect(created.status).toBe(201);
    await page.reload();
    await page.locator('#business-select').selectOption({ label: 'Second salon' });
    await page.getByRole('table', { name: 'Flows' }).getByText('No flows yet.').waitFor();
    await page.locator('#business-select').selectOption({ value: 'demo' });
    await page.getByRole('link', { name: flow.name }).first().waitFor();
  });

  it('opens the demo bot’s flow', async () => {
    await page.getByRole('link', { name: flow.name }).first().click();
    await page.locator('.react-flow__node').first().waitFor();
    expect(await page.locator('.react-flow__node').count()).toBeGreaterThan(3);
    await expect.poll(() => page.getByTestId('save-state').textContent()).toBe('All changes saved');
  });

  it('adds a node, connects it, shows its validation errors and clears them once fixed', async () => {
    const before = await problemCount();
    const spot = await freeSpot();
    await page.locator('.palette-item[data-type="message"]').dragTo(page.getByTestId('canvas'), { targetPosition: spot });
    const added = page.locator('.react-flow__node.selected');
    await added.waitFor();
    const addedId = (await added.getAttribute('data-id'))!;
    const node = page.locator(`.react-flow__node[data-id="${addedId}"]`);

    // From the welcome message's error port into the new node, so a start reaches it.
    const source = page.locator('.react-flow__node', { has: page.locator('[data-node-type="message"]') }).first();
    await connect(source.locator('.fnode-port[data-port="error"] .react-flow__handle'), node.locator('.react-flow__handle.in'));

    // The empty message and its unconnected output are problems, pinned on the node and named in the form.
    await expect.poll(problemCount).toBeGreaterThan(before);
    await node.locator('.fnode-badge').waitFor();
    const inspector = page.getByRole('region', { name: 'Block settings' });
    await inspector.locator('.field-error').first().waitFor();

    // The demo business is Russian: its language is the required one, whatever language the studio shows.
    await inspector.getByLabel('RU*').fill('Извините, что-то пошло не так. Начнём сначала.');
    // The second connection without dragging: the inspector lists where each output leads.
    const endId = (await page.locator('.react-flow__node', { has: page.locator('[data-node-type="end"]') }).first().getAttribute('data-id'))!;
    await inspector.getByRole('group', { name: 'Where each output leads' }).getByLabel('Next').selectOption(endId);
    await expect.poll(problemCount).toBe(before);
    expect(await node.locator('.fnode-badge').count()).toBe(0);
    await expect.poll(() => page.getByTestId('save-state').textContent()).toBe('All changes saved');

    const saved = await t.api('GET', `/api/v1/flows/${flow.id}`, { token: await t.login(t.owner.email, t.owner.password), tenant: 'demo' });
    const savedNode = saved.body.draft.nodes.find((n: { id: string }) => n.id === addedId);
    expect(savedNode.settings.text).toEqual({ ru: 'Извините, что-то пошло не так. Начнём сначала.' });
    const edges = saved.body.draft.edges as Array<{ source: string; sourcePort: string; target: string }>;
    expect(edges.some((e) => e.target === addedId && e.sourcePort === 'error')).toBe(true);
    expect(edges.some((e) => e.source === addedId && e.sourcePort === 'next' && e.target === endId)).toBe(true);
  });

  it('flags an undeclared variable in a text until it is declared', async () => {
    const before = await problemCount();
    const inspector = page.getByRole('region', { name: 'Block settings' });
    await inspector.getByLabel('RU*').fill('Извините, {{guestName}}, что-то пошло не так. Начнём сначала.');
    await expect.poll(problemCount).toBe(before + 1);
    await inspector.getByText('Variable guestName is not declared: add it in Variables').waitFor();
    await page.getByRole('tab', { name: 'Variables' }).click();
    await page.getByRole('button', { name: 'Add variable' }).click();
    const panel = page.getByRole('region', { name: 'Variables' });
    await panel.getByLabel('Name').last().fill('guestName');
    await expect.poll(problemCount).toBe(before);
    await page.getByRole('tab', { name: 'Block' }).click();
  });

  it('copies and pastes a node, and undoes and redoes edits', async () => {
    const count = await page.locator('.react-flow__node').count();
    await page.locator('.react-flow__node.selected').click();
    await page.keyboard.press('Control+c');
    await page.keyboard.press('Control+v');
    await expect.poll(() => page.locator('.react-flow__node').count()).toBe(count + 1);
    await page.keyboard.press('Control+z');
    await expect.poll(() => page.locator('.react-flow__node').count()).toBe(count);
    await page.getByRole('button', { name: 'Undo' }).click();
    await page.getByRole('button', { name: 'Undo' }).click();
    await page.getByRole('button', { name: 'Redo' }).click();
    await page.getByRole('button', { name: 'Redo' }).click();
    expect(await page.locator('.react-flow__node').count()).toBe(count);
    await expect.poll(problemCount).toBe(0);
  });

  it('publishes the draft as a new version', async () => {
    await page.getByRole('button', { name: /^Publish/ }).click();
    const dialog = page.getByRole('dialog', { name: 'Publish' });
    await dialog.getByRole('button', { name: 'Publish the draft' }).click();
    await dialog.locator('tr', { hasText: 'v2' }).getByText('live').waitFor();
    // Bringing v1 back makes it live again; publishing once more makes v3 from the same draft.
    await dialog.locator('tr', { hasText: 'v1' }).getByRole('button', { name: 'Bring back' }).click();
    await page.getByRole('button', { name: 'Publish (v1)' }).waitFor();
    await page.getByRole('button', { name: /^Publish/ }).click();
    const again = page.getByRole('dialog', { name: 'Publish' });
    await again.getByRole('button', { name: 'Publish the draft' }).click();
    await again.locator('tr', { hasText: 'v3' }).getByText('live').waitFor();
    await again.getByRole('button', { name: 'Close' }).click();
    await page.getByRole('button', { name: 'Publish (v3)' }).waitFor();
  });

  it('exports the flow as JSON and imports it back', async () => {
    const count = await page.locator('.react-flow__node').count();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export' }).click()]);
    const file = await download.path();
    const graph = JSON.parse(fs.readFileSync(file, 'utf8'));
    expect(graph.schemaVersion).toBe(1);
    expect(graph.nodes).toHaveLength(count);
    await page.getByLabel('Import').setInputFiles(file);
    await page.getByRole('status').filter({ hasText: `Imported ${count} blocks` }).waitFor();
    expect(await page.locator('.react-flow__node').count()).toBe(count);
    await expect.poll(problemCount).toBe(0);
  });

  it('chats with the draft in the test panel', async () => {
    await page.getByRole('button', { name: 'Test chat' }).click();
    const chat = page.getByRole('complementary', { name: 'Test chat' });
    await chat.getByLabel('Message').fill('/start');
    await chat.getByRole('button', { name: 'Send' }).click();
    await chat.locator('.bubble.bot', { hasText: 'Welcome to Demo Beauty' }).last().waitFor();
    const address = chat.locator('.bubble.bot').last().getByRole('button', { name: /Address & hours/ });
    await expect.poll(() => address.isEnabled()).toBe(true);
    await address.click();
    await chat.locator('.bubble.bot', { hasText: 'Pyatnitskaya' }).waitFor();
  });

  it('shows messages the flow sends later (a wait) as they are pushed', async () => {
    const token = await t.login(t.owner.email, t.owner.password);
    const graph = {
      schemaVersion: 1, variables: [],
      nodes: [
        { id: 's', type: 'trigger.command', position: { x: 0, y: 0 }, settings: { command: '/start' } },
        { id: 'w', type: 'wait', position: { x: 250, y: 0 }, settings: { delay: { amount: 1, unit: 'seconds' } } },
        { id: 'm', type: 'message', position: { x: 500, y: 0 }, settings: { text: { en: 'One second later' } } },
        { id: 'e', type: 'end', position: { x: 750, y: 0 }, settings: {} },
      ],
      edges: [{ id: 'a', source: 's', sourcePort: 'next', target: 'w' }, { id: 'b', source: 'w', sourcePort: 'next', target: 'm' }, { id: 'c', source: 'm', sourcePort: 'next', target: 'e' }],
    };
    const created = await t.api('POST', '/api/v1/flows', { token, tenant: 'demo', body: { key: 'wait-test', name: 'Wait test', graph } });
    await page.goto(`${t.url}/studio/flows/${created.body.id}`);
    await page.getByRole('button', { name: 'Test chat' }).click();
    const chat = page.getByRole('complementary', { name: 'Test chat' });
    await chat.getByLabel('Message').fill('/start');
    await chat.getByRole('button', { name: 'Send' }).click();
    await chat.locator('.bubble.bot', { hasText: 'One second later' }).first().waitFor();
  });

  it('edits a service', async () => {
    await page.getByRole('link', { name: /Bots & flows/ }).first().click();
    await page.getByRole('link', { name: 'Services' }).click();
    await page.getByRole('heading', { name: 'Services', level: 1 }).waitFor();
    const table = page.getByRole('table', { name: 'Services' });
    const row = table.locator('tbody tr').first();
    const name = (await row.locator('td').first().textContent())!.trim();
    await row.getByRole('button', { name: 'Edit' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Price').fill('3210');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'detached' });
    await table.locator('tbody tr', { hasText: name }).getByText(/3[,\s.]?210/).waitFor();
    const token = await t.login(t.owner.email, t.owner.password);
    const services = await t.api('GET', '/api/v1/booking/services', { token, tenant: 'demo' });
    expect(services.body.items.find((s: { name: string }) => s.name === name).price).toBe(3210);
  });

  it('opens every admin section', async () => {
    for (const [link, heading] of [['Bookings', 'Bookings'], ['Clients', 'Clients'], ['Staff & rooms', 'Staff & rooms'], ['Schedules', 'Schedules'], ['Plugins', 'Plugins'], ['Event deliveries', 'Event deliveries'], ['Settings', 'Settings']]) {
      await page.getByRole('navigation').getByRole('link', { name: link, exact: true }).click();
      await page.getByRole('heading', { name: heading, level: 1 }).waitFor();
    }
    await page.getByRole('navigation').getByRole('link', { name: 'Plugins', exact: true }).click();
    await page.getByRole('link', { name: 'Booking', exact: true }).click();
    await page.getByRole('heading', { name: /Booking/, level: 1 }).waitFor();
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
  });

  it('logged no console errors', () => {
    expect(consoleErrors).toEqual([]);
  });
});
