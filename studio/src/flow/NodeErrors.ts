import type { FlowError } from '../types.js';

/**
 * The validator's findings by node, for the canvas: each node's view listens for its own, so a new list of findings
 * (every validation) draws again only the nodes whose findings are in it, not every node of the flow.
 */
export class NodeErrors {
  private byNode = new Map<string, FlowError[]>();
  private readonly listeners = new Set<() => void>();

  get = (id: string): FlowError[] | undefined => this.byNode.get(id);

  set(byNode: Map<string, FlowError[]>): void {
    this.byNode = byNode;
    for (const l of this.listeners) l();
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => { this.listeners.delete(listener); };
  };
}
