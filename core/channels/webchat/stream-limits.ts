import { createError } from '../../errors.js';

/** open SSE streams one chat session may hold in this process (a few tabs; not an unbounded number of sockets) */
export const MAX_STREAMS_PER_SESSION = 3;

export interface StreamLimitsConfig {
  /** open streams one client address may hold (request.ip, so TRUST_PROXY decides whose address) */
  perAddress: number;
  /** open streams in this process, all sessions and addresses together */
  total: number;
}

/**
 * Counts open event streams per session, per address and in all, so no one client — and no crowd —
 * can hold every socket of the process. A stream takes its slots before it opens and gives them back on close.
 */
export class StreamLimits {
  private total = 0;
  private readonly perSession = new Map<string, number>();
  private readonly perAddress = new Map<string, number>();

  constructor(private readonly config: StreamLimitsConfig) {}

  /** Takes one slot of each kind, or throws the coded 429 of the limit reached; returns the release. */
  take(sessionId: string, address: string): () => void {
    if ((this.perSession.get(sessionId) ?? 0) >= MAX_STREAMS_PER_SESSION) throw createError('BF_ERR_WEBCHAT_TOO_MANY_STREAMS', { max: MAX_STREAMS_PER_SESSION });
    if ((this.perAddress.get(address) ?? 0) >= this.config.perAddress) throw createError('BF_ERR_WEBCHAT_ADDRESS_STREAMS', { max: this.config.perAddress });
    if (this.total >= this.config.total) throw createError('BF_ERR_WEBCHAT_STREAMS_FULL', { max: this.config.total });
    bump(this.perSession, sessionId, 1);
    bump(this.perAddress, address, 1);
    this.total++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      bump(this.perSession, sessionId, -1);
      bump(this.perAddress, address, -1);
      this.total--;
    };
  }
}

function bump(counts: Map<string, number>, key: string, by: number): void {
  const n = (counts.get(key) ?? 0) + by;
  if (n > 0) counts.set(key, n);
  else counts.delete(key);
}
