/** A gateway's answer that is not a success, with what it said (never the request: it may carry keys). */
export class ProviderHttpError extends Error {
  constructor(readonly provider: string, readonly status: number, readonly body: string) {
    super(`${provider} answered ${status}: ${body.slice(0, 300)}`);
  }
}

/** One JSON call to a gateway with a bounded wait. */
export async function callJson(provider: string, url: string, init: RequestInit & { timeoutMs?: number }): Promise<any> {
  const res = await fetch(url, { ...init, signal: AbortSignal.timeout(init.timeoutMs ?? 15_000) });
  const text = await res.text();
  if (!res.ok) throw new ProviderHttpError(provider, res.status, text);
  return text ? JSON.parse(text) : {};
}
