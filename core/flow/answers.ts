import type { FlowAnswer, Locale } from '../../plugin-sdk.js';
import type { Graph } from './graph.js';
import { pick, render } from './template.js';

/** Long enough for a wish or an address, short enough for a booking's details. */
const MAX_VALUE = 1000;
const MAX_ANSWERS = 50;

const shown = (v: unknown): string | null => {
  if (v === undefined || v === null || v === '') return null;
  const s = typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : JSON.stringify(v);
  return s.length > MAX_VALUE ? `${s.slice(0, MAX_VALUE - 1)}…` : s;
};

/**
 * The client's answers to the graph's questions, for whoever keeps them with what the dialog led to (a booking's
 * details): question steps first, in graph order, then declared variables no question step saves.
 */
export function flowAnswers(graph: Graph, vars: Record<string, unknown>, locale: Locale): FlowAnswer[] {
  const out: FlowAnswer[] = [];
  const seen = new Set<string>();
  for (const node of graph.nodes) {
    const variable = node.settings?.saveAs;
    if ((node.type !== 'input' && node.type !== 'choice') || typeof variable !== 'string' || seen.has(variable)) continue;
    const raw = vars[variable];
    // A choice saves the button's id: the client pressed its label.
    const button = node.type === 'choice' ? (node.settings.buttons as Array<{ id: string; label: unknown }> | undefined)?.find((b) => b.id === raw) : undefined;
    const value = shown(button ? render(pick(button.label, locale), vars) : raw);
    if (value === null) continue;
    seen.add(variable);
    out.push({ variable, label: render(pick(node.settings.text, locale), vars).trim() || variable, value });
  }
  for (const { name } of graph.variables) {
    const value = seen.has(name) ? null : shown(vars[name]);
    if (value !== null) out.push({ variable: name, label: name, value });
  }
  return out.slice(0, MAX_ANSWERS);
}
