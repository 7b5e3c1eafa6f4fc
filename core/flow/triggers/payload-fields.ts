import type { JsonSchema } from '../../../plugin-sdk.js';

/** One leaf of an event's payload, as a trigger's filter, offset and contact settings name it. */
export interface PayloadField {
  /** dotted path, e.g. `clientId` or `to.start` */
  path: string;
  type: string;
  format?: string;
  enum?: unknown[];
  /** the schema a filter value compared with it must match (an array's items) */
  value: JsonSchema;
  /** a `format: date-time` field: an offset may be counted from it */
  time: boolean;
  /** may hold the contact's id: `x-contact: true`, or a uuid named `contactId` / `clientId` */
  contact: boolean;
}

const MAX_DEPTH = 3;

function baseType(s: JsonSchema): string | undefined {
  const t = s.type;
  if (Array.isArray(t)) return t.find((x) => x !== 'null') as string | undefined;
  if (typeof t === 'string') return t;
  if (Array.isArray(s.enum)) return typeof s.enum[0] === 'number' ? 'number' : typeof s.enum[0] === 'boolean' ? 'boolean' : 'string';
  if ('const' in s) return typeof s.const;
  return undefined;
}

/** The leaves of a payload schema's objects (nested objects as dotted paths, a few levels deep). */
export function payloadFields(schema: JsonSchema, prefix = '', depth = 0): PayloadField[] {
  const props = (schema.properties ?? {}) as Record<string, JsonSchema>;
  return Object.entries(props).flatMap(([key, prop]): PayloadField[] => {
    const path = prefix ? `${prefix}.${key}` : key;
    const type = baseType(prop) ?? 'json';
    if (type === 'object') return depth < MAX_DEPTH ? payloadFields(prop, path, depth + 1) : [];
    const value = type === 'array' ? ((prop.items ?? {}) as JsonSchema) : prop;
    const format = typeof prop.format === 'string' ? prop.format : undefined;
    return [{
      path, type, value,
      ...(format ? { format } : {}),
      ...(Array.isArray(prop.enum) ? { enum: prop.enum } : {}),
      time: type === 'string' && format === 'date-time',
      contact: prop['x-contact'] === true || (type === 'string' && format === 'uuid' && /^(contactId|clientId)$/.test(key)),
    }];
  });
}
