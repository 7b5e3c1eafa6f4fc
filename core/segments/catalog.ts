import type { Db, Locale, LocalizedText, PluginContext, SegmentFieldOption, SegmentOp, Tx } from '../../plugin-sdk.js';
import { createError } from '../errors.js';
import { CORE_FIELDS, type CoreSegmentField } from './fields.js';
import { SEGMENT_OPS } from './ops.js';

/** A field as rules see it: whose it is, its operators, and the context its options loader runs with. */
export interface CatalogField extends CoreSegmentField {
  source: string;
  ops: SegmentOp[];
  ctx?: PluginContext;
}

/** What the catalog needs of the plugin host: the loaded plugins and which are on for a business. */
export interface FieldSource {
  plugins: ReadonlyArray<{ manifest: { id: string }; server: { segmentFields?: CoreSegmentField[] }; ctx: PluginContext }>;
  isEnabled(tenantId: string, pluginId: string, q?: Db | Tx): Promise<boolean>;
}

const KEY = /^[a-z][a-zA-Z0-9]*(\.[a-z][a-zA-Z0-9]*)+$/;

/** Every field core and the plugins offer, checked once: a plugin's bad field stops the start, like a bad manifest. */
export function allFields(source: FieldSource): Array<{ plugin: string; field: CatalogField }> {
  const out: Array<{ plugin: string; field: CatalogField }> = CORE_FIELDS.map((f) => ({ plugin: 'core', field: { ...f, source: 'core', ops: f.ops ?? SEGMENT_OPS[f.type] } }));
  const keys = new Set(out.map((f) => f.field.key));
  for (const p of source.plugins) {
    for (const f of p.server.segmentFields ?? []) {
      const id = p.manifest.id;
      const refuse = (reason: string) => createError('BF_ERR_SEGMENT_FIELD_INVALID', { plugin: id, key: f.key, reason });
      if (!KEY.test(f.key) || !f.key.startsWith(`${id}.`)) throw refuse(`the key must look like ${id}.name`);
      if (keys.has(f.key)) throw refuse('another field has this key');
      if (!SEGMENT_OPS[f.type]) throw refuse(`type ${String(f.type)} is none of ${Object.keys(SEGMENT_OPS).join(', ')}`);
      const wrong = (f.ops ?? []).find((op) => !SEGMENT_OPS[f.type].includes(op));
      if (wrong) throw refuse(`${wrong} is not an operator of ${f.type}`);
      if (typeof f.sql !== 'function') throw refuse('sql must be a function building the expression');
      keys.add(f.key);
      out.push({ plugin: id, field: { ...f, anniversary: undefined, source: id, ops: f.ops?.length ? f.ops : SEGMENT_OPS[f.type], ctx: p.ctx } });
    }
  }
  return out;
}

/** The fields of one business: core's and those of the plugins enabled for it. */
export async function fieldsFor(source: FieldSource, all: ReturnType<typeof allFields>, tenantId: string, q?: Db | Tx): Promise<Map<string, CatalogField>> {
  const on = new Map<string, boolean>([['core', true]]);
  for (const { plugin } of all) if (!on.has(plugin)) on.set(plugin, await source.isEnabled(tenantId, plugin, q));
  return new Map(all.filter((f) => on.get(f.plugin)).map((f) => [f.field.key, f.field]));
}

/** A plugin's failing loader costs the editor its choices (it falls back to typing), not the whole catalog. */
async function loadOptions(f: CatalogField, q: Db | Tx, tenantId: string): Promise<SegmentFieldOption[] | undefined> {
  try {
    return await f.loadOptions!(q, tenantId, f.ctx!);
  } catch (e) {
    f.ctx?.log.warn({ err: e, field: f.key }, 'segment field options failed to load');
    return undefined;
  }
}

const say = (text: string | LocalizedText, locale: Locale) => (typeof text === 'string' ? text : text[locale] ?? text.en);

/** The catalog as the editor shows it, in one language, options loaded. */
export async function describeFields(fields: Map<string, CatalogField>, q: Db | Tx, tenantId: string, locale: Locale) {
  return Promise.all([...fields.values()].map(async (f) => {
    const options: SegmentFieldOption[] | undefined = f.options ?? (f.loadOptions ? await loadOptions(f, q, tenantId) : undefined);
    return {
      key: f.key, label: say(f.label, locale), type: f.type, ops: f.ops, source: f.source,
      ...(options ? { options: options.map((o) => ({ value: o.value, label: say(o.label, locale) })) } : {}),
    };
  }));
}
