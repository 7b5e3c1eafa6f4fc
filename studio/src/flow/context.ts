import { createContext, useCallback, useContext, useSyncExternalStore } from 'react';
import type { NodeTypeDef } from '../types.js';
import { NodeErrors } from './NodeErrors.js';

export const DefsContext = createContext<Map<string, NodeTypeDef>>(new Map());
export const ErrorsContext = createContext<NodeErrors>(new NodeErrors());
export const useDefs = () => useContext(DefsContext);
export function useNodeErrors(id: string) {
  const errors = useContext(ErrorsContext);
  return useSyncExternalStore(errors.subscribe, useCallback(() => errors.get(id), [errors, id]));
}
