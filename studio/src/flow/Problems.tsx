import { useI18n } from '../i18n/index.js';
import type { FlowError } from '../types.js';
import { useDefs } from './context.js';
import { describeError } from './describe.js';
import { portsOf, type FlowNode } from './graph.js';

/** Every finding of the validator; one pinned on a node takes you to it. */
export function Problems({ errors, nodes, onFocus }: { errors: FlowError[]; nodes: FlowNode[]; onFocus(nodeId: string): void }) {
  const i18n = useI18n();
  const defs = useDefs();
  if (errors.length === 0) return null;
  return (
    <section className="problems">
      <h3>{i18n.t('flow.problemsTitle')}</h3>
      <ul>
        {errors.map((e, i) => {
          const n = e.nodeId ? nodes.find((x) => x.id === e.nodeId) : undefined;
          const def = n ? defs.get(n.data.type) : undefined;
          const what = describeError(e, i18n, n ? portsOf(def, n.data.settings) : [], def?.settingsSchema);
          if (!n) return <li key={i}>{what}</li>;
          const where = i18n.text(def?.label) || n.data.type;
          return <li key={i}><button type="button" className="link" onClick={() => onFocus(n.id)}>{where}: {what}</button></li>;
        })}
      </ul>
    </section>
  );
}
