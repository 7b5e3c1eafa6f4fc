import { useContext, useId, useState, type ReactNode } from 'react';
import { SuggestionsContext, TextLocaleContext } from './suggestions.js';
import { useI18n } from '../i18n/index.js';
import type { JsonSchema } from '../types.js';
import { baseType, defaultsFor, enumOptions, fieldKind, fieldLabel, hints, isRequired, orderedProperties, ptr } from './schema.js';
import { useOptions } from './useOptions.js';
import { localizeFieldError } from './errors.js';
import { browserZones, currencyOptions, timeZoneGroups } from './choices.js';

export interface SchemaFormProps {
  schema: JsonSchema;
  value: Record<string, unknown>;
  onChange(value: Record<string, unknown>): void;
  /** JSON pointer (relative to value) → message */
  errors?: Record<string, string>;
  disabled?: boolean;
}

/** A form generated from an object JSON Schema; every input has a label, errors sit under their field. */
export function SchemaForm({ schema, value, onChange, errors = {}, disabled }: SchemaFormProps) {
  return (
    <div className="schema-form">
      <ObjectFields schema={schema} value={value ?? {}} onChange={onChange} path="" errors={errors} disabled={disabled} />
    </div>
  );
}

interface FieldProps<V = unknown> {
  schema: JsonSchema;
  value: V;
  onChange(v: V): void;
  path: string;
  errors: Record<string, string>;
  disabled?: boolean;
}

function ObjectFields({ schema, value, onChange, path, errors, disabled, listItem }: FieldProps<Record<string, unknown>> & { listItem?: boolean }) {
  const v = value ?? {};
  return (
    <>
      {orderedProperties(schema).filter(([key]) => !(listItem && key === 'id' && typeof v.id === 'string' && v.id)).map(([key, prop]) => (
        <Field
          key={key}
          name={key}
          required={isRequired(schema, key)}
          schema={prop}
          value={v[key]}
          path={ptr(path, key)}
          errors={errors}
          disabled={disabled}
          onChange={(next) => {
            const copy = { ...v };
            if (next === undefined || (next === '' && !isRequired(schema, key))) delete copy[key];
            else copy[key] = next;
            onChange(copy);
          }}
        />
      ))}
    </>
  );
}

