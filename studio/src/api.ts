/**
 * The studio's only way to the server: JSON over /api/v1 with the chosen business. The sign-in lives in an
 * httpOnly cookie the server sets (no script here can read the token); changes echo its CSRF cookie in a header.
 */

export interface ApiErrorBody {
  code: string;
  message: string;
  details?: Record<string, unknown>;
}

export class ApiError extends Error {
  constructor(readonly status: number, readonly code: string, message: string, readonly details: Record<string, unknown> = {}) {
    super(message);
  }
  /** Field errors of a 400, keyed by JSON pointer without the `/body` prefix. */
  fieldErrors(prefix = ''): Record<string, string> {
    const list = (this.details.errors ?? []) as Array<{ path?: string; message?: string }>;
    const out: Record<string, string> = {};
    for (const e of list) {
      const p = (e.path ?? '').replace(/^\/body/, '').replace(prefix, '');
      out[p] ??= e.message ?? this.message;
    }
    return out;
  }
}

const TENANT_KEY = 'bookflow.tenant';
const CSRF_COOKIE = 'bf_csrf';

// Earlier studios kept the sign-in token here, where any script on the page could read it.
localStorage.removeItem('bookflow.token');
let tenant = localStorage.getItem(TENANT_KEY) ?? '';
// Server error messages come in the language the studio shows, not the browser's.
let language = '';
const unauthorizedListeners = new Set<() => void>();

export const session = {
  get tenant() { return tenant; },
  setTenant(t: string) { tenant = t; localStorage.setItem(TENANT_KEY, t); },
  setLanguage(l: string) { language = l; },
  onUnauthorized(fn: () => void): () => void { unauthorizedListeners.add(fn); return () => { unauthorizedListeners.delete(fn); }; },
};

const csrfToken = () => document.cookie.split('; ').find((c) => c.startsWith(`${CSRF_COOKIE}=`))?.slice(CSRF_COOKIE.length + 1) ?? '';

/** What every request to the API carries besides the cookies; fetch sends those itself (same origin). */
export function authHeaders(): Record<string, string> {
  const h: Record<string, string> = {};
  const csrf = csrfToken();
  if (csrf) h['x-csrf-token'] = csrf;
  if (tenant) h['x-tenant'] = tenant;
  if (language) h['accept-language'] = language;
  return h;
}

export async function api<T = unknown>(method: string, path: string, body?: unknown): Promise<T> {
  const headers = authHeaders();
  if (body !== undefined) headers['content-type'] = 'application/json';
  let res: Response;
  try {
    res = await fetch(`/api/v1${path}`, { method, headers, credentials: 'same-origin', body: body === undefined ? undefined : JSON.stringify(body) });
  } catch (e) {
    throw new ApiError(0, 'BF_ERR_NETWORK', e instanceof Error ? e.message : String(e));
  }
  const text = await res.text();
  let data: unknown = undefined;
  try { data = text ? JSON.parse(text) : undefined; } catch { data = text; }
  if (!res.ok) {
    const err = (data && typeof data === 'object' ? data : {}) as Partial<ApiErrorBody>;
    if (res.status === 401) unauthorizedListeners.forEach((fn) => fn());
    throw new ApiError(res.status, err.code ?? `HTTP_${res.status}`, err.message ?? res.statusText, err.details ?? {});
  }
  return data as T;
}

export const get = <T>(path: string) => api<T>('GET', path);
export const post = <T>(path: string, body?: unknown) => api<T>('POST', path, body ?? {});
export const put = <T>(path: string, body?: unknown) => api<T>('PUT', path, body ?? {});
export const patch = <T>(path: string, body?: unknown) => api<T>('PATCH', path, body ?? {});
export const del = <T>(path: string) => api<T>('DELETE', path);

/** Builds `?a=1&b=2`, leaving out empty values. */
export function query(params: Record<string, string | number | undefined | null>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}

/**
 * Saves the file an API path answers (an export) under `filename`. It comes through fetch, not a link, because the
 * request needs our headers; a refusal throws like any API call.
 */
export async function downloadFile(path: string, filename: string): Promise<void> {
  const res = await fetch(`/api/v1${path}`, { headers: authHeaders(), credentials: 'same-origin' });
  if (!res.ok) throw new Error(`${res.status} ${res.statusText}`);
  const a = document.createElement('a');
  a.href = URL.createObjectURL(await res.blob());
  a.download = filename;
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
}
