import type { ChannelSendResult } from '../../../plugin-sdk.js';
import type { SmsSettings } from '../settings.js';
import type { SmsProvider } from './provider.js';

interface SmsRuAnswer {
  status?: string;
  status_code?: number;
  status_text?: string;
  sms?: Record<string, { status?: string; status_code?: number; status_text?: string; sms_id?: string }>;
  balance?: number | string;
}

const MINUTE = 60_000;
/** The number cannot get this message: the next channel of the contact is tried. */
const UNREACHABLE = new Set([150, 202, 207, 209, 214, 215]);
/** Not now: money, daily or per-number limits, the service itself. */
const LATER: Record<number, number> = { 201: 60 * MINUTE, 206: 60 * MINUTE, 220: MINUTE, 230: 60 * MINUTE, 231: MINUTE, 232: 60 * MINUTE, 500: MINUTE, 503: 10 * MINUTE, 505: 10 * MINUTE, 508: 5 * MINUTE };

/**
 * What an SMS.ru status code means for the message (the codes of its HTTP API). Everything else —
 * a wrong API key or login (200, 300–302), a sender not approved (204), text refused (203, 205, 216,
 * 217, 221) — is the business's settings or content and would fail again: failed.
 */
export function smsRuResult(code: number | undefined, text: string | undefined): ChannelSendResult {
  const reason = `SMS.ru ${code ?? '?'}${text ? `: ${text}` : ''}`;
  if (code !== undefined && UNREACHABLE.has(code)) return { status: 'unreachable', reason };
  if (code !== undefined && code in LATER) return { status: 'retry', reason, afterMs: LATER[code] };
  return { status: 'failed', reason };
}

/** SMS.ru's HTTP API (`POST /sms/send`, form fields, `json=1` answers). */
export class SmsRu implements SmsProvider {
  readonly id = 'smsru';

  constructor(private readonly root: string, private readonly settings: SmsSettings) {}

  private auth(): Record<string, string> {
    const { apiId, login, password } = this.settings;
    return apiId ? { api_id: apiId } : { login: login ?? '', password: password ?? '' };
  }

  private async call(method: string, fields: Record<string, string>): Promise<SmsRuAnswer> {
    const res = await fetch(`${this.root}/${method}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ ...this.auth(), ...fields, json: '1' }),
      signal: AbortSignal.timeout(20_000),
    });
    if (!res.ok) throw Object.assign(new Error(`SMS.ru answered HTTP ${res.status}`), { httpStatus: res.status });
    return (await res.json()) as SmsRuAnswer;
  }

  async send(to: string, text: string): Promise<ChannelSendResult> {
    const number = to.replace(/^\+/, '');
    let answer: SmsRuAnswer;
    try {
      answer = await this.call('sms/send', { to: number, msg: text, ...(this.settings.sender ? { from: this.settings.sender } : {}), ...(this.settings.test ? { test: '1' } : {}) });
    } catch (e) {
      // Not reached, timed out or not JSON: the message may be tried again (SMS.ru has no idempotency key).
      return { status: 'retry', reason: (e as Error).message };
    }
    if (answer.status !== 'OK') return smsRuResult(answer.status_code, answer.status_text);
    const one = answer.sms?.[number] ?? Object.values(answer.sms ?? {})[0];
    if (one?.status === 'OK' && one.sms_id) return { status: 'sent', providerId: one.sms_id };
    return smsRuResult(one?.status_code, one?.status_text);
  }

  async balance(): Promise<{ balance: string }> {
    const answer = await this.call('my/balance', {});
    if (answer.status !== 'OK') throw new Error(`SMS.ru ${answer.status_code ?? '?'}${answer.status_text ? `: ${answer.status_text}` : ''}`);
    return { balance: String(answer.balance) };
  }
}

/** The providers a business can pick, by settings.provider. */
export const SMS_PROVIDERS: Record<SmsSettings['provider'], (settings: SmsSettings, roots: { smsru: string }) => SmsProvider> = {
  smsru: (settings, roots) => new SmsRu(roots.smsru, settings),
};
