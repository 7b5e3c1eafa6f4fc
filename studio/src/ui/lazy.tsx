import { lazy, Suspense, type ComponentType } from 'react';
import { Loading } from './Status.js';

/**
 * A component whose module, and the libraries only it uses, the studio fetches when it is first drawn, not at
 * start: the charts and the journal's calendar are a third of the bundle, and every page would parse them.
 * `name` is the module's export, as React's own lazy() takes a default export only.
 */
export function lazyNamed<M extends Record<K, ComponentType<any>>, K extends keyof M>(load: () => Promise<M>, name: K): M[K] {
  const Component: ComponentType<any> = lazy(async () => ({ default: (await load())[name] }));
  const Lazy = (props: object) => <Suspense fallback={<Loading />}><Component {...props} /></Suspense>;
  return Lazy as unknown as M[K];
}
