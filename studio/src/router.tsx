import type { AnchorHTMLAttributes, ReactNode } from 'react';
import { createBrowserRouter, Link as RouterLink, useLocation, type DataRouter } from 'react-router';

/** Studio routes live under /studio; paths here are the part after it, e.g. "/flows/42". */
export const BASE = '/studio';

let router: DataRouter | undefined;

/** The studio's one router (react-router): `app` renders every path and declares its own <Routes>. */
export function studioRouter(app: ReactNode): DataRouter {
  router = createBrowserRouter([{ path: '*', element: app }], { basename: BASE });
  return router;
}

/** Goes to a studio path from anywhere: event handlers, effects, plugin code. */
export function navigate(to: string, replace = false): void {
  if (router) void router.navigate(to, { replace });
  else window.location.assign(BASE + to);
}

/** The current studio path, e.g. "/contacts/7". */
export function usePath(): string {
  const p = useLocation().pathname;
  return p === '' ? '/' : p;
}

export function Link({ to, ...rest }: AnchorHTMLAttributes<HTMLAnchorElement> & { to: string }) {
  return <RouterLink to={to} {...rest} />;
}
