import { useId } from 'react';
import type { SegmentOp } from '../../../plugin-sdk.js';
import type { FieldInfo } from './model.js';
import { useSegmentTexts } from './texts.js';

interface Props { field: FieldInfo; op: SegmentOp; value: unknown; onChange(v: unknown): void; label: string }

/** The value part of a condition row, shaped by the field's type and the operator. */
export function ValueInput({ field, op, value, onChange, label }: Props) {
  const { s } = useSegmentTexts();
  const id = useId();
  if (op === 'exists' || field.type === 'boolean') {
    return (
      <select aria-label={label} value={value === false ? 'false' : 'true'} onChange={(e) => onChange(e.target.value === 'true')}>
        <option value="true">{s('yes')}</option>
        <option value="false">{s('no')}</option>
      </select>
    );
  }
  const days = field.type === 'date' && (op === 'withinLastDays' || op === 'olderThanDays' || op === 'withinNextDays');
  const kind = field.type === 'number' || days ? 'number' : field.type === 'date' ? 'date' : 'text';
  const parse = (raw: string) => (kind === 'number' ? (raw === '' ? '' : Number(raw)) : raw);
  if (op === 'between') {
    const pair = Array.isArray(value) ? value : ['', ''];
    return (
      <span className="field-inline">
        <input aria-label={`${label} ${s('from')}`} type={kind} value={String(pair[0] ?? '')} onChange={(e) => onChange([parse(e.target.value), pair[1]])} />
        <span>{s('to')}</span>
        <input aria-label={`${label} ${s('to')}`} type={kind} value={String(pair[1] ?? '')} onChange={(e) => onChange([pair[0], parse(e.target.value)])} />
      </span>
    );
  }
  const list = op === 'in' || op === 'notIn' || op === 'all';
  if (field.options) {
    if (!list) {
      return (
        <select aria-label={label} value={String(value ?? '')} onChange={(e) => onChange(e.target.value)}>
          <option value="">{s('choose')}</option>
          {field.options.map((o) => <option key={o.value} value={o.value}>{o.label}</option>)}
        </select>
      );
    }
    const chosen = new Set(Array.isArray(value) ? (value as string[]) : []);
    const toggle = (v: string) => onChange(field.options!.map((o) => o.value).filter((x) => (x === v ? !chosen.has(x) : chosen.has(x))));
    return (
      <fieldset className="choices" aria-label={label}>
        {field.options.map((o) => (
          <label key={o.value} className="choice"><input type="checkbox" checked={chosen.has(o.value)} onChange={() => toggle(o.value)} /> {o.label}</label>
        ))}
      </fieldset>
    );
  }
  if (list) {
    const text = Array.isArray(value) ? (value as string[]).join(', ') : '';
    return <input id={id} aria-label={label} placeholder={s('listHint')} defaultValue={text} onChange={(e) => onChange(e.target.value.split(',').map((x) => x.trim()).filter(Boolean))} />;
  }
  return (
    <span className="field-inline">
      <input aria-label={label} type={kind} value={String(value ?? '')} onChange={(e) => onChange(parse(e.target.value))} />
      {days ? <span>{s('days')}</span> : null}
    </span>
  );
}
