import type { ValidateFunction } from 'ajv';
import type { Locale, NodeTypeDefinition } from '../../plugin-sdk.js';
import { createAjv, fieldErrors } from '../validation.js';
import { BUILTIN_VARIABLES, type Graph, type ValidationIssue } from './graph.js';
import { GRAPH_SCHEMA } from './schema.js';
import { nodePorts } from './ports.js';
import { pick } from './template.js';

const ajv = createAjv({ useDefaults: false });
const validateShape = ajv.compile(GRAPH_SCHEMA);
const settingsValidators = new WeakMap<NodeTypeDefinition, ValidateFunction>();

function settingsValidator(def: NodeTypeDefinition): ValidateFunction {
  let v = settingsValidators.get(def);
  if (!v) {
    v = ajv.compile(def.settingsSchema);
    settingsValidators.set(def, v);
  }
  return v;
}

const TEMPLATE_VAR = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)(?:\.[A-Za-z0-9_.]+)?\s*\}\}/g;
/** Settings keys that name a variable rather than hold text. */
const VAR_KEYS = new Set(['saveAs', 'var']);

/** Every variable a node's settings mention: {{templates}} in strings and saveAs/var fields, with their JSON paths. */
function variableRefs(value: unknown, path: string, out: Array<{ name: string; path: string }>, key?: string): void {
  if (typeof value === 'string') {
    if (key && VAR_KEYS.has(key)) out.push({ name: value.split('.')[0], path });
    for (const m of value.matchAll(TEMPLATE_VAR)) out.push({ name: m[1], path });
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => variableRefs(v, `${path}/${i}`, out));
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) variableRefs(v, `${path}/${k}`, out, k);
  }
}

export interface ValidateOptions {
  /** flow keys of the business, to check jump targets */
  flowKeys?: ReadonlySet<string>;
  /** the business's language: every text a node has must be written in it (the others fall back to it) */
  locale?: Locale;
}

const isLocalizedText = (s: unknown) => !!s && typeof s === 'object' && ((s as { 'x-ui'?: { widget?: string } })['x-ui']?.widget === 'localized-text');

/** Paths of the texts in `value` (per its schema) that have no words in `locale`. */
function textsWithout(locale: Locale, schema: Record<string, any>, value: unknown, path: string, out: string[]): void {
  if (value === undefined || value === null || !schema || typeof schema !== 'object') return;
  if (isLocalizedText(schema)) {
    const t = value as Record<string, unknown>;
    // An empty text is reported by its schema already.
    if (typeof value === 'object' && Object.keys(t).length > 0 && !(typeof t[locale] === 'string' && (t[locale] as string).trim())) out.push(`${path}/${locale}`);
    return;
  }
  if (Array.isArray(value) && schema.items) value.forEach((v, i) => textsWithout(locale, schema.items, v, `${path}/${i}`, out));
  else if (typeof value === 'object' && schema.properties) {
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) textsWithout(locale, schema.properties[k], v, `${path}/${k}`, out);
  }
}

/**
 * Reports every problem of a graph at once, each with the node or edge id and a JSON path:
 * shape, unknown node types, bad settings, dangling edges, unknown ports, unconnected ports,
 * unreachable nodes, unknown variables, a missing start, unknown jump targets.
 */
/** Problems with the graph's JSON shape alone; the engine refuses to run a draft that has any. */
export function shapeIssues(graph: unknown): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  if (!validateShape(graph)) {
    const g = graph as Partial<Graph> | null;
    for (const e of validateShape.errors ?? []) {
      let path = e.instancePath;
      if (e.keyword === 'required') path += `/${(e.params as { missingProperty: string }).missingProperty}`;
      const nodeIndex = /^\/nodes\/(\d+)/.exec(path)?.[1];
      const edgeIndex = /^\/edges\/(\d+)/.exec(path)?.[1];
      issues.push({
        ...(nodeIndex !== undefined && typeof g?.nodes?.[Number(nodeIndex)]?.id === 'string' ? { nodeId: g.nodes[Number(nodeIndex)].id } : {}),
        ...(edgeIndex !== undefined && typeof g?.edges?.[Number(edgeIndex)]?.id === 'string' ? { edgeId: g.edges[Number(edgeIndex)].id } : {}),
        path: path || '/', code: 'GRAPH_SHAPE', message: e.message ?? 'is invalid',
      });
    }
  }
  return issues;
}

