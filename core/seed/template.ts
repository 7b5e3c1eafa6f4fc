import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';
import type { Tx } from '../../plugin-sdk.js';
import type { Graph, GraphNode } from '../flow/graph.js';
import { shapeIssues } from '../flow/validator.js';
import { createAjv } from '../validation.js';
import { dropOptional } from './optional-nodes.js';

/** A business template: data in a folder (template.json and the flow files it lists), never code. */
export interface BusinessTemplate {
  bot: { name: string; flow: string };
  /** `optional`: ids of steps dropped when they cannot run in this product (see dropOptional) */
  flows: Array<{ key: string; name: string; graph: Graph; optional: string[] }>;
  /** plugins switched on for the business besides those enabled by default (the demo's loyalty) */
  enable: string[];
}

const MANIFEST = {
  type: 'object',
  required: ['bot', 'flows'],
  properties: {
    description: { type: 'string' },
    bot: { type: 'object', required: ['name', 'flow'], properties: { name: { type: 'string', minLength: 1 }, flow: { type: 'string', minLength: 1 } }, additionalProperties: false },
    flows: { type: 'array', items: { type: 'string', pattern: '^[a-z0-9-]+\\.flow\\.json$' } },
    enable: { type: 'array', items: { type: 'string', pattern: '^[a-z0-9-]+$' } },
  },
  additionalProperties: false,
};
const FLOW_HEAD = {
  type: 'object', required: ['key', 'name'],
  properties: { key: { type: 'string', pattern: '^[a-z0-9][a-z0-9-]{0,62}$' }, name: { type: 'string', minLength: 1 }, optional: { type: 'array', items: { type: 'string' } } },
};

const ajv = createAjv();
const checkManifest = ajv.compile(MANIFEST);
const checkHead = ajv.compile(FLOW_HEAD);

/** Reads and checks a template folder; a malformed one fails the start loudly, naming the file. */
export function readTemplate(dir: string): BusinessTemplate {
  const read = (file: string) => JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as unknown;
  const manifest = read('template.json');
  if (!checkManifest(manifest)) throw new Error(`${dir}/template.json: ${ajv.errorsText(checkManifest.errors)}`);
  const { bot, flows, enable = [] } = manifest as { bot: BusinessTemplate['bot']; flows: string[]; enable?: string[] };
  return {
    bot,
    enable,
    flows: flows.map((file) => {
      const { key, name, optional = [], ...graph } = read(file) as { key: string; name: string; optional?: string[] } & Graph;
      const problems = checkHead({ key, name, optional }) ? shapeIssues(graph).map((p) => p.message) : [ajv.errorsText(checkHead.errors)];
      if (!problems.length) problems.push(...optional.filter((id) => !graph.nodes.some((n) => n.id === id)).map((id) => `optional names no node ${id}`));
      if (problems.length) throw new Error(`${dir}/${file}: ${problems.join('; ')}`);
      return { key, name, graph, optional };
    }),
  };
}

/**
 * Seeds a template into a business inside the caller's transaction: its bot (no token yet) and its flows,
 * each published as version 1. A flow using node types no loaded plugin provides is left out (a product
 * without the booking plugin gets the rest), and said so in the log; its optional steps are dropped first,
 * and so are optional jumps to flows left out.
 */
export async function seedTemplate(trx: Tx, tenantId: string, template: BusinessTemplate, nodeTypes: ReadonlySet<string>, log: Logger): Promise<void> {
  const bot = await trx.insertInto('bots')
    .values({ tenant_id: tenantId, name: template.bot.name, webhook_secret: crypto.randomBytes(24).toString('hex'), flow_key: template.bot.flow, is_demo: true, enabled: true })
    .returning('id').executeTakeFirstOrThrow();
  const kept = new Set<string>();
  for (const flow of template.flows) {
    const left = dropOptional(flow.graph, flow.optional, (n) => nodeTypes.has(n.type));
    const missing = [...new Set(left.nodes.map((n) => n.type).filter((type) => !nodeTypes.has(type)))];
    if (missing.length) log.warn({ flow: flow.key, missing }, 'a template flow needs node types no loaded plugin provides; it is left out');
    else kept.add(flow.key);
  }
  const runnable = (n: GraphNode) => nodeTypes.has(n.type) && (n.type !== 'jump' || kept.has(String(n.settings.flowKey)));
  for (const flow of template.flows.filter((f) => kept.has(f.key))) {
    const graph = JSON.stringify(dropOptional(flow.graph, flow.optional, runnable));
    const row = await trx.insertInto('flows').values({ tenant_id: tenantId, key: flow.key, name: flow.name, bot_id: bot.id, draft: graph, published_version: 1 })
      .returning('id').executeTakeFirstOrThrow();
    await trx.insertInto('flow_versions').values({ flow_id: row.id, version: 1, graph }).execute();
  }
}
