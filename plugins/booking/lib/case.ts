/** API bodies are camelCase, columns snake_case. */
export const toSnake = (key: string) => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
export const toCamel = (key: string) => key.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

export function snakeKeys(obj: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(obj).filter(([, v]) => v !== undefined).map(([k, v]) => [toSnake(k), v]));
}

/** A row as the API shows it: camelCase, numeric strings of money as numbers, no tenant_id. */
export function camelRow(row: Record<string, unknown>, numeric: string[] = []): Record<string, unknown> {
  return Object.fromEntries(Object.entries(row).filter(([k]) => k !== 'tenant_id').map(([k, v]) => [toCamel(k), numeric.includes(k) && v !== null ? Number(v) : v]));
}
