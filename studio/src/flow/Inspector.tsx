import type { ReactNode } from 'react';
import { useI18n } from '../i18n/index.js';
import { SchemaForm } from '../forms/SchemaForm.js';
import type { FlowError } from '../types.js';
import { useDefs } from './context.js';
import { portsOf, settingsPointer, type FlowNode } from './graph.js';
import { describeError } from './describe.js';
import { EventTriggerForm } from './EventTriggerForm.js';

/** Settings of the selected node, as a form generated from its type's JSON Schema. */
export function Inspector({ node, errors, onChange, onDelete, children }: { node: FlowNode; errors: FlowError[]; onChange(settings: Record<string, unknown>): void; onDelete(): void; children?: ReactNode }) {
  const i18n = useI18n();
  const { text, t } = i18n;
  const def = useDefs().get(node.data.type);
  const ports = portsOf(def, node.data.settings);
  const fieldErrors: Record<string, string> = {};
  for (const e of errors) fieldErrors[settingsPointer(e.path)] ??= describeError(e, i18n, ports);
  // Errors that no field shows (the node as a whole, an unconnected port) are listed on top.
  const props = (def?.settingsSchema.properties ?? {}) as Record<string, unknown>;
  const general = errors.filter((e) => !(settingsPointer(e.path).split('/')[1] in props));
  return (
    <section className="inspector" aria-label={t('flow.inspector')}>
      <header>
        <h2>{def ? text(def.label) : node.data.type}</h2>
        <button type="button" className="danger small" onClick={onDelete}>{t('common.delete')}</button>
      </header>
      {def?.description ? <p className="muted">{text(def.description)}</p> : null}
      {general.length ? <ul className="errors-list" role="alert">{general.map((e, i) => <li key={i}>{describeError(e, i18n, ports)}</li>)}</ul> : null}
      {!def ? <p>{t('flow.unknownType')}</p>
        // The event's payload decides which fields the filter, the time and the client may name: a form of its own.
        : node.data.type === 'trigger.event' ? <EventTriggerForm key={node.id} value={node.data.settings} onChange={onChange} errors={fieldErrors} />
        : <SchemaForm key={node.id} schema={def.settingsSchema} value={node.data.settings} onChange={onChange} errors={fieldErrors} />}
      {children}
      <p className="muted small">ID: {node.id}</p>
    </section>
  );
}
