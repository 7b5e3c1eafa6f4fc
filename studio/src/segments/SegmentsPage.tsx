import { Link } from '../router.js';
import { ErrorNote, Loading } from '../ui/Status.js';
import { useApi } from '../query.js';
import type { Segment } from './model.js';
import { useSegmentTexts } from './texts.js';

/** The business's segments, the built-in one first, each with how many clients it holds now. */
export function SegmentsPage() {
  const { s } = useSegmentTexts();
  const list = useApi<{ items: Segment[] }>('/segments');
  return (
    <div className="page">
      <div className="page-head">
        <h1>{s('title')}</h1>
        <Link className="button primary" to="/segments/new">{s('create')}</Link>
      </div>
      <p className="muted">{s('intro')}</p>
      <ErrorNote error={list.error} />
      {list.loading && !list.data ? <Loading /> : null}
      {list.data ? (
        <table className="table" aria-label={s('title')}>
          <thead><tr><th>{s('name')}</th><th>{s('description')}</th><th>{s('count')}</th></tr></thead>
          <tbody>
            {list.data.items.map((seg) => (
              <tr key={seg.id}>
                <td><Link to={`/segments/${seg.id}`}>{seg.name}</Link> {seg.builtIn ? <span className="tag">{s('builtIn')}</span> : null}</td>
                <td className="muted">{seg.description}</td>
                <td><SegmentCount id={seg.id} /></td>
              </tr>
            ))}
            {list.data.items.length === 1 ? <tr><td colSpan={3} className="muted">{s('none')}</td></tr> : null}
          </tbody>
        </table>
      ) : null}
    </div>
  );
}

function SegmentCount({ id }: { id: string }) {
  const total = useApi<{ total: number }>(`/segments/${id}/contacts?limit=1`);
  return <span data-testid={`segment-count-${id}`}>{total.data ? total.data.total : total.error ? '—' : '…'}</span>;
}
