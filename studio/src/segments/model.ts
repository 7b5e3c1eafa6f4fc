import type { SegmentFieldType, SegmentOp, SegmentRule } from '../../../plugin-sdk.js';

/** A field of the catalog as GET /segments/fields gives it, in the studio's language. */
export interface FieldInfo {
  key: string;
  label: string;
  type: SegmentFieldType;
  ops: SegmentOp[];
  source: string;
  options?: Array<{ value: string; label: string }>;
}

export interface Segment {
  id: string;
  name: string;
  description: string;
  rule: SegmentRule;
  builtIn: boolean;
}

export interface SampleContact {
  id: string;
  name: string;
  identities: Array<{ kind: string; value: string; verified: boolean }>;
}

/** The editor's tree: a group shows as "all of / any of / none of" rows; "none of" is `{not: {any: […]}}` in the rule. */
export type GroupMode = 'all' | 'any' | 'none';
export type EditorNode =
  | { kind: 'group'; id: number; mode: GroupMode; children: EditorNode[] }
  | { kind: 'cond'; id: number; field: string; op: SegmentOp | ''; value: unknown };

let nextId = 1;
const id = () => nextId++;

export const emptyGroup = (mode: GroupMode = 'all'): EditorNode => ({ kind: 'group', id: id(), mode, children: [] });
export const emptyCondition = (): EditorNode => ({ kind: 'cond', id: id(), field: '', op: '', value: undefined });

export function fromRule(rule: SegmentRule): EditorNode {
  if ('all' in rule) return { kind: 'group', id: id(), mode: 'all', children: rule.all.map(fromRule) };
  if ('any' in rule) return { kind: 'group', id: id(), mode: 'any', children: rule.any.map(fromRule) };
  if ('not' in rule) {
    const inner = rule.not;
    return { kind: 'group', id: id(), mode: 'none', children: 'any' in inner ? inner.any.map(fromRule) : [fromRule(inner)] };
  }
  return { kind: 'cond', id: id(), field: rule.field, op: rule.op, value: rule.value };
}

/** The root is always a group, so the editor has somewhere to add conditions. */
export const rootFromRule = (rule: SegmentRule): EditorNode => {
  const node = fromRule(rule);
  return node.kind === 'group' ? node : { kind: 'group', id: id(), mode: 'all', children: [node] };
};

export function toRule(node: EditorNode): SegmentRule {
  if (node.kind === 'cond') return { field: node.field, op: node.op as SegmentOp, ...(node.value === undefined ? {} : { value: node.value }) };
  const children = node.children.map(toRule);
  return node.mode === 'all' ? { all: children } : node.mode === 'any' ? { any: children } : { not: { any: children } };
}

/** Whether every condition has a field, an operator and a value filled in: only then is the rule worth counting. */
export function isComplete(node: EditorNode): boolean {
  if (node.kind === 'group') return node.children.every(isComplete);
  const filled = (v: unknown): boolean => (Array.isArray(v) ? v.length > 0 && v.every(filled) : v !== undefined && v !== '' && !Number.isNaN(v));
  return Boolean(node.field && node.op) && filled(node.value);
}

/** JSON pointer (within the rule) of a group's i-th child: what the server's errors name. */
export const childPath = (path: string, mode: GroupMode, i: number) => (mode === 'none' ? `${path}/not/any/${i}` : `${path}/${mode}/${i}`);

const today = () => new Date().toISOString().slice(0, 10);

/** A value the operator takes, to start from when the field or operator changes. */
export function defaultValue(field: FieldInfo | undefined, op: SegmentOp | ''): unknown {
  if (!field || !op) return undefined;
  if (op === 'exists' || field.type === 'boolean') return true;
  const list = op === 'in' || op === 'notIn' || op === 'all';
  if (field.type === 'number') return op === 'between' ? [0, 10] : 0;
  if (field.type === 'date') return op === 'between' ? [today(), today()] : op === 'gt' || op === 'lt' ? today() : 30;
  return list ? [] : field.options?.[0]?.value ?? '';
}

/** The text key of an operator's label: dates and lists say some of them their own way. */
export function opKeys(type: SegmentFieldType, op: SegmentOp): string[] {
  const specific = type === 'date' ? `opDate.${op}` : type === 'string[]' ? `opList.${op}` : '';
  return [specific, `op.${op}`].filter(Boolean);
}
