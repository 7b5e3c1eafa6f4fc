/**
 * The journal in Chromium: a day of 50 staff × 400 bookings and a week of 2,000, timed from the journal's
 * answer arriving to every booking on the grid; dragging a booking across the day, its long tasks. Each is
 * printed against the limit and against a reference measured in the same page and run: appending
 * and laying out as many plain divs carrying the same text.
 */
import type { Browser, Page } from 'playwright-core';
import { DateTime } from 'luxon';
import { ratio } from './ratios.js';

const STAFF = 50;
const PER_DAY = 8;
const DAYS = 5;
const RUNS = 3;
const LIMITS = { day: 500, week: 1000, longTask: 50 };

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

// Page code as functions, not text: the studio's CSP forbids eval, and Playwright evals predicates given as text.
// The server's tsconfig has no DOM types, so the page's globals are reached untyped.

/** In the page: ms from the last journal answer for `days` days to `n` bookings drawn; null until then. */
const drawn = ({ n, days }: { n: number; days: number }) => {
  const w = (globalThis as any);
  if (w.document.querySelectorAll('.jb').length < n) return null;
  const answers = w.performance.getEntriesByType('resource').filter((e: { name: string }) => e.name.includes('/booking/journal?') && e.name.includes(`days=${days}`));
  return answers.length ? w.performance.now() - answers[answers.length - 1].responseEnd : NaN;
};

/** In the page: the reference — as many plain divs with a booking's text, appended, laid out and painted. */
export const plainDivs = (n: number) => new Promise<number>((resolve) => {
  const w = (globalThis as any);
  const t0 = w.performance.now();
  const box = w.document.createElement('div');
  for (let i = 0; i < n; i++) { const d = w.document.createElement('div'); d.textContent = `10:00–11:00 Client ${i} · Classic massage`; box.appendChild(d); }
  w.document.body.appendChild(box);
  void box.offsetHeight;
  w.requestAnimationFrame(() => { const ms = w.performance.now() - t0; box.remove(); resolve(ms); });
});
const emptyGrid = () => (globalThis as any).document.querySelectorAll('.jb').length === 0;
const clearTimings = () => (globalThis as any).performance.clearResourceTimings();
const takeLongTasks = () => (globalThis as any).__longtasks.splice(0) as number[];

async function seed(url: string, token: string, monday: DateTime): Promise<string> {
  const call = async (method: string, path: string, body?: unknown, tenant?: string) => {
    const res = await fetch(url + path, { method, headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, ...(tenant ? { 'x-tenant': tenant } : {}) }, body: body === undefined ? undefined : JSON.stringify(body) });
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
    return res.json() as Promise<any>;
  };
  const slug = `journal-bench-${Date.now()}`;
  await call('POST', '/api/v1/tenants', { slug, name: 'Journal bench', timezone: 'UTC', locale: 'ru', currency: 'RUB' });
  const api = (method: string, path: string, body?: unknown) => call(method, path, body, slug);
  await api('PUT', '/api/v1/plugins/booking/config', { config: { minNoticeMinutes: 0, slotStepMinutes: 60 } });
  const departments = await Promise.all(Array.from({ length: 5 }, (_, i) => api('POST', '/api/v1/booking/departments', { name: `Department ${i + 1}` })));
  const staff: string[] = [];
  for (let i = 0; i < STAFF; i++) {
    const r = await api('POST', '/api/v1/booking/resources', { departmentId: departments[i % 5].id, kind: 'staff', name: `Specialist ${i + 1}` });
    await api('PUT', `/api/v1/booking/resources/${r.id}/schedule`, { intervals: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, startMin: 480, endMin: 1200 })) });
    staff.push(r.id);
  }
  const service = await api('POST', '/api/v1/booking/services', { departmentId: departments[0].id, name: 'Classic massage', durationMin: 60, price: 3000 });
  await api('PUT', `/api/v1/booking/services/${service.id}/staff`, { items: staff.map((resourceId) => ({ resourceId })) });
  const jobs = Array.from({ length: DAYS * STAFF * PER_DAY }, (_, i) => ({ day: Math.floor(i / (STAFF * PER_DAY)), staff: staff[Math.floor(i / PER_DAY) % STAFF], hour: 8 + (i % PER_DAY), i }));
  // A few at a time: the server books each in its own transaction.
  for (let k = 0; k < jobs.length; k += 16) {
    await Promise.all(jobs.slice(k, k + 16).map((j) => api('POST', '/api/v1/bookings', {
      serviceId: service.id, start: monday.plus({ days: j.day, hours: j.hour }).toUTC().toISO(), resourceIds: [j.staff],
      client: { name: `Client ${j.i}`, phone: `+7916${String(1_000_000 + j.i).padStart(7, '0')}` },
    })));
  }
  return slug;
}

async function timeDrawn(page: Page, n: number, days: number, show: () => Promise<void>, away: () => Promise<void>): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    await away();
    await page.waitForFunction(emptyGrid);
    await page.evaluate(clearTimings);
    await show();
    times.push((await (await page.waitForFunction(drawn, { n, days }, { polling: 'raf', timeout: 180_000 })).jsonValue()) as number);
  }
  return times;
}

