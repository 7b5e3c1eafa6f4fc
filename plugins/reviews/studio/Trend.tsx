/** A rating's week-by-week line (1–5 ★), drawn as a small SVG: enough to see a specialist slipping or improving. */
export function Trend({ points, label }: { points: Array<{ period: string; average: number }>; label: string }) {
  const w = 120;
  const h = 28;
  if (points.length === 0) return null;
  const x = (i: number) => (points.length === 1 ? w / 2 : (i / (points.length - 1)) * (w - 4) + 2);
  const y = (v: number) => h - 2 - ((v - 1) / 4) * (h - 4);
  const line = points.map((p, i) => `${i ? 'L' : 'M'}${x(i).toFixed(1)},${y(p.average).toFixed(1)}`).join(' ');
  return (
    <svg width={w} height={h} role="img" aria-label={`${label}: ${points.map((p) => `${p.period} ${p.average}`).join(', ')}`}>
      <path d={line} fill="none" stroke="currentColor" strokeWidth={1.5} />
      {points.map((p, i) => <circle key={p.period} cx={x(i)} cy={y(p.average)} r={2} fill="currentColor"><title>{`${p.period}: ${p.average}`}</title></circle>)}
    </svg>
  );
}
