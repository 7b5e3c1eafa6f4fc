import { Component, type ErrorInfo, type ReactNode } from 'react';
import { useI18n } from '../i18n/index.js';
import type { StudioZone, ZoneProps } from './types.js';
import { studioModules } from './registry.js';
import { usePlugins } from './PluginsContext.js';
import { zoneWidgets } from './views.js';

/** One widget that throws shows a note in its place; the page and the other widgets keep working. */
class WidgetBoundary extends Component<{ fallback: ReactNode; children: ReactNode }, { failed: boolean }> {
  state = { failed: false };
  static getDerivedStateFromError() { return { failed: true }; }
  componentDidCatch(error: Error, info: ErrorInfo) { console.error('Bookflow studio: a plugin widget failed', error, info.componentStack); }
  render() { return this.state.failed ? this.props.fallback : this.props.children; }
}

/**
 * A slot of a page where the widgets of the enabled plugins that fill this zone show, each with the zone's props,
 * e.g. `<Zone name="client.card" props={{ contactId }} />`. Renders nothing when no plugin fills it.
 */
export function Zone<Z extends StudioZone>({ name, props }: { name: Z; props: ZoneProps[Z] }) {
  const { plugins } = usePlugins();
  const { t, text } = useI18n();
  const widgets = zoneWidgets(plugins, studioModules, name);
  if (!widgets.length) return null;
  return (
    <div className="zone" data-zone={name}>
      {widgets.map(({ pluginId, name: pluginName, Widget }) => (
        <section key={pluginId} className="zone-widget" data-plugin={pluginId} aria-label={text(pluginName)}>
          <WidgetBoundary fallback={<div className="error-note" role="alert">{t('zone.failed', { plugin: text(pluginName) })}</div>}>
            <Widget {...props} />
          </WidgetBoundary>
        </section>
      ))}
    </div>
  );
}
