import { useEffect, useId, useState } from 'react';
import { get, session } from '../api.js';
import { useI18n } from '../i18n/index.js';
import type { LocalizedText } from '../types.js';

/** An event a flow can be started by, as GET /flow-events lists it. */
interface FlowEvent {
  type: string;
  label: LocalizedText;
  description: string;
  fields: Array<{ path: string; type: string; format?: string; enum?: unknown[]; time: boolean; contact: boolean }>;
}
type FilterRow = { field: string; op: string; value?: unknown };
type Settings = {
  event?: string;
  contactField?: string;
  filter?: FilterRow[];
  offset?: { amount: number; unit: string; direction: 'before' | 'after'; field?: string };
};

const l = (en: string, ru: string, uk: string): LocalizedText => ({ en, ru, uk });
const T = {
  event: l('Event', 'Событие', 'Подія'),
  contact: l('The client is in', 'Клиент — в поле', 'Клієнт — у полі'),
  filter: l('Only when', 'Только если', 'Лише якщо'),
  addCondition: l('Add a condition', 'Добавить условие', 'Додати умову'),
  remove: l('Remove', 'Удалить', 'Видалити'),
  when: l('When', 'Когда', 'Коли'),
  atOnce: l('At once', 'Сразу', 'Одразу'),
  after: l('After', 'Через', 'Через'),
  before: l('Before', 'За', 'За'),
  of: l('counted from', 'от', 'від'),
  eventItself: l('the event itself', 'самого события', 'самої події'),
  choose: l('Choose…', 'Выберите…', 'Оберіть…'),
  value: l('Value', 'Значение', 'Значення'),
  amount: l('How many', 'Сколько', 'Скільки'),
  minutes: l('minutes', 'минут', 'хвилин'),
  hours: l('hours', 'часов', 'годин'),
  days: l('days (calendar, in the business’s time zone)', 'дней (календарных, в часовом поясе бизнеса)', 'днів (календарних, у часовому поясі бізнесу)'),
};
const OPS: Record<string, LocalizedText> = {
  eq: l('is', 'равно', 'дорівнює'), neq: l('is not', 'не равно', 'не дорівнює'), gt: l('greater than', 'больше', 'більше'), gte: l('at least', 'не меньше', 'не менше'),
  lt: l('less than', 'меньше', 'менше'), lte: l('at most', 'не больше', 'не більше'), contains: l('contains', 'содержит', 'містить'),
  empty: l('is empty', 'пусто', 'порожньо'), notEmpty: l('is not empty', 'не пусто', 'не порожньо'),
};

const cache = new Map<string, Promise<{ items: FlowEvent[] }>>();
function useFlowEvents(): FlowEvent[] {
  const [items, setItems] = useState<FlowEvent[]>([]);
  useEffect(() => {
    const key = session.tenant;
    if (!cache.has(key)) cache.set(key, get<{ items: FlowEvent[] }>('/flow-events').catch((e) => { cache.delete(key); throw e; }));
    let live = true;
    cache.get(key)!.then((r) => live && setItems(r.items), () => live && setItems([]));
    return () => { live = false; };
  }, []);
  return items;
}

/** A filter value typed in a text box, kept as the field's own type. */
function typed(raw: string, type: string): unknown {
  if (raw === '') return undefined;
  if ((type === 'number' || type === 'integer') && Number.isFinite(Number(raw))) return Number(raw);
  if (type === 'boolean' && (raw === 'true' || raw === 'false')) return raw === 'true';
  return raw;
}

