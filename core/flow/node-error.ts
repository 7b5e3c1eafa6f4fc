import { createError, type BookflowError } from '../errors.js';

/** A node that threw while running, with where it happened (in the spirit of grammY's BotError). */
export class FlowNodeError extends Error {
  readonly flowId: string;
  readonly nodeId: string;
  readonly nodeType: string;
  readonly error: BookflowError;

  constructor(flowId: string, nodeId: string, nodeType: string, cause: unknown) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    const error = createError('BF_ERR_FLOW_NODE_FAILED', { flowId, nodeId, reason }, cause);
    super(error.message, { cause });
    this.name = 'FlowNodeError';
    this.flowId = flowId;
    this.nodeId = nodeId;
    this.nodeType = nodeType;
    this.error = error;
  }
}
