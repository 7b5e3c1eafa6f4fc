import { createContext, useContext } from 'react';
import type { FlowError, NodeTypeDef } from '../types.js';

export const DefsContext = createContext<Map<string, NodeTypeDef>>(new Map());
export const ErrorsContext = createContext<Map<string, FlowError[]>>(new Map());
export const useDefs = () => useContext(DefsContext);
export const useNodeErrors = (id: string) => useContext(ErrorsContext).get(id);