function Field(props: FieldProps & { name: string; required: boolean }) {
  const { schema, value, onChange, path, errors, disabled, name, required } = props;
  const { text, t } = useI18n();
  const id = useId();
  const suggested = useContext(SuggestionsContext);
  const kind = fieldKind(schema);
  if (kind === 'hidden') return null;
  const label = text(fieldLabel(schema, name));
  const help = text(hints(schema).help ?? schema.description);
  // Server-side checks answer in ajv's English; the owner reads them in the UI language.
  const error = errors[path] === undefined ? undefined : localizeFieldError(errors[path], t);
  const errId = error ? `${id}-err` : undefined;
  const common = { id, disabled, 'aria-invalid': error ? true : undefined, 'aria-describedby': errId, 'data-path': path };
  const wrap = (control: ReactNode, inline = false) => (
    <div className={`field${inline ? ' field-inline' : ''}${error ? ' has-error' : ''}`}>
      {inline ? control : null}
      <label htmlFor={id}>{label}{required ? <span className="req" aria-hidden> *</span> : null}</label>
      {inline ? null : control}
      {help ? <div className="help">{help}</div> : null}
      {error ? <div className="field-error" id={errId} role="alert">{error}</div> : null}
    </div>
  );

  switch (kind) {
    case 'string': {
      const widget = hints(schema).widget;
      const type = widget === 'password' ? 'password' : widget === 'time' || widget === 'date' || widget === 'datetime-local' || widget === 'color' || widget === 'email' ? widget : schema.format === 'email' ? 'email' : schema.format === 'date' ? 'date' : 'text';
      const suggestions = widget ? suggested[widget] : undefined;
      return wrap(
        <>
          <input {...common} type={type} value={String(value ?? '')} placeholder={text(hints(schema).placeholder)} maxLength={schema.maxLength} list={suggestions ? `${id}-list` : undefined} onChange={(e) => onChange(e.target.value)} />
          {suggestions ? <datalist id={`${id}-list`}>{suggestions.map((v) => <option key={v} value={v} />)}</datalist> : null}
        </>,
      );
    }
    case 'secret':
      return wrap(<SecretInput common={common} value={value} onChange={onChange} disabled={disabled} />);
    case 'text':
      return wrap(<textarea {...common} rows={3} value={String(value ?? '')} placeholder={text(hints(schema).placeholder)} onChange={(e) => onChange(e.target.value)} />);
    case 'number':
    case 'integer':
      return wrap(<input {...common} type="number" step={kind === 'integer' ? 1 : 'any'} min={schema.minimum} max={schema.maximum} value={value === undefined || value === null ? '' : String(value)}
        onChange={(e) => onChange(e.target.value === '' ? undefined : kind === 'integer' ? parseInt(e.target.value, 10) : Number(e.target.value))} />);
    case 'boolean':
      return wrap(<input {...common} type="checkbox" checked={value === true} onChange={(e) => onChange(e.target.checked)} />, true);
    case 'enum':
      return wrap(
        <select {...common} value={value === undefined ? '' : String(value)} onChange={(e) => {
          const opt = enumOptions(schema).find((o) => String(o.value) === e.target.value);
          onChange(opt ? opt.value : undefined);
        }}>
          <option value="">{t('form.choose')}</option>
          {enumOptions(schema).map((o) => <option key={String(o.value)} value={String(o.value)}>{text(o.label)}</option>)}
        </select>,
      );
    case 'timezone':
      return wrap(<TimeZonePicker common={common} value={value} onChange={onChange} />);
    case 'currency':
      return wrap(<CurrencySelect common={common} value={value} onChange={onChange} />);
    case 'remote':
      return wrap(<RemoteSelect common={common} schema={schema} value={value} onChange={onChange} />);
    case 'remote-multi':
    case 'enum-multi':
      return (
        <fieldset className={`field${error ? ' has-error' : ''}`} aria-describedby={errId}>
          <legend>{label}{required ? <span className="req" aria-hidden> *</span> : null}</legend>
          <MultiChoice schema={schema} value={Array.isArray(value) ? (value as unknown[]) : []} onChange={onChange} disabled={disabled} remote={kind === 'remote-multi'} />
          {error ? <div className="field-error" id={errId} role="alert">{error}</div> : null}
        </fieldset>
      );
    case 'object':
      return (
        <fieldset className="field group">
          <legend>{label}</legend>
          <ObjectFields schema={schema} value={(value ?? {}) as Record<string, unknown>} onChange={onChange} path={path} errors={errors} disabled={disabled} />
        </fieldset>
      );
    case 'object-list':
    case 'list':
      return (
        <fieldset className={`field group${error ? ' has-error' : ''}`}>
          <legend>{label}</legend>
          {help ? <div className="help">{help}</div> : null}
          <ListField schema={schema} value={Array.isArray(value) ? value : []} onChange={onChange} path={path} errors={errors} disabled={disabled} label={label} />
          {error ? <div className="field-error" role="alert">{error}</div> : null}
        </fieldset>
      );
    case 'localized':
      return (
        <fieldset className={`field localized${error ? ' has-error' : ''}`}>
          <legend>{label}{required ? <span className="req" aria-hidden> *</span> : null}</legend>
          <LocalizedInput schema={schema} value={value} onChange={onChange} path={path} errors={errors} disabled={disabled} />
          {help ? <div className="help">{help}</div> : null}
          {error ? <div className="field-error" role="alert">{error}</div> : null}
        </fieldset>
      );
    default:
      return wrap(<LooseInput common={common} value={value} onChange={onChange} />);
  }
}

const ZONES = browserZones();

/** Zones grouped by region, the market's common ones first; typing narrows the list. */
function TimeZonePicker({ common, value, onChange }: { common: Record<string, unknown>; value: unknown; onChange(v: unknown): void }) {
  const { t, tx, locale } = useI18n();
  const [query, setQuery] = useState('');
  const groups = timeZoneGroups(ZONES, locale, query);
  const current = typeof value === 'string' ? value : '';
  const listed = groups.some((g) => g.zones.includes(current));
  return (
    <div className="tz-picker">
      <input type="search" aria-label={t('tz.search')} placeholder={t('tz.search')} value={query} disabled={common.disabled as boolean | undefined}
        onChange={(e) => setQuery(e.target.value)} />
      <select {...common} value={current} onChange={(e) => onChange(e.target.value || undefined)}>
        <option value="">{t('form.choose')}</option>
        {current && !listed ? <option value={current}>{current.replace(/_/g, ' ')}</option> : null}
        {groups.map((g) => (
          <optgroup key={g.region} label={g.region === 'common' ? t('tz.common') : tx(`tz.region.${g.region}`, g.region)}>
            {g.zones.map((z) => <option key={`${g.region}-${z}`} value={z}>{z.replace(/_/g, ' ')}</option>)}
          </optgroup>
        ))}
      </select>
    </div>
  );
}

