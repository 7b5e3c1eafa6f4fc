import { describe, expect, it } from 'vitest';
import { mismatches, pageAt, pluginPages, zoneWidgets } from '../src/plugins/views.js';
import type { StudioPlugin } from '../src/plugins/types.js';
import type { PluginInfo } from '../src/types.js';

const Page = () => null;
const Widget = () => null;
const plugin = (id: string, enabled: boolean, studio: PluginInfo['studio']): PluginInfo => ({
  id, enabled, studio, version: '1.0.0', name: { en: id }, configSchema: { type: 'object' }, settingsPages: [], dependencies: {},
});
const plugins = [
  plugin('booking', true, { pages: [{ id: 'bookings', group: 'work', label: { en: 'Bookings' } }, { id: 'catalog', group: 'setup', label: { en: 'Services' }, roles: ['owner', 'admin'] }], zones: [] }),
  plugin('example', true, { pages: [{ id: 'notes', group: 'work', label: { en: 'Notes' } }], zones: ['client.card'] }),
  plugin('loyalty', false, { pages: [{ id: 'points', group: 'work', label: { en: 'Points' } }], zones: ['client.card'] }),
];
const modules: Record<string, StudioPlugin> = {
  booking: { pages: { bookings: Page, catalog: Page } },
  example: { pages: { notes: Page }, widgets: { 'client.card': Widget } },
  loyalty: { pages: { points: Page }, widgets: { 'client.card': Widget } },
};

describe('plugin pages and zones', () => {
  it('come from the enabled plugins only, for the roles their manifest names', () => {
    expect(pluginPages(plugins, modules, 'owner').map((p) => p.path)).toEqual(['/booking/bookings', '/booking/catalog', '/example/notes']);
    expect(pluginPages(plugins, modules, 'specialist').map((p) => p.path)).toEqual(['/booking/bookings', '/example/notes']);
    expect(zoneWidgets(plugins, modules, 'client.card').map((w) => w.pluginId)).toEqual(['example']);
    expect(zoneWidgets(plugins, modules, 'booking.details')).toEqual([]);
  });

  it('an address opens its page with the rest of the path, and nothing else', () => {
    const pages = pluginPages(plugins, modules, 'owner');
    expect(pageAt(pages, '/booking/catalog/42')).toMatchObject({ page: { id: 'catalog' }, subpath: '/42' });
    expect(pageAt(pages, '/booking/bookings')).toMatchObject({ page: { id: 'bookings' }, subpath: '' });
    expect(pageAt(pages, '/booking/bookingsx')).toBeUndefined();
    expect(pageAt(pages, '/loyalty/points')).toBeUndefined();
  });

  it('names every disagreement between a manifest and its studio module', () => {
    expect(mismatches(plugins, modules)).toEqual([]);
    expect(mismatches(plugins, { booking: { pages: { bookings: Page, calendar: Page } }, example: { widgets: { 'client.card': Widget, settings: Widget } } })).toEqual([
      'booking: page "catalog" is in plugin.json but not in studio/index.tsx',
      'booking: page "calendar" of studio/index.tsx is not in plugin.json studio.pages',
      'example: page "notes" is in plugin.json but not in studio/index.tsx',
      'example: widget for "settings" of studio/index.tsx is not in plugin.json studio.zones',
      'loyalty: page "points" is in plugin.json but not in studio/index.tsx',
      'loyalty: zone "client.card" is in plugin.json but has no widget in studio/index.tsx',
    ]);
  });
});
