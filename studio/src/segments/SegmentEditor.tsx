import { useEffect, useId, useState, type FormEvent } from 'react';
import { ApiError, del, patch, post } from '../api.js';
import { navigate, Link } from '../router.js';
import { ErrorNote, Loading } from '../ui/Status.js';
import { useApi } from '../query.js';
import { emptyGroup, isComplete, rootFromRule, toRule, type EditorNode, type FieldInfo, type Segment } from './model.js';
import { GroupEditor } from './RuleEditor.js';
import { useLivePreview } from './useLivePreview.js';
import { useSegmentTexts } from './texts.js';

/** One segment: name, description and the rule builder, with the live count and a sample of who matches. */
export function SegmentEditor({ segmentId }: { segmentId: string }) {
  const isNew = segmentId === 'new';
  const fields = useApi<{ items: FieldInfo[] }>('/segments/fields');
  const segment = useApi<Segment>(isNew ? null : `/segments/${segmentId}`);
  if (fields.error || segment.error) return <div className="page"><ErrorNote error={fields.error ?? segment.error} /></div>;
  if (!fields.data || segment.loading) return <Loading />;
  return <Form key={segmentId} fields={fields.data.items} segment={segment.data} />;
}

function Form({ fields, segment }: { fields: FieldInfo[]; segment: Segment | null }) {
  const { s } = useSegmentTexts();
  const ids = { name: useId(), description: useId() };
  const [name, setName] = useState(segment?.name ?? '');
  const [description, setDescription] = useState(segment?.description ?? '');
  const [root, setRoot] = useState<EditorNode>(() => (segment ? rootFromRule(segment.rule) : emptyGroup()));
  const [saveError, setSaveError] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);
  const readOnly = segment?.builtIn ?? false;
  const rule = toRule(root);
  const complete = isComplete(root);
  const preview = useLivePreview(rule, complete);
  useEffect(() => setSaved(false), [name, description, JSON.stringify(rule)]);

  const save = async (e: FormEvent) => {
    e.preventDefault();
    setSaveError(null);
    try {
      if (segment) await patch(`/segments/${segment.id}`, { name, description, rule });
      else navigate(`/segments/${(await post<Segment>('/segments', { name, description, rule })).id}`, true);
      setSaved(true);
    } catch (err) {
      setSaveError(err);
    }
  };
  const remove = async () => {
    if (!segment || !window.confirm(s('confirmDelete'))) return;
    try {
      await del(`/segments/${segment.id}`);
      navigate('/segments');
    } catch (err) {
      setSaveError(err);
    }
  };
  const nameError = saveError instanceof ApiError ? saveError.fieldErrors()['/name'] : undefined;
  return (
    <div className="page">
      <p><Link to="/segments">← {s('back')}</Link></p>
      <form onSubmit={save}>
        <h1>{segment?.name ?? s('create')}</h1>
        {readOnly ? <p className="muted">{s('readOnly')}</p> : (
          <>
            <div className="field"><label htmlFor={ids.name}>{s('name')}</label><input id={ids.name} value={name} required maxLength={200} onChange={(e) => setName(e.target.value)} />{nameError ? <span className="field-error">{nameError}</span> : null}</div>
            <div className="field"><label htmlFor={ids.description}>{s('description')}</label><input id={ids.description} value={description} maxLength={2000} onChange={(e) => setDescription(e.target.value)} /></div>
          </>
        )}
        <h2>{s('rule')}</h2>
        <GroupEditor node={root as Extract<EditorNode, { kind: 'group' }>} path="" fields={fields} errors={preview.errors} readOnly={readOnly} onChange={setRoot} />
        {preview.errors[''] ? <p className="field-error" role="alert">{preview.errors['']}</p> : null}
        <section aria-live="polite" className="card">
          <strong data-testid="live-count">{!complete ? s('incomplete') : preview.busy ? s('counting') : preview.count === null ? '—' : s('liveCount', { n: preview.count })}</strong>
          <ErrorNote error={preview.error} />
          {preview.count !== null && !preview.busy ? (
            preview.sample.length === 0 ? <p className="muted">{s('sampleEmpty')}</p> : (
              <ul className="list" aria-label={s('sample')} data-testid="segment-sample">
                {preview.sample.map((c) => <li key={c.id}>{c.name} <span className="muted small">{c.identities.map((i) => i.value).join(', ')}</span></li>)}
              </ul>
            )
          ) : null}
        </section>
        <ErrorNote error={saveError instanceof ApiError && saveError.fieldErrors()['/name'] ? null : saveError} />
        {readOnly ? null : (
          <div className="form-actions">
            <button type="submit" className="primary">{s('save')}</button>
            {segment ? <button type="button" className="danger" onClick={remove}>{s('delete')}</button> : null}
            {saved ? <span className="ok-note" role="status">{s('saved')}</span> : null}
          </div>
        )}
      </form>
    </div>
  );
}
