import crypto from 'node:crypto';
import { expect } from 'vitest';
import { processClock, type TestApp } from '../../../test/helpers/app.js';
import { sentCodes } from './code-sink.js';

export interface Salon {
  tenant: string;
  tenantId: string;
  token: string;
  departmentId: string;
  staff: string[];
  roomId: string;
  serviceId: string;
  api: (method: string, path: string, body?: unknown) => Promise<{ status: number; body: any; headers: Headers }>;
}

const tokens = new WeakMap<TestApp, string>();

/** The Monday at least a week after `from` (the process clock's today, UTC), as yyyy-mm-dd; tests book on days that surely are ahead. */
export function nextMonday(from = processClock.now()): string {
  const d = new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), from.getUTCDate() + 7));
  while (d.getUTCDay() !== 1) d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

/**
 * A fresh business with one department, `staffCount` therapists working Mon–Sun 10:00–19:00 (break 14–15),
 * one room, and a 60-minute massage with a 10-minute buffer after, needing a therapist and the room.
 */
export async function makeSalon(t: TestApp, opts: { timezone?: string; staffCount?: number; config?: Record<string, unknown>; bufferAfter?: number } = {}): Promise<Salon> {
  // One sign-in per server: the login route is rate-limited.
  const token = tokens.get(t) ?? (await t.login(t.owner.email, t.owner.password));
  tokens.set(t, token);
  const tenant = `s-${crypto.randomBytes(4).toString('hex')}`;
  const created = await t.api('POST', '/api/v1/tenants', { token, body: { slug: tenant, name: 'Test salon', timezone: opts.timezone ?? 'Europe/Moscow', locale: 'ru', currency: 'RUB' } });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const api = (method: string, path: string, body?: unknown) => t.api(method, path, { token, tenant, body });
  const ok = async (method: string, path: string, body?: unknown) => {
    const res = await api(method, path, body);
    expect(res.status, `${method} ${path}: ${JSON.stringify(res.body)}`).toBeLessThan(300);
    return res.body;
  };
  await ok('PUT', '/api/v1/plugins/booking/config', { config: { minNoticeMinutes: 0, slotStepMinutes: 30, publicRateLimitPerMinute: 100000, ...opts.config } });
  const dep = await ok('POST', '/api/v1/booking/departments', { name: 'Массаж' });
  const staff: string[] = [];
  for (let i = 0; i < (opts.staffCount ?? 2); i++) {
    const r = await ok('POST', '/api/v1/booking/resources', { departmentId: dep.id, kind: 'staff', name: `Мастер ${i + 1}` });
    await ok('PUT', `/api/v1/booking/resources/${r.id}/schedule`, {
      intervals: [1, 2, 3, 4, 5, 6, 7].flatMap((weekday) => [{ weekday, startMin: 600, endMin: 840 }, { weekday, startMin: 900, endMin: 1140 }]),
    });
    staff.push(r.id);
  }
  const room = await ok('POST', '/api/v1/booking/resources', { departmentId: dep.id, kind: 'room', name: 'Кабинет 1' });
  const service = await ok('POST', '/api/v1/booking/services', { departmentId: dep.id, name: 'Классический массаж', durationMin: 60, price: 3000, bufferAfterMin: opts.bufferAfter ?? 0, resourceIds: [room.id] });
  await ok('PUT', `/api/v1/booking/services/${service.id}/staff`, { items: staff.map((resourceId) => ({ resourceId })) });
  return { tenant, tenantId: created.body.id, token, departmentId: dep.id, staff, roomId: room.id, serviceId: service.id, api };
}

/** Proves a phone (or email) the way a widget does: request a code, read it where it was sent, confirm it. */
export async function verify(t: TestApp, s: Salon, contact: { phone: string } | { email: string }): Promise<string> {
  const sent = sentCodes();
  const requested = await t.api('POST', `/api/v1/public/${s.tenant}/verifications`, { body: contact });
  expect(requested.status, JSON.stringify(requested.body)).toBe(201);
  const code = sent[sent.length - 1].code;
  const confirmed = await t.api('POST', `/api/v1/public/${s.tenant}/verifications/${requested.body.id}/confirm`, { body: { code } });
  expect(confirmed.status, JSON.stringify(confirmed.body)).toBe(200);
  return confirmed.body.verificationToken;
}
