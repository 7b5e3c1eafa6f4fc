import { useState, type FormEvent } from 'react';
import { ApiError, put } from '../api.js';
import { SchemaForm } from '../forms/SchemaForm.js';
import { errorsUnder } from '../forms/schema.js';
import { useI18n } from '../i18n/index.js';
import { Link } from '../router.js';
import { ErrorNote, Loading } from '../ui/Status.js';
import { useApi, useApiMutation } from '../query.js';
import { usePlugins } from '../plugins/PluginsContext.js';
import type { JsonSchema, PluginInfo } from '../types.js';


/** Installed plugins: on/off for this business, and links to their settings pages. */
export function PluginsPage() {
  const { t, text } = useI18n();
  // The navigation and the zones read the same query: a plugin's pages and widgets show only while it is on.
  const plugins = usePlugins();
  const switched = useApiMutation<PluginInfo>({
    request: (p) => put(`/plugins/${p.id}/enabled`, { enabled: !p.enabled }),
    optimistic: { path: '/plugins', update: (cur: { items: PluginInfo[] }, p) => ({ items: cur.items.map((x) => (x.id === p.id ? { ...x, enabled: !p.enabled } : x)) }) },
  });
  const toggle = (p: PluginInfo) => switched.mutate(p);
  const error = switched.error;
  return (
    <div className="page">
      <h1>{t('nav.plugins')}</h1>
      <ErrorNote error={error ?? plugins.error} />
      {!plugins.loaded && !plugins.error ? <Loading /> : null}
      <div className="cards">
        {plugins.plugins.map((p) => (
          <article key={p.id} className={`card plugin${p.enabled ? '' : ' off'}`} data-plugin={p.id}>
            <header>
              <h2>{text(p.name)}</h2>
              <label className="switch">
                <input type="checkbox" role="switch" checked={p.enabled} onChange={() => toggle(p)} />
                {p.enabled ? t('plugins.enabled') : t('plugins.disabled')}
              </label>
            </header>
            <p className="muted">{text(p.description)}</p>
            {Object.keys(p.dependencies).length ? <p className="small muted">{t('plugins.needs', { list: Object.keys(p.dependencies).map((id) => text(plugins.plugins.find((x) => x.id === id)?.name) || id).join(', ') })}</p> : null}
            <div className="row">
              {(p.settingsPages.length ? p.settingsPages : hasSettings(p) ? [{ id: 'settings', title: { en: 'Settings', ru: 'Настройки', uk: 'Налаштування' } }] : []).map((s) => (
                <Link key={s.id} className="button secondary small" to={`/plugins/${p.id}/${s.id}`}>{text(s.title)}</Link>
              ))}
            </div>
          </article>
        ))}
      </div>
    </div>
  );
}

const hasSettings = (p: PluginInfo) => Object.keys((p.configSchema.properties ?? {}) as object).length > 0;

/** The sub-schema at a JSON pointer such as /properties/reminders, and the key path of its value. */
function subSchema(schema: JsonSchema, pointer?: string): { schema: JsonSchema; keys: string[] } {
  if (!pointer) return { schema, keys: [] };
  const parts = pointer.split('/').filter(Boolean);
  let s: JsonSchema = schema;
  const keys: string[] = [];
  for (let i = 0; i < parts.length; i++) {
    s = s[parts[i]] as JsonSchema;
    if (parts[i - 1] === 'properties') keys.push(parts[i]);
  }
  return { schema: s ?? { type: 'object' }, keys };
}

const getIn = (o: Record<string, unknown>, keys: string[]) => keys.reduce<Record<string, unknown>>((a, k) => (a?.[k] ?? {}) as Record<string, unknown>, o);
const setIn = (o: Record<string, unknown>, keys: string[], v: Record<string, unknown>): Record<string, unknown> =>
  keys.length === 0 ? v : { ...o, [keys[0]]: setIn((o[keys[0]] ?? {}) as Record<string, unknown>, keys.slice(1), v) };

/** A settings page generated from the plugin's config schema (or the part its page points at). */
export function PluginSettingsPage({ pluginId, pageId }: { pluginId: string; pageId?: string }) {
  const { t, text } = useI18n();
  const plugins = useApi<{ items: PluginInfo[] }>('/plugins');
  const [draft, setDraft] = useState<Record<string, unknown> | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);
  if (plugins.error) return <ErrorNote error={plugins.error} />;
  if (!plugins.data) return <Loading />;
  const p = plugins.data.items.find((x) => x.id === pluginId);
  if (!p) return <p>{t('common.notAvailable')}</p>;
  const page = p.settingsPages.find((s) => s.id === pageId);
  const { schema, keys } = subSchema(p.configSchema, page?.pointer);
  const config = draft ?? p.config ?? {};
  const prefix = keys.map((k) => `/${k}`).join('');
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setErrors({}); setError(null); setSaved(false);
    try {
      const r = await put<{ config: Record<string, unknown> }>(`/plugins/${p.id}/config`, { config });
      setDraft(r.config); setSaved(true);
    } catch (err) {
      if (err instanceof ApiError) setErrors(errorsUnder(err.fieldErrors(), prefix));
      setError(err);
    }
  };
  return (
    <div className="page narrow">
      <Link to="/plugins">← {t('nav.plugins')}</Link>
      <h1>{text(p.name)}{page ? ` · ${text(page.title)}` : ''}</h1>
      {!p.enabled ? <p className="tag">{t('plugins.disabledNote')}</p> : null}
      <form onSubmit={submit}>
        <SchemaForm schema={schema} value={getIn(config, keys)} onChange={(v) => { setSaved(false); setDraft(setIn(config, keys, v)); }} errors={errors} />
        <ErrorNote error={error} />
        {saved ? <div className="ok-note" role="status">{t('common.saved')}</div> : null}
        <div className="form-actions"><button type="submit" className="primary">{t('common.save')}</button></div>
      </form>
    </div>
  );
}
