import { createContext } from 'react';

/** Values offered (not enforced) for inputs of an `x-ui.widget`, e.g. variable names for 'variable'. */
export const SuggestionsContext = createContext<Record<string, string[]>>({});
