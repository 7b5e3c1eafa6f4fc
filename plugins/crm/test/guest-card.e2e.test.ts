/**
 * The guest card on the client's page in Chromium: the demo's Анна with her status, lock, notes and the two
 * interest pie charts (survey and visits) for the owner, who edits and saves it; her specialist sees the card
 * without the confidential note anywhere in the page.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../test/helpers/app.js';
import { openStudio, type StudioBrowser } from '../../../test/helpers/studio-browser.js';

const SECRET = 'Просила не предлагать процедуры для похудения';
let t: TestApp;
let owner: StudioBrowser;
let token: string;
let anna: { id: string; name: string };
const api = (method: string, path: string, body?: unknown) => t.api(method, path, { token, tenant: 'demo', body });

beforeAll(async () => {
  t = await startTestApp({ plugins: ['crm'] });
  token = await t.login(t.owner.email, t.owner.password);
  anna = (await api('GET', '/api/v1/contacts?q=%2B79161234501')).body.items[0];
  owner = await openStudio(t, { viewport: { width: 1440, height: 900 } });
  await owner.signIn(t.owner.email, t.owner.password);
}, 120_000);
afterAll(async () => {
  await owner?.close();
  await t?.close();
});

const cardOf = async (page: Page) => {
  await page.goto(`${t.url}/studio/contacts/${anna.id}`);
  const card = page.getByRole('region', { name: 'Guest card' });
  await card.getByRole('heading', { name: /Guest card/ }).waitFor();
  return card;
};

describe('the guest card', () => {
  it('shows the owner the status, lock, both notes and the two interest charts, and saves a change', async () => {
    const card = await cardOf(owner.page);
    expect(await card.locator('[data-crm-status]').first().innerText()).toBe('Repeat');
    expect(await card.getByRole('heading', { name: /Guest card/ }).innerText()).toContain('🔒');
    expect(await card.getByLabel('Confidential (owners and administrators only)').inputValue()).toBe(SECRET);
    // Two charts drawn by the chart library (recharts' sectors), each with its legend.
    const survey = card.getByRole('figure', { name: 'Interests by the survey' });
    await survey.locator('.recharts-pie-sector').first().waitFor();
    expect(await survey.locator('.recharts-pie-sector').count()).toBe(3);
    expect(await survey.locator('.crm-legend li').allInnerTexts()).toEqual(expect.arrayContaining(['SPA, массаж: 5', 'Бани: 4']));
    expect(await card.getByRole('figure', { name: 'Interests by visits' }).count()).toBe(1);

    await card.getByLabel('Notes for the team (specialists see them)').fill('Зелёный чай; любит тишину');
    await card.getByRole('button', { name: 'Save' }).click();
    await card.getByRole('status').filter({ hasText: 'Saved' }).waitFor();
    expect((await api('GET', `/api/v1/crm/cards/${anna.id}`)).body).toMatchObject({ publicNote: 'Зелёный чай; любит тишину', confidentialNote: SECRET });
    expect(owner.errors).toEqual([]);
  });

  it('shows her specialist the team note and the charts in her booking\'s card, never the confidential note', async () => {
    const spec = await t.addMember(token, 'spec-card@test.local', 'specialist', { tenant: 'demo', name: 'Мастер' });
    // The specialist is the one of Анна's last visit.
    const staff = new Set(((await api('GET', '/api/v1/booking/resources?limit=100')).body.items as Array<{ id: string; kind: string }>).filter((r) => r.kind === 'staff').map((r) => r.id));
    const theirs = ((await api('GET', `/api/v1/bookings?clientId=${anna.id}&limit=100`)).body.items as Array<{ start: string; status: string; resourceIds: string[] }>)
      .filter((b) => b.status === 'completed').at(-1)!;
    const mine = theirs.resourceIds.find((id) => staff.has(id))!;
    expect((await api('PATCH', `/api/v1/booking/resources/${mine}`, { userId: spec.userId })).status).toBe(200);
    const { timezone } = (await api('GET', '/api/v1/tenant')).body;
    const date = new Intl.DateTimeFormat('en-CA', { timeZone: timezone }).format(new Date(theirs.start));
    const studio = await openStudio(t, { viewport: { width: 1440, height: 900 } });
    try {
      await studio.signIn('spec-card@test.local', spec.password);
      const page = studio.page;
      await page.goto(`${t.url}/studio/booking/journal`);
      const loaded = page.waitForResponse((r) => r.url().includes('/api/v1/booking/journal?') && r.url().includes(date));
      await page.getByLabel('Date', { exact: true }).fill(date);
      await loaded;
      await page.locator('.jb').filter({ hasText: anna.name }).first().click();
      const note = page.getByRole('region', { name: 'Notes for the team (specialists see them)' });
      await note.waitFor();
      expect(await note.innerText()).toContain('Зелёный чай; любит тишину');
      await page.getByRole('figure', { name: 'Interests by the survey' }).locator('.recharts-pie-sector').first().waitFor();
      expect(await page.content()).not.toContain(SECRET);
      expect(studio.errors).toEqual([]);
    } finally {
      await studio.close();
    }
  });
});
