/**
 * Server data in the studio: TanStack Query over the API client. Keys are ['api', business, path], so a
 * business switch never shows another business's cache, and a change refreshes every query under a path.
 */
import { keepPreviousData, QueryClient, useMutation, useQuery, useQueryClient, type QueryKey } from '@tanstack/react-query';
import { ApiError, get, session } from './api.js';

/** A client error is the answer, not a glitch: asking again would only repeat it. */
const retry = (failures: number, error: unknown) => !(error instanceof ApiError && error.status >= 400 && error.status < 500) && failures < 2;

// Stale at once: a page shows what it had at once and asks again on every visit, so a change made on another page or by another admin is never missed.
export const queryClient = new QueryClient({ defaultOptions: { queries: { staleTime: 0, retry, refetchOnWindowFocus: true }, mutations: { retry: false } } });

/** The query key of GET /api/v1<path> for the current business. */
export const apiKey = (path: string): QueryKey => ['api', session.tenant, path];

/** Whether `key` is a query of a path at or under `prefix` ("/members" covers "/members?x" and "/members/invitations"). */
const under = (key: QueryKey, prefix: string) => {
  const path = key[0] === 'api' && key[1] === session.tenant ? key[2] : undefined;
  return typeof path === 'string' && (path === prefix || path.startsWith(`${prefix}/`) || path.startsWith(`${prefix}?`));
};

/** Refetches every cached GET at or under these paths (after a change made elsewhere). */
export function invalidateApi(...prefixes: string[]): Promise<void> {
  return queryClient.invalidateQueries({ predicate: (q) => prefixes.some((p) => under(q.queryKey, p)) });
}

export interface ApiQuery<T> {
  data: T | null;
  error: unknown;
  loading: boolean;
  /** asks the server again */
  reload(): void;
}

/**
 * GET /api/v1<path>, cached and refetched by TanStack Query; `null` waits (nothing to ask yet). Same shape as
 * useLoad, and like it keeps the last answer while the next path loads (a search box does not flicker).
 */
export function useApi<T>(path: string | null, opts: { refetchInterval?: number } = {}): ApiQuery<T> {
  const q = useQuery({ queryKey: apiKey(path ?? ''), queryFn: () => get<T>(path!), enabled: path !== null, placeholderData: keepPreviousData, ...opts });
  return { data: path === null ? null : (q.data as T | undefined) ?? null, error: q.error, loading: q.isPending && path !== null, reload: () => { void q.refetch(); } };
}

export interface ApiMutationOptions<V, R> {
  /** the request, e.g. (v) => patch(`/members/${v.id}`, v) */
  request(vars: V): Promise<R>;
  /** paths refetched once it settled */
  invalidates?: string[];
  /** shown at once: the cached GET of `path` as it will be; put back as it was when the request fails */
  optimistic?: { path: string; update(current: any, vars: V): any };
}

/** A change through the API: optimistic update with rollback, then the affected queries refetched. */
export function useApiMutation<V, R = unknown>(opts: ApiMutationOptions<V, R>) {
  const client = useQueryClient();
  return useMutation<R, unknown, V, { before: unknown } | undefined>({
    mutationFn: opts.request,
    onMutate: async (vars) => {
      if (!opts.optimistic) return undefined;
      const key = apiKey(opts.optimistic.path);
      await client.cancelQueries({ queryKey: key });
      const before = client.getQueryData(key);
      if (before !== undefined) client.setQueryData(key, opts.optimistic.update(before, vars));
      return { before };
    },
    onError: (_e, _vars, saved) => {
      if (opts.optimistic && saved?.before !== undefined) client.setQueryData(apiKey(opts.optimistic.path), saved.before);
    },
    onSettled: () => invalidateApi(...(opts.invalidates ?? []), ...(opts.optimistic ? [opts.optimistic.path] : [])),
  });
}
