import { DateTime } from 'luxon';
import type { PluginContext, Tx } from '../../../plugin-sdk.js';
import { toWindow, type HotWindow } from './windows.js';

/** Changes of a business's windows, heard by every instance. */
const CHANNEL = 'windows';
/** How long a kept list is trusted without a change heard (a NOTIFY lost while the LISTEN reconnected). */
const TTL_MS = 30_000;

/**
 * Each instance keeps a business's windows that are not cancelled: every slot listing and every new booking asks
 * for them (booking.price, booking.slotMarks, prepayment.requirement). A change drops them on every instance by
 * NOTIFY at commit, and on the changing one as soon as it committed (`forget`); a list read while a change lands
 * is not kept (its generation moved).
 */
class LiveWindows {
  private readonly kept = new Map<string, { at: number; rows: HotWindow[] }>();
  private readonly generations = new Map<string, number>();
  private readonly heard = new Set<string>();

  constructor(private readonly ctx: PluginContext) {}

  /** Windows not cancelled whose last day is not over (in the business's zone): the only ones a slot can be in. */
  async of(tenantId: string, timezone: string): Promise<HotWindow[]> {
    // Most businesses have no window most days: then the day (a zone's offset, not cheap) is not worked out.
    const today = () => DateTime.fromJSDate(this.ctx.now(), { zone: timezone }).toISODate()!;
    const rows = await this.rows(tenantId, today);
    if (!rows.length) return rows;
    const day = today();
    return rows.filter((w) => w.dateTo >= day);
  }

  listen(): void {
    this.ctx.changes(CHANNEL);
  }

  /** On the changing transaction: every instance drops the business's windows when it commits. */
  changed(trx: Tx, tenantId: string): Promise<void> {
    return this.ctx.changes(CHANNEL).announce(trx, tenantId);
  }

  forget(tenantId: string): void {
    this.generations.set(tenantId, (this.generations.get(tenantId) ?? 0) + 1);
    this.kept.delete(tenantId);
  }

  private async rows(tenantId: string, today: () => string): Promise<HotWindow[]> {
    if (!this.heard.has(tenantId)) {
      this.heard.add(tenantId);
      this.ctx.changes(CHANNEL).on(tenantId, () => this.forget(tenantId));
    }
    const hit = this.kept.get(tenantId);
    // real time: how old the kept list is
    if (hit && Date.now() - hit.at < TTL_MS) return hit.rows;
    const generation = this.generations.get(tenantId) ?? 0;
    const found = await this.ctx.db.selectFrom('hot_windows_windows').selectAll().where('tenant_id', '=', tenantId)
      .where('cancelled_at', 'is', null).where('date_to', '>=', today()).execute();
    const rows = found.map(toWindow);
    // real time: the kept list's stamp
    if ((this.generations.get(tenantId) ?? 0) === generation) this.kept.set(tenantId, { at: Date.now(), rows });
    return rows;
  }
}

const instances = new WeakMap<PluginContext, LiveWindows>();

/** This instance's kept windows (one per plugin context). */
export function liveWindows(ctx: PluginContext): LiveWindows {
  let live = instances.get(ctx);
  if (!live) instances.set(ctx, (live = new LiveWindows(ctx)));
  return live;
}
