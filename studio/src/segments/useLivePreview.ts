import { useEffect, useRef, useState } from 'react';
import { ApiError, post } from '../api.js';
import type { SegmentRule } from '../../../plugin-sdk.js';
import type { SampleContact } from './model.js';

const DEBOUNCE_MS = 300;

/**
 * The count and a sample of the rule being edited, asked again a moment after each change; an answer to an
 * older version of the rule is dropped, and a rule still being filled in (`complete` false) is not asked
 * about. A rule the server refuses gives its errors by path within the rule.
 */
export function useLivePreview(rule: SegmentRule, complete: boolean) {
  const [state, setState] = useState<{ count: number | null; sample: SampleContact[]; errors: Record<string, string>; busy: boolean; error: unknown }>({ count: null, sample: [], errors: {}, busy: true, error: null });
  const seq = useRef(0);
  const key = JSON.stringify(rule);
  useEffect(() => {
    const mine = ++seq.current;
    if (!complete) {
      setState({ count: null, sample: [], errors: {}, busy: false, error: null });
      return;
    }
    setState((s) => ({ ...s, busy: true }));
    const timer = setTimeout(() => {
      post<{ count: number; sample: SampleContact[] }>('/segments/preview', { rule }).then((r) => {
        if (mine === seq.current) setState({ count: r.count, sample: r.sample, errors: {}, busy: false, error: null });
      }, (e) => {
        if (mine !== seq.current) return;
        const errors = e instanceof ApiError && e.status === 400 ? e.fieldErrors('/rule') : {};
        setState({ count: null, sample: [], errors, busy: false, error: Object.keys(errors).length ? null : e });
      });
    }, DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [key, complete]);
  return state;
}
