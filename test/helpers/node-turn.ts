/**
 * Chat turns through one node type, for plugin authors: the real app (only the plugins asked for and their
 * dependencies) on a fresh database, a bot in webhook mode against the Bot API stand-in, and a tiny
 * published flow around the node. See test/helpers/README.md.
 */
import crypto from 'node:crypto';
import type { Locale } from '../../plugin-sdk.js';
import { startTestApp, type TestApp, type TestAppOptions } from './app.js';
import { BotApiStandIn, inlineButtons } from './bot-api-standin.js';

export interface NodeTurnOptions {
  nodeType: string;
  settings?: Record<string, unknown>;
  /** variables set before the node runs (declared as `json` in the flow) */
  vars?: Record<string, unknown>;
  /** more variables to declare (`json`), e.g. the one a `saveAs` setting names */
  declare?: string[];
  /** the client's Telegram language (default en) */
  language?: Locale;
}

/** What a client answers a node that waits. */
export type ClientAnswer = { text: string } | { button: string } | { contact: string };

export interface NodeTurn {
  chatId: number;
  /** what the bot sent in this turn: the stand-in's sendMessage / sendPhoto payloads */
  messages: Array<Record<string, any>>;
  /** the port the node followed (`error` when it threw: `vars.lastError` says why); null while it waits */
  port: string | null;
  /** the session's variables after the turn */
  vars: Record<string, unknown>;
  /** the client's next update in the same chat */
  reply(answer: ClientAnswer): Promise<NodeTurn>;
}

export interface NodeTurnKit {
  t: TestApp;
  standin: BotApiStandIn;
  /** the owner's sign-in token; the flows and the bot belong to the demo business */
  token: string;
  /** Publishes a flow around the node and has a new client start it: one turn. */
  runNodeTurn(opts: NodeTurnOptions): Promise<NodeTurn>;
  /** The same in two steps: the flow is published now, the turn runs on `start()` (e.g. once a test has set the stage). */
  nodeFlow(opts: NodeTurnOptions): Promise<{ start(): Promise<NodeTurn> }>;
  close(): Promise<void>;
}

const PORT_VAR = 'kitPort';
let kits = 0;

/** The node's ports for these settings: fixed ones, one per item of its dynamic-port array, and `error`. */
function portsOf(def: { ports: Array<{ id: string }>; dynamicPorts?: { from: string; idKey: string } }, settings: Record<string, unknown>): string[] {
  const dynamic = def.dynamicPorts ? ((settings[def.dynamicPorts.from] as Array<Record<string, string>> | undefined) ?? []).map((item) => item[def.dynamicPorts!.idKey]) : [];
  return [...new Set([...def.ports.map((p) => p.id), ...dynamic, 'error'])];
}

/**
 * Starts the app with `plugins` (and their dependencies) enabled for the demo business, a bot connected
 * over a webhook, and the stand-in. `enable: false` leaves the plugins off (to test that they stay quiet).
 */
