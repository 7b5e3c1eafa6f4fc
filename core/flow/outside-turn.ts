import crypto from 'node:crypto';
import { sql } from 'kysely';
import type { Tx } from '../../plugin-sdk.js';
import type { CoreRunResult } from './nodes/runtimes.js';
import type { SessionRow } from './session.js';

/**
 * A node that runs between two transactions of a turn (NodeTypeDefinition.outsideTransaction: the `http`
 * node, plugin nodes that call out). The session is saved parked at the node under `token`: while it runs,
 * texts are ignored and buttons are stale (as during a `wait`), and a command may restart the dialog.
 */
export interface OutsideRun {
  sessionId: string;
  nodeId: string;
  flowId: string;
  token: string;
  run(): Promise<CoreRunResult>;
}

export type OutsideOutcome = { result: CoreRunResult } | { error: unknown };

/** Parks the session at the node; the engine saves it and commits before the node runs. */
export function park(s: SessionRow, nodeId: string, run: () => Promise<CoreRunResult>): OutsideRun {
  s.node_id = nodeId;
  s.waiting = null;
  s.timer_token = crypto.randomUUID();
  return { sessionId: s.id, nodeId, flowId: s.flow_id!, token: s.timer_token, run };
}

export async function runOutside(r: OutsideRun): Promise<OutsideOutcome> {
  try {
    return { result: await r.run() };
  } catch (error) {
    return { error };
  }
}

/** Whether the re-locked session is still parked where the run left it (no command, timer or expiry moved it). */
export function stillParked(s: SessionRow, r: OutsideRun): boolean {
  return s.status === 'active' && s.flow_id === r.flowId && s.node_id === r.nodeId && s.waiting === null && s.timer_token === r.token;
}

/**
 * Runs a plugin node on the turn's transaction inside a savepoint: a node whose SQL failed would otherwise
 * leave the whole transaction aborted; its writes are undone and the turn goes on (to the `error` port).
 */
export async function inSavepoint<T>(trx: Tx, fn: () => Promise<T>): Promise<T> {
  await sql`SAVEPOINT plugin_node`.execute(trx);
  try {
    const value = await fn();
    await sql`RELEASE SAVEPOINT plugin_node`.execute(trx);
    return value;
  } catch (e) {
    await sql`ROLLBACK TO SAVEPOINT plugin_node`.execute(trx);
    throw e;
  }
}
