import { useEffect, useState } from 'react';
import { get, session } from '../api.js';
import { toOptions } from './schema.js';
import type { LocalizedText } from '../types.js';

export type Option = { value: string; label: LocalizedText | string };
const cache = new Map<string, Promise<unknown>>();

/** Clears cached option lists, e.g. after the catalog changed. */
export const forgetOptions = () => cache.clear();

/** Options of a select loaded from the API (`x-ui.optionsFrom`), cached per business. */
export function useOptions(from: string | undefined, valueKey?: string, labelKey?: string, where?: Record<string, unknown[]>): { options: Option[]; error: string | null } {
  const [state, setState] = useState<{ options: Option[]; error: string | null }>({ options: [], error: null });
  useEffect(() => {
    if (!from) return;
    const path = from.replace(/^\/api\/v1/, '');
    const key = `${session.tenant}|${path}`;
    if (!cache.has(key)) cache.set(key, get(path).catch((e) => { cache.delete(key); throw e; }));
    let live = true;
    cache.get(key)!.then(
      (data) => live && setState({ options: toOptions(data, valueKey, labelKey, where), error: null }),
      (e: Error) => live && setState({ options: [], error: e.message }),
    );
    return () => { live = false; };
  }, [from, valueKey, labelKey, JSON.stringify(where)]);
  return state;
}