function CurrencySelect({ common, value, onChange }: { common: Record<string, unknown>; value: unknown; onChange(v: unknown): void }) {
  const { t, locale } = useI18n();
  const options = currencyOptions(locale);
  const current = typeof value === 'string' ? value : '';
  return (
    <select {...common} value={current} onChange={(e) => onChange(e.target.value || undefined)}>
      <option value="">{t('form.choose')}</option>
      {current && !options.some((o) => o.value === current) ? <option value={current}>{current}</option> : null}
      {options.map((o) => <option key={o.value} value={o.value}>{o.label}</option>)}
    </select>
  );
}

function RemoteSelect({ common, schema, value, onChange }: { common: Record<string, unknown>; schema: JsonSchema; value: unknown; onChange(v: unknown): void }) {
  const { t, text } = useI18n();
  const ui = hints(schema);
  const { options, error } = useOptions(ui.optionsFrom, ui.valueKey, ui.labelKey, ui.where);
  const numeric = baseType(schema) === 'integer' || baseType(schema) === 'number';
  return (
    <>
      <select {...common} value={value === undefined || value === null ? '' : String(value)} onChange={(e) => onChange(e.target.value === '' ? undefined : numeric ? Number(e.target.value) : e.target.value)}>
        <option value="">{t('form.choose')}</option>
        {value !== undefined && value !== '' && !options.some((o) => o.value === String(value)) ? <option value={String(value)}>{String(value)}</option> : null}
        {options.map((o) => <option key={o.value} value={o.value}>{text(o.label)}</option>)}
      </select>
      {error ? <div className="help">{t('form.optionsFailed')}</div> : null}
    </>
  );
}

function MultiChoice({ schema, value, onChange, disabled, remote }: { schema: JsonSchema; value: unknown[]; onChange(v: unknown[]): void; disabled?: boolean; remote: boolean }) {
  const { text } = useI18n();
  const items = (schema.items ?? {}) as JsonSchema;
  const ui = { ...hints(items), ...hints(schema) };
  const { options: remoteOptions } = useOptions(remote ? ui.optionsFrom : undefined, ui.valueKey, ui.labelKey, ui.where);
  const options = remote ? remoteOptions : enumOptions(items).map((o) => ({ value: String(o.value), label: o.label }));
  const set = new Set(value.map(String));
  return (
    <div className="choices">
      {options.map((o) => (
        <label key={o.value} className="choice">
          <input type="checkbox" disabled={disabled} checked={set.has(o.value)} onChange={(e) => onChange(e.target.checked ? [...value, o.value] : value.filter((v) => String(v) !== o.value))} />
          {text(o.label)}
        </label>
      ))}
    </div>
  );
}

function ListField({ schema, value, onChange, path, errors, disabled, label }: FieldProps<unknown[]> & { label: string }) {
  const { t } = useI18n();
  const items = (schema.items ?? {}) as JsonSchema;
  const isObject = baseType(items) === 'object';
  const replace = (i: number, v: unknown) => onChange(value.map((x, j) => (j === i ? v : x)));
  const move = (i: number, d: number) => {
    const next = [...value];
    const [x] = next.splice(i, 1);
    next.splice(i + d, 0, x);
    onChange(next);
  };
  const canAdd = schema.maxItems === undefined || value.length < schema.maxItems;
  return (
    <div className="list">
      {value.map((item, i) => (
        <div className="list-item" key={i}>
          <div className="list-item-body">
            {isObject ? (
              <ObjectFields listItem schema={items} value={(item ?? {}) as Record<string, unknown>} onChange={(v) => replace(i, v)} path={ptr(path, i)} errors={errors} disabled={disabled} />
            ) : (
              <Field name={`${label} ${i + 1}`} required={false} schema={items} value={item} onChange={(v) => replace(i, v)} path={ptr(path, i)} errors={errors} disabled={disabled} />
            )}
          </div>
          <div className="list-item-actions">
            <button type="button" className="icon" disabled={disabled || i === 0} onClick={() => move(i, -1)} aria-label={t('form.moveUp')} title={t('form.moveUp')}>↑</button>
            <button type="button" className="icon" disabled={disabled || i === value.length - 1} onClick={() => move(i, 1)} aria-label={t('form.moveDown')} title={t('form.moveDown')}>↓</button>
            <button type="button" className="icon danger" disabled={disabled} onClick={() => onChange(value.filter((_, j) => j !== i))} aria-label={t('form.remove')} title={t('form.remove')}>✕</button>
          </div>
        </div>
      ))}
      {canAdd ? <button type="button" className="secondary small" disabled={disabled} onClick={() => onChange([...value, defaultsFor(items) ?? (baseType(items) === 'string' ? '' : undefined)])}>+ {t('form.add')}</button> : null}
    </div>
  );
}

