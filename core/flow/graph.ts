/** The dialog graph a business builds in the studio and the engine runs (schemaVersion 1). */
export const GRAPH_SCHEMA_VERSION = 1;

export const VARIABLE_TYPES = ['string', 'number', 'boolean', 'date', 'datetime', 'phone', 'money', 'service', 'booking', 'specialist', 'client', 'json'] as const;
export type VariableType = (typeof VARIABLE_TYPES)[number];

export interface GraphNode {
  id: string;
  type: string;
  position: { x: number; y: number };
  settings: Record<string, any>;
}

export interface GraphEdge {
  id: string;
  source: string;
  sourcePort: string;
  target: string;
}

export interface GraphVariable {
  name: string;
  type: VariableType;
}

export interface Graph {
  schemaVersion: 1;
  nodes: GraphNode[];
  edges: GraphEdge[];
  variables: GraphVariable[];
}

/** One problem of a graph, located by node or edge and JSON path. */
export interface ValidationIssue {
  nodeId?: string;
  edgeId?: string;
  /** JSON pointer into the graph, e.g. /nodes/3/settings/text/en */
  path: string;
  code: string;
  message: string;
  /** what the studio needs to retell the finding in the owner's language: labels of the block and port, ajv's keyword */
  details?: Record<string, unknown>;
}

/** Variables every session has without declaring them. */
export const BUILTIN_VARIABLES: Record<string, VariableType> = {
  client: 'client',
  locale: 'string',
  startPayload: 'string',
  lastInput: 'string',
  lastError: 'string',
};

export const emptyGraph = (): Graph => ({ schemaVersion: 1, nodes: [], edges: [], variables: [] });
