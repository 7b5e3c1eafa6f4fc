/**
 * A local stand-in for SMS.ru's HTTP API on a real port: point SMSRU_API_ROOT (config smsRuApiRoot) at
 * `url`. It answers POST /sms/send and POST /my/balance with form fields and `json=1` answers as SMS.ru
 * documents them: `api_id` or `login` + `password`, `to`, `msg`, `from`, `test`; top-level and per-number
 * `status` / `status_code` / `status_text`, `sms_id`, `balance`. GET is refused with 210, as SMS.ru does.
 */
import http from 'node:http';
import { HttpStandIn } from './http-standin.js';

export interface SentSms {
  to: string;
  msg: string;
  from?: string;
  test: boolean;
  smsId: string;
}

const TEXTS: Record<number, string> = {
  200: 'Неправильный api_id',
  201: 'Не хватает средств на лицевом счету',
  202: 'Неправильно указан номер телефона получателя, либо на него нет маршрута',
  203: 'Нет текста сообщения',
  204: 'Имя отправителя не согласовано с администрацией',
  210: 'Используется GET, где необходимо использовать POST',
  211: 'Метод не найден',
  220: 'Сервис временно недоступен, попробуйте чуть позже',
  301: 'Неправильный api_id, либо логин/пароль',
};

export class SmsRuStandIn extends HttpStandIn {
  readonly sent: SentSms[] = [];
  /** every request: path and its form fields */
  readonly requests: Array<{ method: string; path: string; fields: Record<string, string> }> = [];
  readonly apiIds = new Set<string>();
  readonly accounts = new Map<string, string>();
  readonly approvedSenders = new Set<string>();
  /** numbers the operator has no route to (answered 202 per number) */
  readonly invalidNumbers = new Set<string>();
  /** the cost of one message; the account runs dry at balance < price (201) */
  balance = 100;
  price = 4;
  /** the next send is answered with this top-level code (e.g. 220 service unavailable) */
  failNext?: number;
  private nextId = 1;

  static start(): Promise<SmsRuStandIn> {
    return new SmsRuStandIn().listen();
  }

  protected async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const url = new URL(req.url ?? '/', 'http://x');
    const fields = Object.fromEntries(new URLSearchParams(req.method === 'POST' ? Buffer.concat(chunks).toString('utf8') : url.search));
    this.requests.push({ method: req.method ?? '', path: url.pathname, fields });
    const answer = (body: unknown) => {
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify(body));
    };
    const error = (code: number) => answer({ status: 'ERROR', status_code: code, status_text: TEXTS[code] ?? 'Ошибка' });
    if (req.method !== 'POST') return error(210);
    const authed = fields.api_id ? this.apiIds.has(fields.api_id) : this.accounts.get(fields.login ?? '') === fields.password && fields.password !== undefined;
    if (!authed) return error(fields.api_id ? 200 : 301);
    if (url.pathname === '/my/balance') return answer({ status: 'OK', status_code: 100, balance: this.balance });
    if (url.pathname !== '/sms/send') return error(211);
    if (this.failNext) {
      const code = this.failNext;
      this.failNext = undefined;
      return error(code);
    }
    if (!fields.msg) return error(203);
    if (fields.from && !this.approvedSenders.has(fields.from)) return error(204);
    const sms: Record<string, unknown> = {};
    for (const to of (fields.to ?? '').split(',')) {
      if (!/^\d{10,15}$/.test(to) || this.invalidNumbers.has(to)) sms[to] = { status: 'ERROR', status_code: 202, status_text: TEXTS[202] };
      else if (this.balance < this.price) sms[to] = { status: 'ERROR', status_code: 201, status_text: TEXTS[201] };
      else {
        const smsId = `202611-${String(this.nextId++).padStart(6, '0')}`;
        if (fields.test !== '1') this.balance -= this.price;
        this.sent.push({ to, msg: fields.msg, from: fields.from, test: fields.test === '1', smsId });
        sms[to] = { status: 'OK', status_code: 100, sms_id: smsId };
      }
    }
    return answer({ status: 'OK', status_code: 100, sms, balance: this.balance });
  }
}
