import type { ValidateFunction } from 'ajv';
import type { JsonSchema, SegmentRule } from '../../plugin-sdk.js';
import { BoundedCache } from '../bounded-cache.js';
import { createError } from '../errors.js';
import { createAjv, fieldErrors, type FieldError } from '../validation.js';
import type { CatalogField } from './catalog.js';
import { valueSchema } from './ops.js';

/** Children of one group, and parts of a whole rule: a segment is a filter people read, and its SQL must stay small. */
const MAX_CHILDREN = 50;
const MAX_NODES = 200;

const group = (key: 'all' | 'any' | 'not'): JsonSchema => ({
  type: 'object', required: [key], additionalProperties: false,
  properties: { [key]: key === 'not' ? { $ref: '#/$defs/node' } : { type: 'array', maxItems: MAX_CHILDREN, items: { $ref: '#/$defs/node' } } },
});

/** What `value` must be for each operator of a field: `if op is X then value is …`, so errors point at the value itself. */
function fieldRules(f: CatalogField): JsonSchema {
  const choices = f.options?.map((o) => o.value);
  return {
    properties: { op: { enum: f.ops } },
    allOf: f.ops.map((op) => ({
      if: { properties: { op: { const: op } }, required: ['op'] },
      then: { required: ['value'], properties: { value: valueSchema(f.type, op, choices) } },
    })),
  };
}

/**
 * The one JSON Schema of a business's rules: groups nest, a condition names a field of the catalog, an operator
 * of that field's type and a value that operator takes. Served to the editor with the catalog.
 */
export function ruleSchema(fields: Iterable<CatalogField>): JsonSchema {
  const list = [...fields];
  const isGroup = [{ required: ['all'] }, { required: ['any'] }, { required: ['not'] }];
  return {
    $ref: '#/$defs/node',
    $defs: {
      node: {
        type: 'object',
        allOf: [
          { if: isGroup[0], then: group('all') },
          { if: isGroup[1], then: group('any') },
          { if: isGroup[2], then: group('not') },
          { if: { not: { anyOf: isGroup } }, then: { $ref: '#/$defs/condition' } },
        ],
      },
      condition: {
        type: 'object', required: ['field', 'op'], additionalProperties: false,
        properties: { field: { enum: list.map((f) => f.key) }, op: { type: 'string' }, value: {} },
        allOf: list.map((f) => ({ if: { properties: { field: { const: f.key } }, required: ['field'] }, then: fieldRules(f) })),
      },
    },
  };
}

// A business's catalog changes with its plugins and their fixed options: a few shapes per server, compiled once each.
const compiled = new BoundedCache<ValidateFunction>(64);
const ajv = createAjv({ useDefaults: false });

function validatorFor(fields: Map<string, CatalogField>): ValidateFunction {
  const shape = JSON.stringify([...fields.values()].map((f) => [f.key, f.type, f.ops, f.options?.map((o) => o.value)]));
  return compiled.get(shape, () => ajv.compile(ruleSchema(fields.values())));
}

function countNodes(rule: unknown): number {
  if (!rule || typeof rule !== 'object') return 1;
  const r = rule as Record<string, unknown>;
  if (Array.isArray(r.all)) return 1 + r.all.reduce((n: number, x) => n + countNodes(x), 0);
  if (Array.isArray(r.any)) return 1 + r.any.reduce((n: number, x) => n + countNodes(x), 0);
  if ('not' in r) return 1 + countNodes(r.not);
  return 1;
}

/** The rule, checked against the business's catalog; else BF_ERR_SEGMENT_RULE_INVALID with each problem's path under `prefix`. */
export function checkRule(rule: unknown, fields: Map<string, CatalogField>, prefix: string): SegmentRule {
  const validate = validatorFor(fields);
  if (!validate(rule)) {
    // "must match then schema" repeats the specific errors beneath it at the parent's path.
    const errors: FieldError[] = fieldErrors(validate.errors?.filter((e) => e.keyword !== 'if'), prefix);
    throw createError('BF_ERR_SEGMENT_RULE_INVALID', { errors: dedupe(errors) });
  }
  const nodes = countNodes(rule);
  if (nodes > MAX_NODES) throw createError('BF_ERR_SEGMENT_RULE_INVALID', { errors: [{ path: prefix, message: `has ${nodes} parts, more than ${MAX_NODES}` }] });
  return rule as SegmentRule;
}

const dedupe = (errors: FieldError[]) => [...new Map(errors.map((e) => [`${e.path}|${e.message}`, e])).values()];
