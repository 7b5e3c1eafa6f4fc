import { memo, useId } from 'react';
import { useI18n } from '../i18n/index.js';
import type { LocalizedText } from '../types.js';
import { useDefs } from './context.js';
import { portsOf, type FlowEdge, type FlowNode } from './graph.js';

/** Where each output of the node leads, chosen from a list: connecting without dragging, by keyboard. */
export const Connections = memo(function Connections({ nodeId, nodes, edges, onConnect, onDisconnect }: {
  nodeId: string;
  nodes: FlowNode[];
  edges: FlowEdge[];
  onConnect(source: string, port: string, target: string): void;
  onDisconnect(source: string, port: string): void;
}) {
  const { t, text } = useI18n();
  const defs = useDefs();
  const id = useId();
  const node = nodes.find((n) => n.id === nodeId);
  const ports = node ? portsOf(defs.get(node.data.type), node.data.settings) : [];
  if (ports.length === 0) return null;
  const name = (n: FlowNode) => {
    const label = text(defs.get(n.data.type)?.label) || n.data.type;
    const s = n.data.settings.text ?? n.data.settings.command;
    const about = typeof s === 'string' ? s : s && typeof s === 'object' ? text(s as LocalizedText) : '';
    return `${label}${about ? `: ${about.slice(0, 40)}` : ''} (${n.id})`;
  };
  const targets = nodes.filter((n) => n.id !== nodeId && defs.get(n.data.type)?.category !== 'trigger');
  return (
    <fieldset className="field group connections">
      <legend>{t('flow.connections')}</legend>
      {ports.map((p) => {
        const edge = edges.find((e) => e.source === nodeId && (e.sourceHandle ?? 'next') === p.id);
        return (
          <div className="field" key={p.id}>
            <label htmlFor={`${id}-${p.id}`}>{text(p.label)}{p.optional ? <span className="muted small"> ({t('flow.optional')})</span> : null}</label>
            <select id={`${id}-${p.id}`} value={edge?.target ?? ''} onChange={(e) => (e.target.value ? onConnect(nodeId, p.id, e.target.value) : onDisconnect(nodeId, p.id))}>
              <option value="">{t('flow.nowhere')}</option>
              {targets.map((n) => <option key={n.id} value={n.id}>{name(n)}</option>)}
            </select>
          </div>
        );
      })}
    </fieldset>
  );
});
