import { createContext } from 'react';
import type { Locale } from '../types.js';

/** Values offered (not enforced) for inputs of an `x-ui.widget`, e.g. variable names for 'variable'. */
export const SuggestionsContext = createContext<Record<string, string[]>>({});

/**
 * The language a localized text must be written in; the others are optional and fall back to it.
 * Flow editors give the business's language; elsewhere (manifests) English stays the required one.
 */
export const TextLocaleContext = createContext<Locale>('en');
