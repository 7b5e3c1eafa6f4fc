import type { AuditEntry, Tx } from '../plugin-sdk.js';

/** Columns never copied into the audit log, which admins read back through GET /audit. */
const SECRET_KEY = /(^|_)(password|secret|token)(_|$)|_(secret|sealed|hash)$/i;

/** A copy of an audit before/after value without secret-named fields, at any depth. */
export function withoutSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutSecrets);
  if (value === null || typeof value !== 'object' || value instanceof Date) return value;
  return Object.fromEntries(Object.entries(value).filter(([key]) => !SECRET_KEY.test(key)).map(([key, v]) => [key, withoutSecrets(v)]));
}

/** The audit_log row of an entry, secrets left out. */
export function auditValues(entry: AuditEntry) {
  return {
    tenant_id: entry.tenantId,
    actor_id: entry.actorId,
    entity: entry.entity,
    entity_id: entry.entityId,
    action: entry.action,
    before: entry.before === undefined ? null : JSON.stringify(withoutSecrets(entry.before)),
    after: entry.after === undefined ? null : JSON.stringify(withoutSecrets(entry.after)),
  };
}

/** Writes one audit row inside the caller's transaction, so the log and the change commit together. */
export async function writeAudit(trx: Tx, entry: AuditEntry): Promise<void> {
  await trx.insertInto('audit_log').values(auditValues(entry)).execute();
}