export function validateGraph(graph: unknown, types: ReadonlyMap<string, NodeTypeDefinition>, opts: ValidateOptions = {}): ValidationIssue[] {
  const issues = shapeIssues(graph);
  if (issues.length) return issues;
  const g = graph as Graph;
  const nodes = new Map<string, { index: number; def?: NodeTypeDefinition }>();
  g.nodes.forEach((n, index) => {
    const path = `/nodes/${index}`;
    if (nodes.has(n.id)) issues.push({ nodeId: n.id, path: `${path}/id`, code: 'NODE_DUPLICATE_ID', message: `Another node already has the id ${n.id}` });
    const def = types.get(n.type);
    nodes.set(n.id, { index, def });
    if (!def) {
      issues.push({ nodeId: n.id, path: `${path}/type`, code: 'NODE_TYPE_UNKNOWN', message: `Unknown node type ${n.type} (is its plugin enabled?)` });
      return;
    }
    const check = settingsValidator(def);
    if (!check(n.settings)) {
      // An if/then's own "must match then" repeats the error found inside it, at a vaguer path.
      // keyword and params let the studio say it in the owner's language, naming the field by its label.
      const raw = check.errors?.filter((e) => e.keyword !== 'if') ?? [];
      fieldErrors(raw, `${path}/settings`).forEach((f, i) => issues.push({ nodeId: n.id, path: f.path, code: 'NODE_SETTINGS_INVALID', message: f.message, details: { keyword: raw[i].keyword, params: raw[i].params, block: def.label } }));
    }
    if (opts.locale) {
      const missing: string[] = [];
      textsWithout(opts.locale, def.settingsSchema, n.settings, `${path}/settings`, missing);
      for (const p of missing) issues.push({ nodeId: n.id, path: p, code: 'TEXT_LOCALE_MISSING', message: `The text has no ${opts.locale} version, the business's language`, details: { locale: opts.locale } });
    }
    if (n.type === 'jump' && opts.flowKeys && typeof n.settings.flowKey === 'string' && !opts.flowKeys.has(n.settings.flowKey)) {
      issues.push({ nodeId: n.id, path: `${path}/settings/flowKey`, code: 'JUMP_TARGET_UNKNOWN', message: `No flow has the key ${n.settings.flowKey}` });
    }
  });

  const edgeIds = new Set<string>();
  const used = new Set<string>();
  const outgoing = new Map<string, string[]>();
  g.edges.forEach((e, index) => {
    const path = `/edges/${index}`;
    if (edgeIds.has(e.id)) issues.push({ edgeId: e.id, path: `${path}/id`, code: 'EDGE_DUPLICATE_ID', message: `Another edge already has the id ${e.id}` });
    edgeIds.add(e.id);
    const source = nodes.get(e.source);
    if (!source) issues.push({ edgeId: e.id, path: `${path}/source`, code: 'EDGE_DANGLING', message: `The edge starts at a missing node ${e.source}` });
    if (!nodes.has(e.target)) issues.push({ edgeId: e.id, path: `${path}/target`, code: 'EDGE_DANGLING', message: `The edge leads to a missing node ${e.target}` });
    if (source?.def) {
      const ports = nodePorts(g.nodes[source.index], source.def);
      if (!ports.some((p) => p.id === e.sourcePort)) {
        issues.push({ edgeId: e.id, nodeId: e.source, path: `${path}/sourcePort`, code: 'EDGE_PORT_UNKNOWN', message: `Node ${e.source} has no port ${e.sourcePort}` });
      }
    }
    const key = `${e.source}\u0000${e.sourcePort}`;
    if (used.has(key)) issues.push({ edgeId: e.id, nodeId: e.source, path: `${path}/sourcePort`, code: 'EDGE_PORT_DUPLICATE', message: `Port ${e.sourcePort} of node ${e.source} already has an edge` });
    used.add(key);
    if (nodes.has(e.target)) outgoing.set(e.source, [...(outgoing.get(e.source) ?? []), e.target]);
  });

  for (const n of g.nodes) {
    const def = nodes.get(n.id)?.def;
    if (!def) continue;
    for (const port of nodePorts(n, def)) {
      if (!port.optional && !used.has(`${n.id}\u0000${port.id}`)) {
        // Named by labels: the owner knows the button "🎁 Offers", not its id.
        const dynamic = !def.ports.some((p) => p.id === port.id);
        issues.push({
          nodeId: n.id, path: `/nodes/${nodes.get(n.id)!.index}`, code: 'PORT_UNCONNECTED',
          message: `${dynamic ? 'Item' : 'Exit'} “${pick(port.label, 'en') || port.id}” of the block “${pick(def.label, 'en')}” leads nowhere`,
          details: { port: port.id, portLabel: port.label, block: def.label, ...(dynamic ? { item: def.dynamicPorts?.from } : {}) },
        });
      }
    }
  }

  const starts = g.nodes.filter((n) => types.get(n.type)?.category === 'trigger');
  if (starts.length === 0) issues.push({ path: '/nodes', code: 'FLOW_NO_START', message: 'The flow has no start: add a command, deep link, keyword, menu or event trigger' });
  const reached = new Set<string>();
  const queue = starts.map((n) => n.id);
  while (queue.length) {
    const id = queue.shift()!;
    if (reached.has(id)) continue;
    reached.add(id);
    queue.push(...(outgoing.get(id) ?? []));
  }
  if (starts.length > 0) {
    for (const n of g.nodes) {
      const block = types.get(n.type)?.label;
      if (!reached.has(n.id)) issues.push({ nodeId: n.id, path: `/nodes/${nodes.get(n.id)!.index}`, code: 'NODE_UNREACHABLE', message: `No path from a start reaches the block “${block ? pick(block, 'en') : n.type}”`, details: { block } });
    }
  }

  const known = new Set([...Object.keys(BUILTIN_VARIABLES), ...g.variables.map((v) => v.name)]);
  for (const n of g.nodes) for (const name of Object.keys(nodes.get(n.id)?.def?.writes ?? {})) known.add(name);
  g.variables.forEach((v, i) => {
    if (g.variables.findIndex((x) => x.name === v.name) !== i) issues.push({ path: `/variables/${i}/name`, code: 'VARIABLE_DUPLICATE', message: `Variable ${v.name} is declared twice` });
  });
  g.nodes.forEach((n, index) => {
    const refs: Array<{ name: string; path: string }> = [];
    variableRefs(n.settings, `/nodes/${index}/settings`, refs);
    for (const r of refs) {
      if (!known.has(r.name)) issues.push({ nodeId: n.id, path: r.path, code: 'VARIABLE_UNKNOWN', message: `Variable ${r.name} is not declared` });
    }
  });
  return issues;
}
