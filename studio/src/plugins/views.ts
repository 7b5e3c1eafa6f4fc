/** Which plugin pages and widgets the studio shows: pure functions of GET /plugins and the bundled modules. */
import type { ComponentType } from 'react';
import type { PluginInfo } from '../types.js';
import type { PageProps, StudioPlugin, StudioZone, ZoneProps } from './types.js';

export interface PluginPage {
  pluginId: string;
  id: string;
  /** /<plugin>/<page> */
  path: string;
  label: PluginInfo['studio']['pages'][number]['label'];
  group: 'work' | 'setup';
  icon?: string;
  roles?: string[];
  component: ComponentType<PageProps>;
}

/** Pages of the plugins enabled for the business that this role may open, in plugin and manifest order. */
export function pluginPages(plugins: PluginInfo[], modules: Record<string, StudioPlugin>, role: string): PluginPage[] {
  return plugins.filter((p) => p.enabled).flatMap((p) => p.studio.pages.flatMap((page) => {
    const component = modules[p.id]?.pages?.[page.id];
    if (!component || (page.roles && !page.roles.includes(role as never))) return [];
    return [{ pluginId: p.id, id: page.id, path: `/${p.id}/${page.id}`, label: page.label, group: page.group, icon: page.icon, roles: page.roles, component }];
  }));
}

/** The page an address opens, with the rest of the address; undefined when no enabled plugin has it. */
export function pageAt(pages: PluginPage[], path: string): { page: PluginPage; subpath: string } | undefined {
  const page = pages.find((p) => path === p.path || path.startsWith(`${p.path}/`));
  return page && { page, subpath: path.slice(page.path.length) };
}

export interface ZoneWidget<Z extends StudioZone> { pluginId: string; name: PluginInfo['name']; Widget: ComponentType<ZoneProps[Z]> }

/** Widgets of a zone from the plugins enabled for the business that declare it. */
export function zoneWidgets<Z extends StudioZone>(plugins: PluginInfo[], modules: Record<string, StudioPlugin>, zone: Z): Array<ZoneWidget<Z>> {
  return plugins.filter((p) => p.enabled && p.studio.zones.includes(zone)).flatMap((p) => {
    const Widget = modules[p.id]?.widgets?.[zone] as ComponentType<ZoneProps[Z]> | undefined;
    return Widget ? [{ pluginId: p.id, name: p.name, Widget }] : [];
  });
}

/** Where a manifest and its studio module disagree: a declared page or zone without code, or code the manifest does not list. */
export function mismatches(plugins: PluginInfo[], modules: Record<string, StudioPlugin>): string[] {
  return plugins.flatMap((p) => {
    const mod = modules[p.id] ?? {};
    const pages = p.studio.pages.map((x) => x.id);
    const zones: string[] = p.studio.zones;
    return [
      ...pages.filter((id) => !mod.pages?.[id]).map((id) => `${p.id}: page "${id}" is in plugin.json but not in studio/index.tsx`),
      ...Object.keys(mod.pages ?? {}).filter((id) => !pages.includes(id)).map((id) => `${p.id}: page "${id}" of studio/index.tsx is not in plugin.json studio.pages`),
      ...zones.filter((z) => !mod.widgets?.[z as StudioZone]).map((z) => `${p.id}: zone "${z}" is in plugin.json but has no widget in studio/index.tsx`),
      ...Object.keys(mod.widgets ?? {}).filter((z) => !zones.includes(z)).map((z) => `${p.id}: widget for "${z}" of studio/index.tsx is not in plugin.json studio.zones`),
    ];
  });
}
