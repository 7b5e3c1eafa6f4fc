import { createContext, useContext, useEffect, useMemo, type ReactNode } from 'react';
import { useBusiness } from '../business.js';
import { useApi } from '../query.js';
import type { PluginInfo } from '../types.js';
import { studioModules } from './registry.js';
import { mismatches, pluginPages, type PluginPage } from './views.js';

interface PluginsState {
  /** installed plugins with this business's state; empty until loaded */
  plugins: PluginInfo[];
  loaded: boolean;
  error: unknown;
  /** the enabled plugins' pages this member may open */
  pages: PluginPage[];
  /** asks the server again, e.g. after a plugin was switched on or off */
  reload(): void;
}

const Ctx = createContext<PluginsState | null>(null);

/** The business's plugins, loaded once per business: the navigation, plugin pages and zones read them. */
export function PluginsProvider({ children }: { children: ReactNode }) {
  const { role } = useBusiness();
  const list = useApi<{ items: PluginInfo[] }>('/plugins');
  const plugins = list.data?.items ?? [];
  useEffect(() => {
    // A plugin whose manifest and studio code disagree is a developer's mistake: say so where they look.
    for (const m of mismatches(plugins, studioModules)) console.error(`Bookflow studio: ${m}`);
  }, [list.data]);
  const value = useMemo<PluginsState>(() => ({
    plugins,
    loaded: list.data !== null,
    error: list.error,
    pages: pluginPages(plugins, studioModules, role),
    reload: list.reload,
  }), [list.data, list.error, role]);
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

export function usePlugins(): PluginsState {
  const v = useContext(Ctx);
  if (!v) throw new Error('usePlugins outside PluginsProvider');
  return v;
}
