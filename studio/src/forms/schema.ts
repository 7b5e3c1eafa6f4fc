/** JSON Schema helpers for generated forms; no DOM here, so they are tested in node. */
import type { JsonSchema, LocalizedText } from '../types.js';

export type FieldKind = 'timezone' | 'currency' | 'localized' | 'string' | 'text' | 'number' | 'integer' | 'boolean' | 'enum' | 'remote' | 'remote-multi' | 'enum-multi' | 'object' | 'object-list' | 'list' | 'hidden' | 'secret' | 'unknown';

/** Editor hints carried by the `x-ui` keyword. */
export interface UiHints {
  widget?: string;
  label?: LocalizedText | string;
  help?: LocalizedText | string;
  placeholder?: LocalizedText | string;
  /** GET path (with or without /api/v1) whose items fill a select */
  optionsFrom?: string;
  valueKey?: string;
  labelKey?: string;
  /** keeps only the items whose field is one of the values, e.g. {kind: ['room', 'equipment']} */
  where?: Record<string, unknown[]>;
  /** labels of enum values */
  enumLabels?: Record<string, LocalizedText | string>;
  order?: number;
}

export const hints = (s: JsonSchema): UiHints => (s['x-ui'] ?? {}) as UiHints;

export function baseType(s: JsonSchema): string | undefined {
  const t = s.type;
  if (Array.isArray(t)) return t.find((x) => x !== 'null');
  if (t) return t;
  if (s.properties) return 'object';
  if (s.enum) return typeof s.enum[0] === 'number' ? 'number' : 'string';
  return undefined;
}

export function fieldKind(s: JsonSchema): FieldKind {
  const ui = hints(s);
  if (ui.widget === 'hidden' || ui.widget === 'id') return 'hidden';
  // Write-only on the server: the value comes as {set}, a new one replaces it, null clears it.
  if (s['x-secret'] === true) return 'secret';
  if (ui.widget === 'localized-text') return 'localized';
  if (ui.widget === 'timezone' || ui.widget === 'currency') return ui.widget;
  const t = baseType(s);
  if (t === 'array') {
    const items = (s.items ?? {}) as JsonSchema;
    if (hints(items).optionsFrom || ui.optionsFrom) return 'remote-multi';
    if (items.enum) return 'enum-multi';
    return baseType(items) === 'object' ? 'object-list' : 'list';
  }
  if (ui.optionsFrom) return 'remote';
  if (s.enum || s.oneOf?.every((o: JsonSchema) => 'const' in o)) return 'enum';
  if (t === 'string') return ui.widget === 'textarea' || (s.maxLength ?? 0) > 300 ? 'text' : 'string';
  if (t === 'number' || t === 'integer' || t === 'boolean') return t;
  if (t === 'object') return s.properties ? 'object' : 'unknown';
  return 'unknown';
}

/** enum values with their labels (`x-ui.enumLabels`, or `oneOf: [{const, title}]`). */
export function enumOptions(s: JsonSchema): Array<{ value: unknown; label: LocalizedText | string }> {
  const labels = hints(s).enumLabels ?? {};
  if (s.enum) return (s.enum as unknown[]).map((v) => ({ value: v, label: labels[String(v)] ?? String(v) }));
  return ((s.oneOf ?? []) as JsonSchema[]).map((o) => ({ value: o.const, label: labels[String(o.const)] ?? o.title ?? String(o.const) }));
}

export function humanize(key: string): string {
  const words = key.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/[_-]+/g, ' ').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export function fieldLabel(s: JsonSchema, key: string): LocalizedText | string {
  return hints(s).label ?? s.title ?? humanize(key);
}

/** Properties in display order: `x-ui.order`, then declaration order. */
export function orderedProperties(s: JsonSchema): Array<[string, JsonSchema]> {
  const entries = Object.entries((s.properties ?? {}) as Record<string, JsonSchema>);
  return entries
    .map((e, i) => ({ e, o: hints(e[1]).order ?? 1000 + i }))
    .sort((a, b) => a.o - b.o)
    .map((x) => x.e);
}

export function isRequired(parent: JsonSchema, key: string): boolean {
  return Array.isArray(parent.required) && parent.required.includes(key);
}

let idCounter = 0;
export const shortId = (prefix = 'p') => `${prefix}${Date.now().toString(36).slice(-4)}${(idCounter++).toString(36)}${Math.random().toString(36).slice(2, 5)}`;

