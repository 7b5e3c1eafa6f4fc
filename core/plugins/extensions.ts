import type { Logger } from 'pino';
import type { ExtensionOptions, Extensions, FailedContribution, PluginContext, PluginManifest } from '../../plugin-sdk.js';
import { BookflowError, createError, errorOwner } from '../errors.js';
import { loadAfter } from './resolve.js';

type Kind = 'veto' | 'pipeline' | 'provider';
type AnyContribution = (...args: any[]) => Promise<unknown>;

const DEFAULT_TIMEOUT_MS = 2000;
/** What a veto may answer with: a refusal the caller can act on, not a server fault. */
const VETO_STATUSES = [409, 422];

interface Contributor {
  plugin: string;
  fn: AnyContribution;
  ctx: PluginContext;
}

type Outcome<T> = { ok: true; value: T } | { ok: false; failure: FailedContribution };

/** Runs one contribution with a deadline; a late answer is ignored and its signal aborted. */
async function within<T>(plugin: string, ms: number, run: (signal: AbortSignal) => Promise<T>): Promise<Outcome<T>> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const work = Promise.resolve().then(() => run(controller.signal));
  work.catch(() => {}); // a contributor failing after its deadline must not become an unhandled rejection
  const deadline = new Promise<'timeout'>((resolve) => { timer = setTimeout(() => resolve('timeout'), ms); });
  try {
    const first = await Promise.race([work.then((value) => ({ value })), deadline]);
    if (first === 'timeout') {
      controller.abort();
      return { ok: false, failure: { plugin, reason: 'timeout', message: `no answer within ${ms} ms` } };
    }
    return { ok: true, value: first.value };
  } catch (e) {
    return { ok: false, failure: { plugin, reason: 'error', message: (e as Error)?.message ?? String(e) } };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Extension points between plugins: each declared by its owner's manifest, contributed to by plugins
 * that depend on the owner, called by the owner for one business at a time.
 */
export class ExtensionRegistry {
  private readonly points = new Map<string, { owner: string; kind: Kind; timeoutMs?: number }>();
  /** point → contributors in load (dependency) order */
  private readonly contributors = new Map<string, Contributor[]>();

  constructor(
    private readonly isEnabled: (tenantId: string, pluginId: string) => Promise<boolean>,
    private readonly log: Logger,
  ) {}

  /** Registers a loaded plugin's points and contributions; contributing to a point none of its dependencies declares is refused. */
  add(manifest: PluginManifest, contributions: Record<string, AnyContribution | undefined>, ctx: PluginContext): void {
    for (const [point, def] of Object.entries(manifest.extensionPoints ?? {})) this.points.set(point, { owner: manifest.id, kind: def.kind, timeoutMs: def.timeoutMs });
    for (const [point, fn] of Object.entries(contributions)) {
      const owner = this.points.get(point)?.owner;
      // an optional dependency that is not installed declares no points: its contributions have nobody to call them
      if (!owner && point.split('.')[0] in (manifest.optionalDependencies ?? {})) continue;
      if (!fn || !owner || (owner !== manifest.id && !loadAfter(manifest).includes(owner))) {
        throw createError('BF_ERR_PLUGIN_EXTENSION_UNDECLARED', { plugin: manifest.id, point });
      }
      this.contributors.set(point, [...(this.contributors.get(point) ?? []), { plugin: manifest.id, fn, ctx }]);
    }
  }

  /** The calls of one owner: only its own points, each of the kind it declared. */
  forOwner(pluginId: string): Extensions {
    const own = (point: string, kind?: Kind) => {
      const def = this.points.get(point);
      if (def?.owner !== pluginId || (kind && def.kind !== kind)) throw createError('BF_ERR_PLUGIN_EXTENSION_MISUSED', { plugin: pluginId, point, kind: kind ?? def?.kind ?? 'unknown' });
      return def;
    };
    const enabled = async (tenantId: string, point: string) => {
      const active: Contributor[] = [];
      for (const c of this.contributors.get(point) ?? []) if (await this.isEnabled(tenantId, c.plugin)) active.push(c);
      return active;
    };
    const run = async <T>(kind: Kind, tenantId: string, point: string, opts: ExtensionOptions<any> | undefined, each: (c: Contributor, signal: AbortSignal) => Promise<T>) => {
      const ms = opts?.timeoutMs ?? own(point, kind).timeoutMs ?? DEFAULT_TIMEOUT_MS;
      const active = await enabled(tenantId, point);
      return {
        active,
        call: async (c: Contributor) => {
          const outcome = await within(c.plugin, ms, (signal) => each(c, signal));
          if (!outcome.ok) this.fail(tenantId, point, outcome.failure);
          return outcome;
        },
      };
    };
    const callInfo = (tenantId: string, signal: AbortSignal) => ({ tenantId, signal });

    return {
      contributors: async (tenantId, point) => {
        own(point);
        return (await enabled(tenantId, point)).map((c) => c.plugin);
      },

      veto: async (tenantId, point, input, opts) => {
        const { active, call } = await run('veto', tenantId, point, opts, (c, signal) => c.fn(input, c.ctx, callInfo(tenantId, signal)));
        const outcomes = await Promise.all(active.map(async (c) => ({ c, outcome: await call(c) })));
        const reasons: Array<{ plugin: string; error: Error }> = [];
        const failed: FailedContribution[] = [];
        for (const { c, outcome } of outcomes) {
          if (!outcome.ok) failed.push(outcome.failure);
          else if (outcome.value) {
            const error = this.refusal(c.plugin, outcome.value as { code?: unknown; details?: Record<string, unknown> });
            if (error instanceof BookflowError) reasons.push({ plugin: c.plugin, error });
            else failed.push(this.fail(tenantId, point, error));
          }
        }
        return { allowed: reasons.length === 0, reasons, failed };
      },

      pipeline: async (tenantId, point, input, initial, opts) => {
        let value = initial;
        // Each stage gets its own copy: a contributor that times out and changes it later changes nothing.
        const { active, call } = await run('pipeline', tenantId, point, opts, async (c, signal) => c.fn(input, structuredClone(value), c.ctx, callInfo(tenantId, signal)));
        const applied: string[] = [];
        const steps: Array<{ plugin: string; value: typeof value }> = [];
        const failed: FailedContribution[] = [];
        for (const c of active) {
          const outcome = await call(c);
          if (!outcome.ok) failed.push(outcome.failure);
          else if (opts?.accept && !opts.accept(outcome.value as typeof value)) {
            failed.push(this.fail(tenantId, point, { plugin: c.plugin, reason: 'rejected', message: 'the owner did not accept the value' }));
          } else {
            value = outcome.value as typeof value;
            applied.push(c.plugin);
            steps.push({ plugin: c.plugin, value });
          }
        }
        return { value, applied, steps, failed };
      },

      collect: async (tenantId, point, input, opts) => {
        const { active, call } = await run('provider', tenantId, point, opts, (c, signal) => c.fn(input, c.ctx, callInfo(tenantId, signal)));
        const outcomes = await Promise.all(active.map(async (c) => ({ plugin: c.plugin, outcome: await call(c) })));
        return {
          results: outcomes.flatMap(({ plugin, outcome }) => (outcome.ok ? [{ plugin, value: outcome.value as any }] : [])),
          failed: outcomes.flatMap(({ outcome }) => (outcome.ok ? [] : [outcome.failure])),
        };
      },
    };
  }

  /** A veto's answer as the contributor's own coded error, or why it cannot be one. */
  private refusal(plugin: string, answer: { code?: unknown; details?: Record<string, unknown> }): BookflowError | FailedContribution {
    const code = typeof answer.code === 'string' ? answer.code : '';
    if (errorOwner(code) !== plugin) return { plugin, reason: 'rejected', message: `refused with ${code || 'no code'}, which is not one of its own error codes` };
    const error = createError(code, { ...answer.details, plugin });
    return VETO_STATUSES.includes(error.statusCode) ? error : { plugin, reason: 'rejected', message: `refused with ${code}, whose status ${error.statusCode} is not 409 or 422` };
  }

  private fail(tenantId: string, point: string, failure: FailedContribution): FailedContribution {
    this.log.warn({ tenantId, point, ...failure }, 'an extension point contributor failed; its answer is left out');
    return failure;
  }
}
