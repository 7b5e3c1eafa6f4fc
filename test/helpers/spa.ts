import crypto from 'node:crypto';
import { expect } from 'vitest';
import { processClock, type TestApp } from './app.js';

export interface Spa {
  tenant: string;
  tenantId: string;
  token: string;
  departmentId: string;
  staff: string[];
  serviceId: string;
  api: (method: string, path: string, body?: unknown) => Promise<{ status: number; body: any; headers: Headers }>;
}

/** The Monday at least a week after the process clock's today, yyyy-mm-dd: a day surely ahead. */
export function nextMonday(from = processClock.now()): string {
  const d = new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), from.getUTCDate() + 7));
  while (d.getUTCDay() !== 1) d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

/** A fresh business in Moscow: `staffCount` therapists every day 10:00–19:00 (break 14–15), one room, a 60-minute massage needing both. */
export async function makeSpa(t: TestApp, staffCount = 3): Promise<Spa> {
  const token = await t.login(t.owner.email, t.owner.password);
  const tenant = `spa-${crypto.randomBytes(4).toString('hex')}`;
  const created = await t.api('POST', '/api/v1/tenants', { token, body: { slug: tenant, name: 'Test spa', timezone: 'Europe/Moscow', locale: 'ru', currency: 'RUB' } });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const api = (method: string, path: string, body?: unknown) => t.api(method, path, { token, tenant, body });
  const ok = async (method: string, path: string, body?: unknown) => {
    const res = await api(method, path, body);
    expect(res.status, `${method} ${path}: ${JSON.stringify(res.body)}`).toBeLessThan(300);
    return res.body;
  };
  await ok('PUT', '/api/v1/plugins/booking/config', { config: { minNoticeMinutes: 0, slotStepMinutes: 30 } });
  const dep = await ok('POST', '/api/v1/booking/departments', { name: 'Массаж' });
  const staff: string[] = [];
  for (let i = 0; i < staffCount; i++) {
    const r = await ok('POST', '/api/v1/booking/resources', { departmentId: dep.id, kind: 'staff', name: `Мастер ${i + 1}` });
    await ok('PUT', `/api/v1/booking/resources/${r.id}/schedule`, { intervals: [1, 2, 3, 4, 5, 6, 7].flatMap((weekday) => [{ weekday, startMin: 600, endMin: 840 }, { weekday, startMin: 900, endMin: 1140 }]) });
    staff.push(r.id);
  }
  const room = await ok('POST', '/api/v1/booking/resources', { departmentId: dep.id, kind: 'room', name: 'Кабинет 1' });
  const service = await ok('POST', '/api/v1/booking/services', { departmentId: dep.id, name: 'Классический массаж', durationMin: 60, price: 3000, resourceIds: [room.id] });
  await ok('PUT', `/api/v1/booking/services/${service.id}/staff`, { items: staff.map((resourceId) => ({ resourceId })) });
  return { tenant, tenantId: created.body.id, token, departmentId: dep.id, staff, serviceId: service.id, api };
}
