import { createContext, useContext } from 'react';
import type { Business } from './types.js';

export const BusinessContext = createContext<Business | null>(null);

/** The business the studio works on and the signed-in member's role in it. */
export function useBusiness(): Business {
  const b = useContext(BusinessContext);
  if (!b) throw new Error('useBusiness outside a business');
  return b;
}
