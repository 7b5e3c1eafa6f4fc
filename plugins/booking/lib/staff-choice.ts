import type { PluginContext } from '../../../plugin-sdk.js';
import type { StaffChoice } from '../contract.js';

const ids = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

/**
 * The qualified staff a client is offered, as `booking.staffChoice` contributors narrow and order it: `only`
 * keeps just those (when any of them is qualified), `avoid` drops staff while others remain, `prefer` comes first.
 */
export async function chooseStaff<S extends { id: string }>(ctx: PluginContext, tenantId: string, serviceId: string, clientId: string | null | undefined, staff: S[]): Promise<S[]> {
  if (!clientId || staff.length < 2 || !(await ctx.extensions.contributors(tenantId, 'booking.staffChoice')).length) return staff;
  const { results } = await ctx.extensions.collect(tenantId, 'booking.staffChoice', { serviceId, clientId, staffIds: staff.map((s) => s.id) });
  const answers = results.map((r) => r.value as StaffChoice | null);
  const only = new Set(answers.flatMap((a) => ids(a?.only)));
  const avoid = new Set(answers.flatMap((a) => ids(a?.avoid)));
  const prefer = new Set(answers.flatMap((a) => ids(a?.prefer)));
  const fixed = staff.filter((s) => only.has(s.id));
  if (fixed.length) return fixed;
  const kept = staff.filter((s) => !avoid.has(s.id));
  const offered = kept.length ? kept : staff;
  return [...offered.filter((s) => prefer.has(s.id)), ...offered.filter((s) => !prefer.has(s.id))];
}
