import { useBusiness } from '../business.js';
import { useI18n } from '../i18n/index.js';
import { usePlugins } from '../plugins/PluginsContext.js';
import { NAV, PLUGIN_PAGES_ORDER } from './nav.js';

export interface NavItem { path: string; label: string; group: 'work' | 'setup'; icon?: string }

/** The navigation this member sees: core's sections for the role and the pages of the plugins enabled for the business. */
export function useNav(): NavItem[] {
  const { t, text } = useI18n();
  const { role } = useBusiness();
  const { pages } = usePlugins();
  const core = NAV.filter((n) => !n.roles || n.roles.includes(role)).map((n) => ({ order: n.order ?? 0, item: { path: n.path, label: t(n.label), group: n.group } }));
  const plugins = pages.map((p) => ({ order: PLUGIN_PAGES_ORDER, item: { path: p.path, label: text(p.label), group: p.group, icon: p.icon } }));
  // A stable sort: equal orders keep core's, then the plugins' load and manifest order.
  return [...core, ...plugins].sort((a, b) => a.order - b.order).map((x) => x.item);
}