export async function journalBench(opts: { url: string; browser: Browser; email: string; password: string; token: string }): Promise<void> {
  const { url, browser } = opts;
  const today = DateTime.utc().startOf('day');
  const monday = today.plus({ days: 7 + ((8 - today.weekday) % 7) });
  const slug = await seed(url, opts.token, monday);
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'ru-RU' });
  try {
    const login = await context.request.post(`${url}/api/v1/auth/login`, { data: { email: opts.email, password: opts.password } });
    if (!login.ok()) throw new Error(`login: ${login.status()}`);
    await context.addInitScript(`localStorage.setItem('bookflow.tenant', ${JSON.stringify(slug)}); localStorage.setItem('bookflow.locale', 'ru');
      window.__longtasks = []; new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__longtasks.push(e.duration); }).observe({ type: 'longtask', buffered: true });`);
    const page = await context.newPage();
    // A week's grid may hold the main thread a long while on a loaded machine: that is measured, not a failure.
    page.setDefaultTimeout(180_000);
    page.on('dialog', (d) => void d.dismiss());
    await page.goto(`${url}/studio/booking/journal`);
    const date = page.getByLabel('Дата', { exact: true });
    await date.waitFor();
    const [day, empty] = [monday.toISODate()!, monday.minus({ days: 7 }).toISODate()!];
    const dayTimes = await timeDrawn(page, STAFF * PER_DAY, 1, () => date.fill(day), () => date.fill(empty));
    const dayDivs: number[] = [];
    for (let i = 0; i < RUNS; i++) dayDivs.push(await page.evaluate(plainDivs, STAFF * PER_DAY));

    // Dragging one booking across columns and hours, the mouse still down: what the main thread does meanwhile.
    await date.fill(day);
    await page.waitForFunction(drawn, { n: STAFF * PER_DAY, days: 1 }, { polling: 'raf', timeout: 180_000 });
    const ev = page.locator('.rbc-event').first();
    await ev.scrollIntoViewIfNeeded();
    const b = (await ev.boundingBox())!;
    await page.evaluate(takeLongTasks);
    await page.mouse.move(b.x + b.width / 2, b.y + 5);
    await page.mouse.down();
    const steps = 60;
    for (let i = 1; i <= steps; i++) await page.mouse.move(b.x + b.width / 2 + i * 6, b.y + 5 + i * 3);
    const longTasks = await page.evaluate(takeLongTasks);
    await page.mouse.up();

    await page.getByLabel('Вид').selectOption('week');
    const next = page.getByRole('button', { name: 'Следующий день' });
    const prev = page.getByRole('button', { name: 'Предыдущий день' });
    await page.waitForFunction(drawn, { n: STAFF * PER_DAY * DAYS, days: 7 }, { polling: 'raf', timeout: 180_000 });
    const weekTimes = await timeDrawn(page, STAFF * PER_DAY * DAYS, 7, () => prev.click(), () => next.click());
    const weekDivs: number[] = [];
    for (let i = 0; i < RUNS; i++) weekDivs.push(await page.evaluate(plainDivs, STAFF * PER_DAY * DAYS));

    const line = (what: string, times: number[], divs: number[], limit: number) => console.log(
      `studio journal: ${what}: median ${median(times).toFixed(0)} ms after the data arrived (min ${Math.min(...times).toFixed(0)}, max ${Math.max(...times).toFixed(0)}, ${times.length} runs)`
      + ` = ${(median(times) / limit).toFixed(2)} × the ${limit} ms limit, ${(median(times) / median(divs)).toFixed(1)} × ${divs === dayDivs ? STAFF * PER_DAY : STAFF * PER_DAY * DAYS} plain divs (${median(divs).toFixed(1)} ms)`);
    line(`day, ${STAFF} staff × ${STAFF * PER_DAY} bookings`, dayTimes, dayDivs, LIMITS.day);
    line(`week, ${STAFF * PER_DAY * DAYS} bookings`, weekTimes, weekDivs, LIMITS.week);
    const worst = longTasks.length ? Math.max(...longTasks) : 0;
    const bench = 'studio';
    ratio({ bench, measure: `journal day of ${STAFF * PER_DAY} drawn / the issue's limit`, value: median(dayTimes), reference: LIMITS.day, unit: 'ms', goal: { max: 1 } });
    ratio({ bench, measure: `journal day of ${STAFF * PER_DAY} drawn / as many plain divs`, value: median(dayTimes), reference: median(dayDivs), unit: 'ms' });
    ratio({ bench, measure: `journal week of ${STAFF * PER_DAY * DAYS} drawn / the issue's limit`, value: median(weekTimes), reference: LIMITS.week, unit: 'ms', goal: { max: 1 } });
    ratio({ bench, measure: `journal week of ${STAFF * PER_DAY * DAYS} drawn / as many plain divs`, value: median(weekTimes), reference: median(weekDivs), unit: 'ms' });
    ratio({ bench, measure: 'journal drag: longest task / 50 ms (60 fps)', value: worst, reference: LIMITS.longTask, unit: 'ms', goal: { max: 1 } });
    console.log(`studio journal: drag over ${steps} mouse moves in the day of ${STAFF * PER_DAY}: ${longTasks.filter((d) => d > LIMITS.longTask).length} long tasks > ${LIMITS.longTask} ms, the longest ${worst.toFixed(0)} ms = ${(worst / LIMITS.longTask).toFixed(2)} × the ${LIMITS.longTask} ms budget of a 60 fps drag`);
  } finally {
    await context.close();
  }
}
