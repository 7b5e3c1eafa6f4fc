/**
 * Every benchmark states its figures as ratios to a reference measured in the same run (absolute figures on a
 * shared 2-core machine swing by 2× between runs). `ratio()` prints one and keeps it; bench/run.ts ends with
 * the table of all of them and writes it to bench/results.json so two runs can be compared.
 */
export interface Ratio {
  bench: string;
  measure: string;
  /** Bookflow's figure and the reference's, with their unit */
  value: number;
  reference: number;
  unit: string;
  ratio: number;
  /** the goal for the ratio: at least (`min`) or at most (`max`) */
  goal?: { min?: number; max?: number };
  met?: boolean;
}

const kept: Ratio[] = ((globalThis as { benchRatios?: Ratio[] }).benchRatios ??= []);

export function ratio(r: Omit<Ratio, 'ratio' | 'met'> & { ratio?: number }): Ratio {
  const value = r.ratio ?? r.value / r.reference;
  const met = r.goal ? (r.goal.min === undefined || value >= r.goal.min) && (r.goal.max === undefined || value <= r.goal.max) : undefined;
  const row: Ratio = { ...r, ratio: value, met };
  const goal = r.goal ? `  goal ${r.goal.min !== undefined ? `≥ ${r.goal.min}` : `≤ ${r.goal.max}`} ${met ? 'met' : 'NOT met'}` : '';
  const line = `  ratio  ${r.measure}: ${fmt(r.value)} ${r.unit} vs ${fmt(r.reference)} ${r.unit} → ${fmt(value, 2)}${goal}`;
  // Kept only once it formats: a row that cannot be printed must not break the closing table of every bench.
  kept.push(row);
  console.log(line);
  return row;
}

export const ratios = (): readonly Ratio[] => kept;

/** A figure that was never measured (a percentile of nothing is NaN) prints as such instead of throwing. */
const fmt = (n: number, digits?: number) => (!Number.isFinite(n) ? String(n) : digits !== undefined ? n.toFixed(digits) : Math.abs(n) >= 100 ? n.toFixed(0) : n.toFixed(2));

/** The closing table: one line per ratio. */
export function ratioTable(rows: readonly Ratio[]): string {
  const head = ['bench', 'measure', 'value', 'reference', 'ratio', 'goal', ''];
  const body = rows.map((r) => [r.bench, r.measure, `${fmt(r.value)} ${r.unit}`, `${fmt(r.reference)} ${r.unit}`, fmt(r.ratio, 2),
    r.goal ? (r.goal.min !== undefined ? `≥ ${r.goal.min}` : `≤ ${r.goal.max}`) : '', r.met === undefined ? '' : r.met ? 'met' : 'NOT met']);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  return [head, ...body].map((cells) => cells.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd()).join('\n');
}
