import type { SegmentOp } from '../../../plugin-sdk.js';
import { childPath, defaultValue, emptyCondition, emptyGroup, opKeys, type EditorNode, type FieldInfo, type GroupMode } from './model.js';
import { useSegmentTexts } from './texts.js';
import { ValueInput } from './ValueInput.js';

interface Common {
  fields: FieldInfo[];
  /** server errors by JSON pointer within the rule */
  errors: Record<string, string>;
  readOnly?: boolean;
}

/** A group: its mode, its rows (conditions and nested groups), and buttons to add more. */
export function GroupEditor({ node, path, onChange, onRemove, depth = 0, ...common }: Common & { node: Extract<EditorNode, { kind: 'group' }>; path: string; onChange(n: EditorNode): void; onRemove?(): void; depth?: number }) {
  const { s } = useSegmentTexts();
  const set = (i: number, child: EditorNode) => onChange({ ...node, children: node.children.map((c, j) => (j === i ? child : c)) });
  const drop = (i: number) => onChange({ ...node, children: node.children.filter((_, j) => j !== i) });
  return (
    <div className="inline-card segment-group" data-testid="segment-group" role="group" aria-label={`${s('groupLabel')} ${s(node.mode === 'all' ? 'matchAll' : node.mode === 'any' ? 'matchAny' : 'matchNone')}`}>
      <div className="row">
        <span>{s('groupLabel')}</span>
        <select aria-label={s('groupLabel')} value={node.mode} disabled={common.readOnly} onChange={(e) => onChange({ ...node, mode: e.target.value as GroupMode })}>
          <option value="all">{s('matchAll')}</option>
          <option value="any">{s('matchAny')}</option>
          <option value="none">{s('matchNone')}</option>
        </select>
        {onRemove && !common.readOnly ? <button type="button" className="secondary small" onClick={onRemove}>{s('remove')}</button> : null}
      </div>
      {node.children.length === 0 && node.mode === 'all' ? <p className="muted small">{s('emptyGroup')}</p> : null}
      {node.children.map((child, i) => {
        const at = childPath(path, node.mode, i);
        return child.kind === 'group'
          ? <GroupEditor key={child.id} {...common} node={child} path={at} depth={depth + 1} onChange={(c) => set(i, c)} onRemove={() => drop(i)} />
          : <ConditionRow key={child.id} {...common} node={child} path={at} onChange={(c) => set(i, c)} onRemove={() => drop(i)} />;
      })}
      {common.readOnly ? null : (
        <div className="row-actions">
          <button type="button" className="secondary small" onClick={() => onChange({ ...node, children: [...node.children, emptyCondition()] })}>{s('addCondition')}</button>
          {depth < 4 ? <button type="button" className="secondary small" onClick={() => onChange({ ...node, children: [...node.children, emptyGroup('any')] })}>{s('addGroup')}</button> : null}
        </div>
      )}
    </div>
  );
}

/** field · operator · value, and the server's complaint about any of them. */
function ConditionRow({ node, path, onChange, onRemove, fields, errors, readOnly }: Common & { node: Extract<EditorNode, { kind: 'cond' }>; path: string; onChange(n: EditorNode): void; onRemove(): void }) {
  const { s, sx } = useSegmentTexts();
  const field = fields.find((f) => f.key === node.field);
  const pickField = (key: string) => {
    const f = fields.find((x) => x.key === key);
    const op = f?.ops[0] ?? '';
    onChange({ ...node, field: key, op, value: defaultValue(f, op) });
  };
  const pickOp = (op: SegmentOp) => onChange({ ...node, op, value: defaultValue(field, op) });
  const problem = Object.entries(errors).filter(([p]) => p === path || p.startsWith(`${path}/`)).map(([, m]) => m)[0];
  return (
    <div className="row segment-condition" data-testid="segment-condition">
      <select aria-label={s('field')} value={node.field} disabled={readOnly} onChange={(e) => pickField(e.target.value)}>
        <option value="">{s('choose')}</option>
        {fields.map((f) => <option key={f.key} value={f.key}>{f.label}</option>)}
      </select>
      {field ? (
        <select aria-label={s('op')} value={node.op} disabled={readOnly} onChange={(e) => pickOp(e.target.value as SegmentOp)}>
          {field.ops.map((op) => <option key={op} value={op}>{sx(opKeys(field.type, op))}</option>)}
        </select>
      ) : null}
      {field && node.op ? <ValueInput field={field} op={node.op} value={node.value} label={s('value')} onChange={(value) => onChange({ ...node, value })} /> : null}
      {readOnly ? null : <button type="button" className="secondary small" onClick={onRemove} aria-label={s('remove')}>×</button>}
      {problem ? <span className="field-error" role="alert">{problem}</span> : null}
    </div>
  );
}
