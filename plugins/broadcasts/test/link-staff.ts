import { expect } from 'vitest';
import type { TestApp } from '../../../test/helpers/app.js';
import type { BotApiStandIn } from '../../../test/helpers/bot-api-standin.js';

/**
 * Links a member's Telegram chat as the studio has members do it: a staff flow answering the bot's deep link, and
 * the member's one-time code opened in that chat (notifications keeps the link).
 */
export async function linkStaffChat(t: TestApp, member: string, standin: BotApiStandIn, botToken: string, chat: number): Promise<void> {
  const call = (method: string, path: string, body?: unknown) => t.api(method, path, { token: member, tenant: 'demo', body });
  const flow = await call('POST', '/api/v1/flows', { key: 'staff-link', name: 'Staff', graph: {
    schemaVersion: 1, variables: [{ name: 'startPayload', type: 'string' }],
    nodes: [
      { id: 'start', type: 'trigger.deeplink', position: { x: 0, y: 0 }, settings: { prefix: 'staff-', saveAs: 'startPayload' } },
      { id: 'link', type: 'notifications.link-staff', position: { x: 0, y: 0 }, settings: {} },
    ],
    edges: [{ id: 'e1', source: 'start', sourcePort: 'next', target: 'link' }],
  } });
  expect((await call('POST', `/api/v1/flows/${flow.body.id}/publish`)).status).toBe(200);
  const code = await call('POST', '/api/v1/notifications/staff/link-code');
  const before = standin.sent(chat).length;
  await standin.text(botToken, chat, `/start ${code.body.start}`);
  await standin.waitForSent(chat, before + 1);
  expect((await call('GET', '/api/v1/notifications/staff/me')).body).toMatchObject({ linked: true });
}