/** Settings of core's `trigger.event`: the event, whose field holds the client, a filter on the payload, and when. */
export function EventTriggerForm({ value, onChange, errors }: { value: Settings; onChange(v: Settings): void; errors: Record<string, string> }) {
  const { text } = useI18n();
  const id = useId();
  const events = useFlowEvents();
  const ev = events.find((e) => e.type === value.event);
  const fields = ev?.fields ?? [];
  const set = (patch: Partial<Settings>) => {
    const next: Settings = { ...value, ...patch };
    for (const k of Object.keys(patch) as Array<keyof Settings>) if (patch[k] === undefined) delete next[k];
    onChange(next);
  };
  const pickEvent = (type: string) => {
    const chosen = events.find((e) => e.type === type);
    // The client's field is almost always the only one; filters and the time field belong to the old event.
    onChange({ event: type, contactField: chosen?.fields.find((f) => f.contact)?.path ?? '' });
  };
  const err = (path: string) => (errors[path] ? <div className="field-error" role="alert">{errors[path]}</div> : null);
  const filter = value.filter ?? [];
  const setRow = (i: number, row: FilterRow) => set({ filter: filter.map((r, j) => (j === i ? row : r)) });
  const offset = value.offset;
  const when = offset?.direction ?? 'now';

  return (
    <div className="schema-form event-trigger">
      <div className={`field${errors['/event'] ? ' has-error' : ''}`}>
        <label htmlFor={`${id}-event`}>{text(T.event)}<span className="req" aria-hidden> *</span></label>
        <select id={`${id}-event`} data-path="/event" value={value.event ?? ''} onChange={(e) => pickEvent(e.target.value)}>
          <option value="">{text(T.choose)}</option>
          {events.map((e) => <option key={e.type} value={e.type}>{text(e.label)}</option>)}
          {value.event && !ev ? <option value={value.event}>{value.event}</option> : null}
        </select>
        {ev ? <div className="help">{ev.description}</div> : null}
        {err('/event')}
      </div>
      <div className={`field${errors['/contactField'] ? ' has-error' : ''}`}>
        <label htmlFor={`${id}-contact`}>{text(T.contact)}</label>
        <select id={`${id}-contact`} data-path="/contactField" value={value.contactField ?? ''} onChange={(e) => set({ contactField: e.target.value })}>
          {fields.filter((f) => f.contact).map((f) => <option key={f.path} value={f.path}>{f.path}</option>)}
        </select>
        {err('/contactField')}
      </div>
      <fieldset className="field group">
        <legend>{text(T.filter)}</legend>
        {filter.map((row, i) => {
          const field = fields.find((f) => f.path === row.field);
          const needsValue = row.op !== 'empty' && row.op !== 'notEmpty';
          return (
            <div className="list-item" key={i} data-testid="filter-row">
              <div className="list-item-body">
                <select aria-label={`${text(T.filter)} ${i + 1}`} data-path={`/filter/${i}/field`} value={row.field} onChange={(e) => setRow(i, { field: e.target.value, op: row.op })}>
                  <option value="">{text(T.choose)}</option>
                  {fields.map((f) => <option key={f.path} value={f.path}>{f.path}</option>)}
                </select>
                <select aria-label={`${text(T.filter)} ${i + 1}: op`} value={row.op} onChange={(e) => setRow(i, { ...row, op: e.target.value })}>
                  {Object.entries(OPS).map(([op, label]) => <option key={op} value={op}>{text(label)}</option>)}
                </select>
                {needsValue && field?.enum ? (
                  <select aria-label={text(T.value)} value={String(row.value ?? '')} onChange={(e) => setRow(i, { ...row, value: field.enum!.find((v) => String(v) === e.target.value) })}>
                    <option value="">{text(T.choose)}</option>
                    {field.enum.map((v) => <option key={String(v)} value={String(v)}>{String(v)}</option>)}
                  </select>
                ) : needsValue ? (
                  <input aria-label={text(T.value)} type={field?.time ? 'datetime-local' : 'text'} value={String(row.value ?? '')}
                    onChange={(e) => setRow(i, { ...row, value: field?.time && e.target.value ? new Date(e.target.value).toISOString() : typed(e.target.value, field?.type ?? 'string') })} />
                ) : null}
                {err(`/filter/${i}/field`)}{err(`/filter/${i}/value`)}
              </div>
              <div className="list-item-actions">
                <button type="button" className="icon danger" aria-label={text(T.remove)} title={text(T.remove)} onClick={() => set({ filter: filter.filter((_, j) => j !== i) })}>✕</button>
              </div>
            </div>
          );
        })}
        <button type="button" className="secondary small" disabled={!ev} onClick={() => set({ filter: [...filter, { field: '', op: 'eq' }] })}>+ {text(T.addCondition)}</button>
      </fieldset>
      <fieldset className="field group">
        <legend>{text(T.when)}</legend>
        <select aria-label={text(T.when)} value={when} onChange={(e) => {
          const d = e.target.value;
          set({ offset: d === 'now' ? undefined : { amount: offset?.amount ?? 1, unit: offset?.unit ?? 'hours', direction: d as 'before' | 'after', ...(offset?.field || d === 'before' ? { field: offset?.field ?? fields.find((f) => f.time)?.path } : {}) } });
        }}>
          <option value="now">{text(T.atOnce)}</option>
          <option value="after">{text(T.after)}</option>
          <option value="before">{text(T.before)}</option>
        </select>
        {offset ? (
          <>
            <input aria-label={text(T.amount)} type="number" min={1} step={1} value={offset.amount} onChange={(e) => set({ offset: { ...offset, amount: parseInt(e.target.value, 10) || 1 } })} />
            <select aria-label={`${text(T.when)}: unit`} value={offset.unit} onChange={(e) => set({ offset: { ...offset, unit: e.target.value } })}>
              {(['minutes', 'hours', 'days'] as const).map((u) => <option key={u} value={u}>{text(T[u])}</option>)}
            </select>
            <label htmlFor={`${id}-anchor`}>{text(T.of)}</label>
            <select id={`${id}-anchor`} data-path="/offset/field" value={offset.field ?? ''} onChange={(e) => { const { field: _old, ...rest } = offset; set({ offset: e.target.value ? { ...rest, field: e.target.value } : rest }); }}>
              {offset.direction === 'after' ? <option value="">{text(T.eventItself)}</option> : null}
              {fields.filter((f) => f.time).map((f) => <option key={f.path} value={f.path}>{f.path}</option>)}
            </select>
            {err('/offset/field')}{err('/offset/amount')}
          </>
        ) : null}
      </fieldset>
    </div>
  );
}
