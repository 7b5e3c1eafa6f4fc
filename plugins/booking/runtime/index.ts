import type { NodeRuntime } from '../../../plugin-sdk.js';
export const nodeRuntimes: Record<string, NodeRuntime> = {};