/** A value to start from: `default`s, objects filled, ids generated for hidden id fields. */
export function defaultsFor(s: JsonSchema): unknown {
  if (s.default !== undefined) return structuredClone(s.default);
  const kind = fieldKind(s);
  if (kind === 'hidden' && baseType(s) === 'string') return shortId();
  switch (baseType(s)) {
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const [k, p] of orderedProperties(s)) {
        // Items that become ports (buttons, rules) need an id the owner never has to type.
        if (k === 'id' && isRequired(s, k) && baseType(p) === 'string' && p.default === undefined) { out[k] = shortId('b'); continue; }
        // An optional group (e.g. a text to override a default) starts absent, not half-filled.
        if (!isRequired(s, k) && baseType(p) === 'object' && p.default === undefined) continue;
        const v = defaultsFor(p);
        if (v !== undefined) out[k] = v;
        else if (isRequired(s, k) && baseType(p) === 'string' && !p.enum && !hints(p).optionsFrom) out[k] = '';
      }
      return out;
    }
    case 'array':
      return isRequiredArrayWithMin(s) ? Array.from({ length: s.minItems }, () => defaultsFor(s.items ?? {})) : [];
    case 'boolean':
      return undefined;
    default:
      return undefined;
  }
}
const isRequiredArrayWithMin = (s: JsonSchema) => typeof s.minItems === 'number' && s.minItems > 0 && baseType((s.items ?? {}) as JsonSchema) === 'object';

/** JSON pointer segment encoding. */
export const ptr = (base: string, key: string | number) => `${base}/${String(key).replace(/~/g, '~0').replace(/\//g, '~1')}`;

/** Options of a remote select from a list response: `{items: [...]}` or a bare array. */
export function toOptions(data: unknown, valueKey = 'id', labelKey = 'name', where?: Record<string, unknown[]>): Array<{ value: string; label: LocalizedText | string }> {
  const all = Array.isArray(data) ? data : Array.isArray((data as { items?: unknown[] })?.items) ? (data as { items: unknown[] }).items : [];
  const items = where ? all.filter((it) => Object.entries(where).every(([k, vs]) => vs.includes((it as Record<string, unknown>)[k]))) : all;
  return items.map((it) => {
    const o = it as Record<string, unknown>;
    const label = o[labelKey] ?? o.title ?? o.name ?? o[valueKey];
    return { value: String(o[valueKey]), label: (typeof label === 'object' && label ? label : String(label)) as LocalizedText | string };
  });
}

/** Errors under `prefix`, re-keyed relative to it. */
export function errorsUnder(errors: Record<string, string>, prefix: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(errors)) if (k === prefix || k.startsWith(prefix + '/')) out[k.slice(prefix.length)] = v;
  return out;
}

const UI_LOCALES = ['en', 'ru', 'uk'] as const;
const translated = (v: unknown) => !!v && typeof v === 'object' && UI_LOCALES.every((l) => typeof (v as Record<string, unknown>)[l] === 'string' && (v as Record<string, string>)[l] !== '');

/**
 * Paths of what a form would show without a translation in every UI language: a field's label or help,
 * an enum option's label. Numbers as options read the same in every language.
 */
export function untranslatedLabels(s: JsonSchema, path = ''): string[] {
  const out: string[] = [];
  const ui = hints(s);
  if (fieldKind(s) === 'hidden') return out;
  if (ui.help !== undefined && !translated(ui.help)) out.push(`${path} help`);
  const values = s.enum ?? ((s.items as JsonSchema | undefined)?.enum);
  const labels = { ...hints((s.items ?? {}) as JsonSchema).enumLabels, ...ui.enumLabels };
  for (const v of (values ?? []) as unknown[]) if (typeof v !== 'number' && !translated(labels[String(v)])) out.push(`${path} option ${String(v)}`);
  if (fieldKind(s) === 'localized') return out;
  for (const [key, prop] of orderedProperties(s)) {
    if (fieldKind(prop) !== 'hidden' && !translated(hints(prop).label)) out.push(`${ptr(path, key)} label`);
    out.push(...untranslatedLabels(prop, ptr(path, key)));
  }
  const items = s.items as JsonSchema | undefined;
  if (items && baseType(items) === 'object') out.push(...untranslatedLabels(items, ptr(path, 'items')));
  return out;
}

/** The schema of the field at a JSON pointer (relative to the form's value), or undefined. */
export function schemaAt(s: JsonSchema, pointer: string): JsonSchema | undefined {
  let cur: JsonSchema | undefined = s;
  for (const raw of pointer.split('/').slice(1)) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (!cur) return undefined;
    cur = /^\d+$/.test(key) && cur.items ? (cur.items as JsonSchema) : (cur.properties as Record<string, JsonSchema> | undefined)?.[key];
  }
  return cur;
}
