import crypto from 'node:crypto';
import { Type } from '@sinclair/typebox';

/** The optional `Idempotency-Key` header of the booking routes: printable ASCII, at most 255 characters. */
export const IdempotencyHeaders = Type.Object({
  'idempotency-key': Type.Optional(Type.String({ minLength: 1, maxLength: 255, pattern: '^[\\x20-\\x7E]+$', description: 'a retry with the same key and body gets the same booking' })),
});

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => [k, canonical(v)]));
  return value;
}

/** What a key's request asked for, independent of key order: the same key with another request is refused. */
export const fingerprint = (request: unknown): string => crypto.createHash('sha256').update(JSON.stringify(canonical(request))).digest('hex');
