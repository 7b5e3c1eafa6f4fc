import { DateTime } from 'luxon';
import type { NodeRunInput, NodeRunResult, OutgoingMessage } from '../../../plugin-sdk.js';
import { engineText } from '../texts.js';
import { evaluate, lookup, pick, render } from '../template.js';
import { fetchPublic } from './outbound-url.js';
import { toE164 } from '../../contacts/phone.js';

/** What a core node may ask of the engine beyond a plugin node's result. */
export interface CoreRunResult extends NodeRunResult {
  /** continue in another flow of the business */
  jump?: string;
  /** end the session after this node's messages */
  end?: boolean;
  /** park the session for this long, then follow `next` (durable) */
  delayMs?: number;
  /** arm a no-reply timer: if the client says nothing for this long, follow `timeout` */
  noReplyMs?: number;
  /** notify staff and leave the dialog to a human */
  handoff?: { note: string };
}

export interface CoreRunEnv {
  /** whether this node's port has an edge */
  hasEdge(port: string): boolean;
  /** ports leading to a step whose plugin the business has switched off: their buttons are not shown */
  offPorts: ReadonlySet<string>;
  timezone: string;
  /** the business's country: phones typed without a code are read as it dials them */
  country: string;
  /** the app clock's now */
  now: Date;
}

export type CoreRuntime = (input: NodeRunInput, env: CoreRunEnv) => Promise<CoreRunResult>;

const UNIT_MS = { seconds: 1000, minutes: 60_000, hours: 3_600_000, days: 86_400_000 } as const;
const durationMs = (d: { amount: number; unit: keyof typeof UNIT_MS }) => Math.round(d.amount * UNIT_MS[d.unit]);
const text = (input: NodeRunInput, t: unknown) => render(pick(t, input.locale), input.vars);

function parseNumber(raw: string): number | undefined {
  const cleaned = raw.trim().replace(/\s/g, '').replace(',', '.');
  if (!/^-?\d+(\.\d+)?$/.test(cleaned)) return undefined;
  return Number(cleaned);
}


const DATE_FORMATS = ['yyyy-MM-dd', 'dd.MM.yyyy', 'd.M.yyyy', 'dd/MM/yyyy', 'd/M/yyyy', 'dd.MM.yy', 'd.M.yy', 'dd.MM', 'd.M'];

/** A calendar date typed by a client, as yyyy-MM-dd; a day without a year is the next such day (29.02: the next leap year's). */
export function parseDate(raw: string, timezone: string, now: Date): string | undefined {
  const value = raw.trim();
  const today = DateTime.fromJSDate(now, { zone: timezone }).startOf('day');
  for (const format of DATE_FORMATS) {
    if (format.includes('y')) {
      const dt = DateTime.fromFormat(value, format, { zone: timezone });
      if (dt.isValid) return dt.toISODate() ?? undefined;
      continue;
    }
    // The year is given explicitly: Luxon would fill it from the real time, not from the clock.
    for (let year = today.year; year <= today.year + 4; year++) {
      const dt = DateTime.fromFormat(`${value}/${year}`, `${format}/yyyy`, { zone: timezone });
      if (dt.isValid && dt >= today) return dt.toISODate() ?? undefined;
    }
  }
  return undefined;
}

function validateInput(input: NodeRunInput, env: CoreRunEnv): unknown {
  const s = input.settings;
  const raw = input.input?.text ?? '';
  switch (s.kind) {
    case 'number': {
      const n = parseNumber(raw);
      if (n === undefined || (s.min !== undefined && n < s.min) || (s.max !== undefined && n > s.max)) return undefined;
      return n;
    }
    case 'phone':
      return toE164(input.input?.contact?.phone ?? raw, env.country) ?? undefined;
    case 'date':
      return parseDate(raw, env.timezone, env.now);
    default: {
      const t = raw.trim();
      if (!t || (s.min !== undefined && t.length < s.min) || (s.max !== undefined && t.length > s.max)) return undefined;
      return t;
    }
  }
}

/** A condition check, shared by the condition node and event trigger filters. */
export function compare(actual: unknown, op: string, expected: unknown): boolean {
  const a = typeof actual === 'string' && actual !== '' && !Number.isNaN(Number(actual)) ? Number(actual) : actual;
  const e = typeof expected === 'string' && expected !== '' && !Number.isNaN(Number(expected)) ? Number(expected) : expected;
  switch (op) {
    case 'eq': return String(a ?? '') === String(e ?? '');
    case 'neq': return String(a ?? '') !== String(e ?? '');
    case 'gt': return (a as number) > (e as number);
    case 'gte': return (a as number) >= (e as number);
    case 'lt': return (a as number) < (e as number);
    case 'lte': return (a as number) <= (e as number);
    case 'contains': return Array.isArray(actual) ? actual.map(String).includes(String(expected)) : String(actual ?? '').toLowerCase().includes(String(expected ?? '').toLowerCase());
    case 'empty': return actual === undefined || actual === null || actual === '' || (Array.isArray(actual) && actual.length === 0);
    case 'notEmpty': return !compare(actual, 'empty', undefined);
    default: return false;
  }
}