/** A text in each UI language; the required one (the business's, for flows) comes first, the others fall back to it. */
function LocalizedInput({ schema, value, onChange, path, errors, disabled }: FieldProps) {
  const { t } = useI18n();
  const main = useContext(TextLocaleContext);
  const id = useId();
  const v = (value && typeof value === 'object' ? value : {}) as Record<string, string>;
  const langs = [main, ...(['en', 'ru', 'uk'] as const).filter((l) => l !== main)];
  const long = (((schema.properties as Record<string, JsonSchema> | undefined)?.en?.maxLength) ?? 0) > 200;
  const set = (lang: string, text: string) => {
    const next = { ...v, [lang]: text };
    if (lang !== main && text === '') delete next[lang];
    // All empty is no text at all: an optional text is then left out, a required one is reported missing.
    onChange(Object.values(next).every((x) => x === '') ? undefined : next);
  };
  return (
    <div className="localized-langs">
      {langs.map((l) => {
        const err = errors[ptr(path, l)] === undefined ? undefined : localizeFieldError(errors[ptr(path, l)], t);
        const Tag = long ? 'textarea' : 'input';
        return (
          <div className={`lang-row${err ? ' has-error' : ''}`} key={l}>
            <label htmlFor={`${id}-${l}`} className="lang-tag" title={t(`lang.${l}`)}>{l.toUpperCase()}{l === main ? '*' : ''}</label>
            <Tag id={`${id}-${l}`} data-path={ptr(path, l)} disabled={disabled} rows={long ? 2 : undefined} value={v[l] ?? ''} aria-invalid={err ? true : undefined}
              placeholder={l === main ? '' : v[main] ?? ''} onChange={(e: { target: { value: string } }) => set(l, e.target.value)} />
            {err ? <div className="field-error" role="alert">{err}</div> : null}
          </div>
        );
      })}
    </div>
  );
}

const isMask = (v: unknown): v is { set: boolean } => !!v && typeof v === 'object' && typeof (v as { set?: unknown }).set === 'boolean';

/**
 * A write-only secret: the server shows only whether it is set ({set}), which is sent back to keep it;
 * a typed value replaces it, Clear sends null. The typed value is never shown again.
 */
function SecretInput({ common, value, onChange, disabled }: { common: Record<string, unknown>; value: unknown; onChange(v: unknown): void; disabled?: boolean }) {
  const { t } = useI18n();
  const [stored, setStored] = useState(() => (isMask(value) ? value : { set: false }));
  const [editing, setEditing] = useState(false);
  // A fresh {set} from the server (loaded, saved) is the new state of the stored secret.
  if (isMask(value) && (value.set !== stored.set || editing)) {
    setStored(value);
    setEditing(false);
  }
  const keep = () => { setEditing(false); onChange(stored); };
  return (
    <div className="secret">
      <span className="secret-state">{value === null ? t('form.secretCleared') : stored.set ? t('form.secretSet') : t('form.secretNotSet')}</span>
      {editing || (!stored.set && value !== null) ? (
        <input {...common} type="password" autoComplete="new-password" value={typeof value === 'string' ? value : ''} onChange={(e) => onChange(e.target.value === '' ? undefined : e.target.value)} />
      ) : null}
      {stored.set && !editing && value !== null ? (
        <>
          <button type="button" className="secondary small" disabled={disabled} onClick={() => setEditing(true)}>{t('form.secretReplace')}</button>
          <button type="button" className="secondary small" disabled={disabled} onClick={() => onChange(null)}>{t('form.secretClear')}</button>
        </>
      ) : null}
      {stored.set && (editing || value === null) ? <button type="button" className="secondary small" disabled={disabled} onClick={keep}>{t('form.secretKeep')}</button> : null}
    </div>
  );
}

/** A value of no declared type: JSON when it parses, text otherwise. */
function LooseInput({ common, value, onChange }: { common: Record<string, unknown>; value: unknown; onChange(v: unknown): void }) {
  const shown = value === undefined ? '' : typeof value === 'string' ? value : JSON.stringify(value);
  return <input {...common} type="text" value={shown} onChange={(e) => {
    const raw = e.target.value;
    if (raw === '') return onChange(undefined);
    try { onChange(/^[\[{0-9-]|^(true|false|null)$/.test(raw) ? JSON.parse(raw) : raw); } catch { onChange(raw); }
  }} />;
}
