import type { JsonSchema, SegmentFieldType, SegmentOp } from '../../plugin-sdk.js';

/** The operators of each field type, in the order the editor offers them. */
export const SEGMENT_OPS: Record<SegmentFieldType, SegmentOp[]> = {
  string: ['eq', 'neq', 'contains', 'in', 'notIn', 'exists'],
  enum: ['eq', 'neq', 'in', 'notIn', 'exists'],
  number: ['eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'between', 'exists'],
  boolean: ['eq'],
  date: ['withinLastDays', 'olderThanDays', 'withinNextDays', 'gt', 'lt', 'between', 'exists'],
  'string[]': ['contains', 'in', 'all', 'notIn', 'exists'],
};

/** Longest list an `in`-like operator takes, and the longest text: a rule is a filter, not a data dump. */
const MAX_LIST = 500;
const TEXT: JsonSchema = { type: 'string', minLength: 1, maxLength: 500 };
/** 100 years of days either way covers any birthday or history. */
const DAYS: JsonSchema = { type: 'integer', minimum: 0, maximum: 36_500 };
const DAY: JsonSchema = { type: 'string', format: 'date' };
const NUMBER: JsonSchema = { type: 'number', minimum: -1e12, maximum: 1e12 };
const pair = (item: JsonSchema): JsonSchema => ({ type: 'array', items: item, minItems: 2, maxItems: 2 });
const list = (item: JsonSchema): JsonSchema => ({ type: 'array', items: item, minItems: 1, maxItems: MAX_LIST, uniqueItems: true });

/** JSON Schema of a condition's `value` for a field type and operator; `choices` are a field's fixed options. */
export function valueSchema(type: SegmentFieldType, op: SegmentOp, choices?: string[]): JsonSchema {
  if (op === 'exists') return { type: 'boolean' };
  const item = choices?.length ? { type: 'string', enum: choices } : TEXT;
  switch (type) {
    case 'boolean': return { type: 'boolean' };
    case 'number': return op === 'between' ? pair(NUMBER) : NUMBER;
    case 'date': return op === 'between' ? pair(DAY) : op === 'gt' || op === 'lt' ? DAY : DAYS;
    case 'string': case 'enum': case 'string[]':
      return op === 'in' || op === 'notIn' || op === 'all' ? list(item) : item;
  }
}
