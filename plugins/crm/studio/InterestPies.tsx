import { Cell, Pie, PieChart, ResponsiveContainer, Tooltip } from 'recharts';
import { useMessages } from 'bookflow/studio';
import { messages } from './messages.js';

const COLORS = ['#7e57c2', '#26a69a', '#ef5350', '#ffa726', '#42a5f5', '#ec407a', '#8d6e63', '#9ccc65'];

export interface Interests { survey: Record<string, number>; behaviour: Record<string, number>; categories: Array<{ key: string; label: string }> }

function InterestPie({ title, values, labels }: { title: string; values: Record<string, number>; labels: Map<string, string> }) {
  const { t } = useMessages(messages);
  const data = Object.entries(values).filter(([, v]) => v > 0).map(([k, v]) => ({ name: labels.get(k) ?? (k === 'other' ? t('interests.other') : k), value: v }));
  return (
    <figure className="crm-chart" aria-label={title}>
      <figcaption>{title}</figcaption>
      {data.length ? (
        <ResponsiveContainer width="100%" height={200}>
          <PieChart>
            <Pie data={data} dataKey="value" nameKey="name" outerRadius={70} isAnimationActive={false}>
              {data.map((d, i) => <Cell key={d.name} fill={COLORS[i % COLORS.length]} />)}
            </Pie>
            <Tooltip />
          </PieChart>
        </ResponsiveContainer>
      ) : <p className="muted small">{t('interests.empty')}</p>}
      {/* Our own legend: recharts labels its icons for screen readers in English only. */}
      <ul className="crm-legend">
        {data.map((d, i) => (
          <li key={d.name}><span className="swatch" style={{ background: COLORS[i % COLORS.length] }} />{d.name}: {d.value}</li>
        ))}
      </ul>
    </figure>
  );
}

/** Seed 003's two pie charts: interests by the survey and by real visits per category. */
export function InterestPies({ survey, behaviour, categories }: Interests) {
  const { t } = useMessages(messages);
  const labels = new Map(categories.map((c) => [c.key, c.label]));
  return (
    <div className="crm-charts">
      <InterestPie title={t('interests.survey')} values={survey} labels={labels} />
      <InterestPie title={t('interests.behaviour')} values={behaviour} labels={labels} />
    </div>
  );
}
