/** Undo/redo over immutable snapshots; the present is owned by the caller. */
export interface History<T> { past: T[]; future: T[] }

const LIMIT = 200;

export const emptyHistory = <T>(): History<T> => ({ past: [], future: [] });

/** Remembers `present` before a change replaces it; a new change drops the redo branch. */
export function record<T>(h: History<T>, present: T): History<T> {
  const past = h.past.length >= LIMIT ? h.past.slice(1) : h.past.slice();
  past.push(present);
  return { past, future: [] };
}

export function undo<T>(h: History<T>, present: T): { history: History<T>; present: T } | null {
  if (h.past.length === 0) return null;
  const prev = h.past[h.past.length - 1];
  return { history: { past: h.past.slice(0, -1), future: [present, ...h.future] }, present: prev };
}

export function redo<T>(h: History<T>, present: T): { history: History<T>; present: T } | null {
  if (h.future.length === 0) return null;
  const [next, ...rest] = h.future;
  return { history: { past: [...h.past, present], future: rest }, present: next };
}
