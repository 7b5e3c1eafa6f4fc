/**
 * Settings → Email & SMS in a real browser (Debian's Chromium) against the real server, a real SMTP
 * server in this process and the SMS.ru stand-in: set both channels up, see the secrets only as
 * "Set", send a test of each, read the page in Ukrainian — with no console errors.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startTestApp, type TestApp } from '../../test/helpers/app.js';
import { SmsRuStandIn } from '../../test/helpers/sms-standin.js';
import { startSmtp, type TestSmtp } from '../../test/helpers/smtp.js';
import { ensureStudioBuilt } from '../scripts/build.js';
import { launchChromium } from '../scripts/chromium.js';

const API_ID = 'E2E-API-ID-0001';
let t: TestApp;
let smtp: TestSmtp;
let sms: SmsRuStandIn;
let browser: Browser;
let page: Page;
const consoleErrors: string[] = [];

describe('channels settings in Chromium', () => {
  beforeAll(async () => {
    await ensureStudioBuilt();
    smtp = await startSmtp({ starttls: false });
    sms = await SmsRuStandIn.start();
    sms.apiIds.add(API_ID);
    t = await startTestApp({ config: { smtpAllowPrivate: true, smsRuApiRoot: sms.url } });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1366, height: 900 }, locale: 'en-US' });
    page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text()); });
    page.on('pageerror', (e) => consoleErrors.push(e.message));
    page.on('response', (r) => { if (r.status() >= 500) consoleErrors.push(`${r.status()} ${r.request().method()} ${r.url()}`); });
    page.setDefaultTimeout(15_000);
    await page.goto(`${t.url}/studio/`);
    await page.getByLabel('Language').selectOption('en');
    await page.getByLabel('Email').fill(t.owner.email);
    await page.getByLabel('Password').fill(t.owner.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Bots & flows', level: 1 }).waitFor();
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
    await smtp?.close();
    await sms?.close();
  });

  it('sets up email and sends a test email', async () => {
    await page.getByRole('navigation').getByRole('link', { name: 'Email & SMS', exact: true }).click();
    await page.getByRole('heading', { name: 'Email & SMS', level: 1 }).waitFor();
    const email = page.getByRole('region', { name: /^Email/ });
    await email.getByLabel('SMTP server').fill('127.0.0.1');
    await email.getByLabel('Port').fill(String(smtp.port));
    await email.getByLabel('Encryption').selectOption('none');
    await email.getByLabel('Sender address').fill('hello@salon.test');
    await email.getByLabel('Sender name').fill('Demo Salon');
    await email.getByRole('button', { name: 'Save' }).click();
    await email.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    await email.getByText('on', { exact: true }).waitFor();
    await email.getByPlaceholder('Email address for a test').fill('owner@salon.test');
    await email.getByRole('button', { name: 'Send a test' }).click();
    await email.getByRole('status').filter({ hasText: 'Sent to owner@salon.test.' }).waitFor();
    expect(smtp.received.at(-1)).toMatchObject({ from: 'hello@salon.test', to: ['owner@salon.test'] });
  });

  it('sets up SMS with a write-only API key and sends a test SMS', async () => {
    const smsForm = page.getByRole('region', { name: /^SMS/ });
    await smsForm.getByLabel('API key (api_id)').fill(API_ID);
    await smsForm.getByRole('button', { name: 'Save' }).click();
    await smsForm.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    // The key is never shown again: only that it is set.
    await page.reload();
    const reloaded = page.getByRole('region', { name: /^SMS/ });
    await reloaded.getByText('Set', { exact: true }).first().waitFor();
    expect(await page.content()).not.toContain(API_ID);
    await reloaded.getByPlaceholder(/Phone for a test/).fill('+79161234567');
    await reloaded.getByRole('button', { name: 'Send a test' }).click();
    await reloaded.getByRole('status').filter({ hasText: 'Sent to +79161234567.' }).waitFor();
    expect(sms.sent.at(-1)).toMatchObject({ to: '79161234567' });
    await reloaded.getByRole('button', { name: 'Check the balance' }).click();
    await reloaded.getByRole('status').filter({ hasText: /^Balance: \d+/ }).waitFor();
  });

  it('shows a refused test and reads in Ukrainian', async () => {
    const email = page.getByRole('region', { name: /^Email/ });
    await email.getByPlaceholder('Email address for a test').fill('bounce@client.test');
    await email.getByRole('button', { name: 'Send a test' }).click();
    await expect.poll(() => email.getByRole('alert').textContent()).toContain('BF_ERR_CHANNEL_TEST_FAILED');
    consoleErrors.length = 0; // the refused test's 422 is expected
    await page.getByLabel('Language').selectOption('uk');
    await page.getByRole('heading', { name: 'Пошта і SMS', level: 1 }).waitFor();
    await page.getByRole('region', { name: /^Пошта/ }).getByLabel('SMTP-сервер').waitFor();
  });

  it('logged no console errors', () => {
    expect(consoleErrors).toEqual([]);
  });
});
