import { useMemo, useState, type DragEvent } from 'react';
import { useI18n } from '../i18n/index.js';
import type { NodeTypeDef } from '../types.js';

export const DRAG_MIME = 'application/x-bookflow-node';

/** Node types by category; drag one onto the canvas, or press it to add it in view. */
export function Palette({ types, onAdd }: { types: NodeTypeDef[]; onAdd(type: string): void }) {
  const { text, t, tx } = useI18n();
  const [filter, setFilter] = useState('');
  const groups = useMemo(() => {
    const f = filter.trim().toLowerCase();
    const m = new Map<string, NodeTypeDef[]>();
    for (const d of types) {
      if (f && !text(d.label).toLowerCase().includes(f) && !d.type.includes(f)) continue;
      m.set(d.category, [...(m.get(d.category) ?? []), d]);
    }
    return [...m.entries()];
  }, [types, filter, text]);
  const onDragStart = (e: DragEvent, type: string) => {
    e.dataTransfer.setData(DRAG_MIME, type);
    e.dataTransfer.effectAllowed = 'move';
  };
  return (
    <aside className="palette" aria-label={t('flow.palette')}>
      <input type="search" placeholder={t('flow.searchNodes')} aria-label={t('flow.searchNodes')} value={filter} onChange={(e) => setFilter(e.target.value)} />
      {groups.map(([cat, defs]) => (
        <section key={cat}>
          <h3>{tx(`category.${cat}`, cat)}</h3>
          {defs.map((d) => (
            <button key={d.type} type="button" className={`palette-item cat-${d.category}`} draggable onDragStart={(e) => onDragStart(e, d.type)} onClick={() => onAdd(d.type)}
              title={text(d.description) || text(d.label)} data-type={d.type}>
              {text(d.label)}
            </button>
          ))}
        </section>
      ))}
    </aside>
  );
}
