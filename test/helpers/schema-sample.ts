import crypto from 'node:crypto';
import { processClock } from '../../core/clock.js';

export const singular = (s: string): string => s.replace(/ies$/, 'y').replace(/(s|es)$/, '');

const CANDIDATES = ['iso-test', 'abc', 'ABC', 'x1', 'Test', '12:00', '2026-12-01', '+79990000000', 'EUR', 'en', 'Europe/Berlin', 'a'];

/**
 * A value that passes a JSON Schema as far as a few guesses go: required properties,
 * formats, enums, bounds and patterns (tried against a list of plain candidates).
 * `idFor(name)` supplies ids for properties named like entities (serviceId → a real service).
 */
export function sampleValue(schema: any, name = '', idFor: (name: string) => string | undefined = () => undefined): unknown {
  const sample = (s: any, n: string) => sampleValue(s, n, idFor);
  if (!schema || typeof schema !== 'object') return 'x';
  if ('const' in schema) return schema.const;
  if (Array.isArray(schema.enum)) return schema.enum[0];
  for (const key of ['anyOf', 'oneOf', 'allOf']) if (Array.isArray(schema[key])) return sample(schema[key][0], name);
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const [key, sub] of Object.entries<any>(schema.properties ?? {})) {
        if ((schema.required ?? []).includes(key) || idFor(key)) out[key] = sample(sub, key);
      }
      return out;
    }
    case 'array': return Array.from({ length: Math.max(1, schema.minItems ?? 1) }, () => sample(schema.items, singular(name)));
    case 'integer': case 'number': {
      const least = Math.max(schema.minimum ?? 1, schema.exclusiveMinimum !== undefined ? schema.exclusiveMinimum + 1 : 1);
      return Math.min(schema.maximum ?? Infinity, /^end|End$/.test(name) ? least + 60 : least);
    }
    case 'boolean': return true;
    case 'null': return null;
    case 'string': {
      if (schema.format === 'uuid') return idFor(name) ?? crypto.randomUUID();
      // A fresh address each time: a user shared by two businesses would blur whose data is whose.
      if (schema.format === 'email') return `someone-${crypto.randomBytes(4).toString('hex')}@sample.test`;
      // Ranges: an end comes after its start.
      const later = /^(end|to|until)|(End|To|Until)$/.test(name) ? 2 : 1;
      if (schema.format === 'date-time') return new Date(processClock.nowMs() + later * 86400_000).toISOString();
      if (schema.format === 'date') return new Date(processClock.nowMs() + 86400_000).toISOString().slice(0, 10);
      if (schema.format === 'uri' || schema.format === 'url') return 'https://example.com/x';
      const fits = (s: string) => s.length >= (schema.minLength ?? 0) && s.length <= (schema.maxLength ?? Infinity) && (!schema.pattern || new RegExp(schema.pattern, 'u').test(s));
      const byName = idFor(name);
      return [...(byName ? [byName] : []), ...CANDIDATES, 'x'.repeat(Math.max(3, schema.minLength ?? 0))].find(fits) ?? 'x';
    }
    default: return {};
  }
}
