/**
 * Whether `work` settles within `ms` (a rejection still rejects). For shutdown steps that may never settle, such as
 * ending a connection the server cut or a pool with a client never given back: they get a moment, not the shutdown.
 * The timer does not keep the process alive.
 */
export function settlesWithin(work: Promise<unknown>, ms: number): Promise<boolean> {
  return Promise.race([work.then(() => true), new Promise<boolean>((r) => setTimeout(r, ms, false).unref())]);
}
