import { useId } from 'react';
import { useI18n } from '../i18n/index.js';
import type { Variable } from '../types.js';
import { VARIABLE_TYPES, type VariableType } from '../../../core/flow/graph.js';
import { useDefs } from './context.js';
import type { FlowNode } from './graph.js';

/** The engine's variable types. */
const TYPES: readonly string[] = VARIABLE_TYPES;

/** The flow's own variables (editable) and those its nodes write (read-only). */
export function VariablesPanel({ variables, nodes, onChange }: { variables: Variable[]; nodes: FlowNode[]; onChange(v: Variable[]): void }) {
  const { t } = useI18n();
  const defs = useDefs();
  const id = useId();
  const written = new Map<string, string>();
  for (const n of nodes) for (const [name, type] of Object.entries(defs.get(n.data.type)?.writes ?? {})) written.set(name, type);
  const set = (i: number, v: Partial<Variable>) => onChange(variables.map((x, j) => (j === i ? { ...x, ...v } : x)));
  return (
    <section className="variables" aria-label={t('flow.variables')}>
      <h2>{t('flow.variables')}</h2>
      <p className="muted small">{t('flow.variablesHelp')}</p>
      <table>
        <thead><tr><th id={`${id}-n`}>{t('flow.varName')}</th><th id={`${id}-t`}>{t('flow.varType')}</th><th /></tr></thead>
        <tbody>
          {variables.map((v, i) => (
            <tr key={i}>
              <td><input aria-labelledby={`${id}-n`} value={v.name} pattern="[A-Za-z_][A-Za-z0-9_]*" onChange={(e) => set(i, { name: e.target.value })} /></td>
              <td>
                <select aria-labelledby={`${id}-t`} value={v.type} onChange={(e) => set(i, { type: e.target.value as VariableType })}>
                  {(TYPES.includes(v.type) ? TYPES : [v.type, ...TYPES]).map((tp) => <option key={tp} value={tp}>{tp}</option>)}
                </select>
              </td>
              <td><button type="button" className="icon danger" aria-label={t('form.remove')} onClick={() => onChange(variables.filter((_, j) => j !== i))}>✕</button></td>
            </tr>
          ))}
          {[...written.entries()].filter(([n]) => !variables.some((v) => v.name === n)).map(([n, tp]) => (
            <tr key={`w-${n}`} className="muted"><td><code>{n}</code></td><td>{tp}</td><td>{t('flow.varFromNodes')}</td></tr>
          ))}
        </tbody>
      </table>
      <button type="button" className="secondary small" onClick={() => onChange([...variables, { name: `var${variables.length + 1}`, type: 'string' }])}>+ {t('flow.addVariable')}</button>
    </section>
  );
}