function choiceMessage(input: NodeRunInput, off: ReadonlySet<string>): OutgoingMessage {
  const s = input.settings;
  const columns = s.columns ?? 1;
  const buttons: OutgoingMessage['buttons'] = [];
  (s.buttons as Array<{ id: string; label: unknown }>).filter((b) => !off.has(b.id)).forEach((b, i) => {
    if (i % columns === 0) buttons.push([]);
    buttons[buttons.length - 1].push({ label: text(input, b.label), value: b.id });
  });
  return { text: text(input, s.text), buttons };
}

const pass: CoreRuntime = async () => ({ next: 'next' });

/** Runtimes of the core node types; declarative definitions are in ./definitions.ts. */
export const CORE_RUNTIMES: Record<string, CoreRuntime> = {
  'trigger.command': pass,
  'trigger.keyword': pass,
  'trigger.menu': pass,
  'trigger.deeplink': pass,
  'trigger.event': pass,

  async message(input) {
    const s = input.settings;
    return { messages: [{ text: text(input, s.text), ...(s.photo ? { photo: render(s.photo, input.vars) } : {}) }], next: 'next' };
  },

  async choice(input, env) {
    const s = input.settings;
    if (!input.input) return { messages: [choiceMessage(input, env.offPorts)], wait: true };
    const buttons = (s.buttons as Array<{ id: string; label: Record<string, string> }>).filter((b) => !env.offPorts.has(b.id));
    // A button shown before its step's plugin was switched off: say so and show what is left.
    if (input.input.callback && env.offPorts.has(input.input.callback)) {
      return { messages: [{ text: engineText('unavailable', input.locale) }, choiceMessage(input, env.offPorts)], wait: true };
    }
    const typed = input.input.text?.trim().toLowerCase();
    const chosen = buttons.find((b) => b.id === input.input!.callback) ?? (typed ? buttons.find((b) => Object.values(b.label).some((l) => render(l, input.vars).trim().toLowerCase() === typed)) : undefined);
    if (chosen) return { set: s.saveAs ? { [s.saveAs]: chosen.id } : undefined, next: chosen.id };
    if (!env.hasEdge('fallback')) return { messages: [choiceMessage(input, env.offPorts)], wait: true };
    return { set: { lastInput: input.input.text ?? '', ...(s.saveAs ? { [s.saveAs]: input.input.text ?? '' } : {}) }, next: 'fallback' };
  },

  async input(input, env) {
    const s = input.settings;
    const ask = (t: string): CoreRunResult => ({
      messages: [{ text: t, ...(s.kind === 'phone' ? { requestContact: { label: s.shareLabel ? text(input, s.shareLabel) : engineText('shareContact', input.locale) } } : {}) }],
      wait: true,
    });
    if (!input.input) return { ...ask(text(input, s.text)), set: { __attempts: 0 } };
    const value = validateInput(input, env);
    if (value !== undefined) return { set: { [s.saveAs]: value, lastInput: input.input.text ?? '', __attempts: 0 }, next: 'next' };
    const attempts = Number(input.vars.__attempts ?? 0) + 1;
    if (s.maxAttempts && attempts >= s.maxAttempts && env.hasEdge('failed')) return { set: { __attempts: 0 }, next: 'failed' };
    return { ...ask(s.retryText ? text(input, s.retryText) : engineText('reask', input.locale)), set: { __attempts: attempts } };
  },

  async condition(input) {
    for (const rule of input.settings.rules as Array<{ id: string; all: Array<{ var: string; op: string; value?: unknown }> }>) {
      if (rule.all.every((c) => compare(lookup(input.vars, c.var), c.op, evaluate(c.value, input.vars)))) return { next: rule.id };
    }
    return { next: 'else' };
  },

  async set(input) {
    const set: Record<string, unknown> = {};
    for (const a of input.settings.assignments as Array<{ var: string; value: unknown }>) set[a.var] = evaluate(a.value, { ...input.vars, ...set });
    return { set, next: 'next' };
  },

  async jump(input) {
    return { jump: input.settings.flowKey };
  },

  async wait(input) {
    return { delayMs: durationMs(input.settings.delay) };
  },

  async timeout(input) {
    return { noReplyMs: durationMs(input.settings.after), next: 'next' };
  },

  async http(input) {
    const s = input.settings;
    const headers = Object.fromEntries(Object.entries((s.headers ?? {}) as Record<string, string>).map(([k, v]) => [k, render(v, input.vars)]));
    const res = await fetchPublic(render(s.url, input.vars), {
      method: s.method,
      headers: s.body ? { 'content-type': 'application/json', ...headers } : headers,
      body: s.body && s.method !== 'GET' ? render(s.body, input.vars) : undefined,
      signal: AbortSignal.timeout(s.timeoutMs ?? 10_000),
    });
    let body: unknown = res.text;
    try { body = JSON.parse(res.text); } catch { /* a text answer stays text */ }
    if (!res.ok) throw new Error(`HTTP ${res.status} from ${res.url.host}`);
    return { set: s.saveAs ? { [s.saveAs]: { status: res.status, body } } : undefined, next: 'next' };
  },

  async handoff(input) {
    const s = input.settings;
    return { messages: [{ text: s.text ? text(input, s.text) : engineText('handoffClient', input.locale) }], handoff: { note: render(s.note ?? '', input.vars) } };
  },

  async end(input) {
    return { messages: input.settings.text ? [{ text: text(input, input.settings.text) }] : [], end: true };
  },
};
