import { memo, useEffect, useRef } from 'react';
import { Handle, Position, useUpdateNodeInternals, type NodeProps } from '@xyflow/react';
import { useI18n } from '../i18n/index.js';
import { useDefs, useNodeErrors } from './context.js';
import { portsOf, type FlowNode } from './graph.js';
import { describeError } from './describe.js';
import type { LocalizedText } from '../types.js';

/** Short text shown on a node: its first non-empty text setting, in the UI language when it has one. */
function summary(settings: Record<string, unknown>, text: (v: LocalizedText | string) => string): string {
  for (const v of Object.values(settings)) {
    const s = typeof v === 'string' ? v : v && typeof v === 'object' && !Array.isArray(v) && typeof (v as Record<string, unknown>).en === 'string' ? text(v as LocalizedText) : '';
    if (s.trim()) return s.length > 80 ? `${s.slice(0, 80)}…` : s;
  }
  return '';
}

type ViewProps = Pick<NodeProps<FlowNode>, 'id' | 'data' | 'selected'>;
/**
 * What the view draws from its props. The canvas hands a node its position, size, z-index and drag state as well, and
 * each change of them (every node once its size is measured, a moved node at every step) would draw it again.
 */
const sameView = (a: ViewProps, b: ViewProps) => a.id === b.id && a.data === b.data && a.selected === b.selected;

/** One flow node: an input on the left, one output handle per port on the right, its errors pinned on it. */
export const FlowNodeView = memo(function FlowNodeView({ id, data, selected }: ViewProps) {
  const i18n = useI18n();
  const { text, t } = i18n;
  const def = useDefs().get(data.type);
  const errors = useNodeErrors(id);
  const ports = portsOf(def, data.settings);
  const portKey = ports.map((p) => p.id).join('|');
  // Handles added or removed after mount (a new button) must be measured again; the first render is measured anyway.
  const updateInternals = useUpdateNodeInternals();
  const shownPorts = useRef(portKey);
  useEffect(() => {
    if (shownPorts.current === portKey) return;
    shownPorts.current = portKey;
    updateInternals(id);
  }, [id, portKey, updateInternals]);
  const isTrigger = def?.category === 'trigger';
  const about = summary(data.settings, text);
  return (
    <div className={`fnode cat-${def?.category ?? 'unknown'}${selected ? ' selected' : ''}${errors ? ' invalid' : ''}`} data-node-type={data.type} data-testid={`node-${id}`}>
      {isTrigger ? null : <Handle type="target" position={Position.Left} className="in" />}
      <div className="fnode-head">
        <span className="fnode-title">{def ? text(def.label) : data.type}</span>
        {errors ? <span className="fnode-badge" title={errors.map((e) => describeError(e, i18n, ports)).join('\n')} aria-label={t('flow.problems', { n: errors.length })}>{errors.length}</span> : null}
      </div>
      {about ? <div className="fnode-summary">{about}</div> : null}
      {errors ? <ul className="fnode-errors">{errors.slice(0, 3).map((e, i) => <li key={i}>{describeError(e, i18n, ports)}</li>)}</ul> : null}
      {!def ? <div className="fnode-errors">{t('flow.unknownType')}</div> : null}
      <div className="fnode-ports">
        {ports.map((p) => (
          <div className="fnode-port" key={p.id} data-port={p.id}>
            <span>{text(p.label)}</span>
            <Handle type="source" position={Position.Right} id={p.id} className="out" />
          </div>
        ))}
      </div>
    </div>
  );
}, sameView);
