/**
 * The owner's referrals page in the Russian studio downloads its report: the CSV button saves the file the
 * report route answers, and the XLSX one a spreadsheet. In Chromium.
 */
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../test/helpers/app.js';
import { openStudio, type StudioBrowser } from '../../../test/helpers/studio-browser.js';

let t: TestApp;
let studio: StudioBrowser;

beforeAll(async () => {
  t = await startTestApp({ plugins: ['referrals'] });
  studio = await openStudio(t, { locale: 'ru-RU' });
  await studio.signInRu(t.owner.email, t.owner.password, 'demo');
}, 120_000);
afterAll(async () => {
  await studio?.close();
  await t?.close();
});

describe('the referrals page', () => {
  it('downloads the report as CSV and as XLSX', async () => {
    const { page } = studio;
    await page.getByRole('navigation').getByRole('link', { name: 'Приведи друга' }).click();
    await page.getByRole('heading', { name: 'Приведи друга', level: 1 }).waitFor();
    const [csv] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Скачать CSV' }).click()]);
    expect(csv.suggestedFilename()).toBe('referrals.csv');
    const text = fs.readFileSync(await csv.path(), 'utf8').replace(/^\ufeff/, '');
    expect(text.split('\r\n')[0]).toBe('referrer,referrerId,friend,friendPhone,friendId,invitedAt,converted,convertedAt,points');
    const [xlsx] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Скачать XLSX' }).click()]);
    expect(xlsx.suggestedFilename()).toBe('referrals.xlsx');
    // An XLSX file is a zip: it starts with PK.
    expect(fs.readFileSync(await xlsx.path()).subarray(0, 2).toString()).toBe('PK');
    expect(studio.errors).toEqual([]);
  });
});