export async function startNodeTurnKit(opts: { plugins: string[]; enable?: boolean } & Omit<TestAppOptions, 'plugins'>): Promise<NodeTurnKit> {
  const standin = await BotApiStandIn.start();
  const t = await startTestApp({ ...opts, config: { telegramApiRoot: standin.url, publicUrl: 'https://kit.example.test', ...opts.config } });
  standin.webhookTarget = t.url;
  const token = await t.login(t.owner.email, t.owner.password);
  const api = (method: string, url: string, body?: unknown) => t.api(method, url, { token, tenant: 'demo', body });
  if (opts.enable !== false) {
    for (const p of t.app.host.plugins) {
      const res = await api('PUT', `/api/v1/plugins/${p.manifest.id}/enabled`, { enabled: true });
      if (res.status !== 200) throw new Error(`enabling ${p.manifest.id}: ${res.status} ${JSON.stringify(res.body)}`);
    }
  }
  const kit = ++kits;
  const botToken = `${900000 + kit}:kit-token-${crypto.randomBytes(12).toString('hex')}`;
  const bot = await api('POST', '/api/v1/bots', { name: 'Kit bot', token: botToken });
  if (bot.status !== 201) throw new Error(`connecting the kit's bot: ${bot.status} ${JSON.stringify(bot.body)}`);
  let turns = 0;

  async function turn(chatId: number, send: () => Promise<{ status?: number }>): Promise<NodeTurn> {
    const before = standin.sent(chatId).length;
    const { status } = await send();
    if (status !== 200) throw new Error(`the webhook answered ${status}`);
    await t.app.flows.telegram.settled();
    const session = await t.app.db.db.selectFrom('flow_sessions').select(['vars', 'status']).where('conversation_key', '=', `tg:${bot.body.id}:${chatId}`).executeTakeFirstOrThrow();
    const vars = session.vars as Record<string, unknown>;
    const messages = standin.sent(chatId).slice(before);
    return {
      chatId, messages, vars,
      port: session.status === 'ended' && typeof vars[PORT_VAR] === 'string' ? (vars[PORT_VAR] as string) : null,
      reply(answer) {
        if ('text' in answer) return turn(chatId, () => standin.text(botToken, chatId, answer.text));
        if ('contact' in answer) return turn(chatId, () => standin.contact(botToken, chatId, answer.contact));
        const button = [...messages].reverse().flatMap((m) => inlineButtons(m)).find((b) => b.text === answer.button);
        if (!button) throw new Error(`no button "${answer.button}" in ${JSON.stringify(messages.map((m) => m.text))}`);
        return turn(chatId, () => standin.press(botToken, chatId, button.callback_data));
      },
    };
  }

  return {
    t, standin, token,
    async runNodeTurn(o) {
      return (await nodeFlow(o)).start();
    },
    nodeFlow,
    async close() {
      await t.close();
      await standin.close();
    },
  };

  async function nodeFlow(o: NodeTurnOptions): Promise<{ start(): Promise<NodeTurn> }> {
    const def = (await t.app.flows.registry.forTenant(t.demoTenantId)).find((d) => d.type === o.nodeType);
    if (!def) throw new Error(`no node type ${o.nodeType} is enabled for the demo business`);
    const n = ++turns;
    const settings = o.settings ?? {};
    const vars = Object.entries(o.vars ?? {});
    const ports = portsOf(def, settings);
    const at = { x: 0, y: 0 };
    const graph = {
      schemaVersion: 1,
      variables: [...new Set([...vars.map(([name]) => name), ...(o.declare ?? [])])].map((name) => ({ name, type: 'json' })).concat({ name: PORT_VAR, type: 'string' }),
      nodes: [
        { id: 'start', type: 'trigger.command', position: at, settings: { command: `/kit${n}` } },
        ...(vars.length ? [{ id: 'vars', type: 'set', position: at, settings: { assignments: vars.map(([name, value]) => ({ var: name, value })) } }] : []),
        { id: 'node', type: o.nodeType, position: at, settings },
        ...ports.flatMap((p) => [
          { id: `port-${p}`, type: 'set', position: at, settings: { assignments: [{ var: PORT_VAR, value: p }] } },
          { id: `end-${p}`, type: 'end', position: at, settings: {} },
        ]),
      ],
      edges: [
        { id: 'e-start', source: 'start', sourcePort: 'next', target: vars.length ? 'vars' : 'node' },
        ...(vars.length ? [{ id: 'e-vars', source: 'vars', sourcePort: 'next', target: 'node' }] : []),
        ...ports.flatMap((p) => [
          { id: `e-${p}`, source: 'node', sourcePort: p, target: `port-${p}` },
          { id: `e-end-${p}`, source: `port-${p}`, sourcePort: 'next', target: `end-${p}` },
        ]),
      ],
    };
    const flow = await api('POST', '/api/v1/flows', { key: `kit-${n}`, name: `Kit ${n}`, graph });
    if (flow.status !== 201) throw new Error(`creating the flow: ${flow.status} ${JSON.stringify(flow.body)}`);
    const published = await api('POST', `/api/v1/flows/${flow.body.id}/publish`);
    if (published.status !== 200) throw new Error(`the node's flow does not validate: ${JSON.stringify(published.body.details?.errors ?? published.body)}`);
    const chatId = 700_000 + kit * 1000 + n;
    return { start: () => turn(chatId, () => standin.text(botToken, chatId, `/kit${n}`, { language: o.language ?? 'en' })) };
  }
}
