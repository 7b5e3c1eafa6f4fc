import { GRAPH_SCHEMA_VERSION, VARIABLE_TYPES } from './graph.js';

const ID = { type: 'string', minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_.:-]+$' };

/**
 * JSON Schema of a flow graph, version 1. The studio fetches it from
 * GET /api/v1/flow-schema; node settings are checked against each node type's own schema.
 */
export const GRAPH_SCHEMA = {
  $id: `https://bookflow.dev/schemas/flow-graph-${GRAPH_SCHEMA_VERSION}.json`,
  $schema: 'http://json-schema.org/draft-07/schema#',
  title: 'Bookflow dialog graph',
  type: 'object',
  required: ['schemaVersion', 'nodes', 'edges', 'variables'],
  properties: {
    schemaVersion: { const: GRAPH_SCHEMA_VERSION },
    nodes: {
      type: 'array',
      maxItems: 500,
      items: {
        type: 'object',
        required: ['id', 'type', 'position', 'settings'],
        properties: {
          id: ID,
          type: { type: 'string', minLength: 1, maxLength: 100 },
          position: { type: 'object', required: ['x', 'y'], properties: { x: { type: 'number' }, y: { type: 'number' } } },
          settings: { type: 'object' },
        },
      },
    },
    edges: {
      type: 'array',
      maxItems: 2000,
      items: {
        type: 'object',
        required: ['id', 'source', 'sourcePort', 'target'],
        properties: { id: ID, source: ID, sourcePort: { type: 'string', minLength: 1, maxLength: 64 }, target: ID },
      },
    },
    variables: {
      type: 'array',
      maxItems: 200,
      items: {
        type: 'object',
        required: ['name', 'type'],
        properties: {
          name: { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_]{0,63}$' },
          type: { enum: [...VARIABLE_TYPES] },
        },
      },
    },
  },
} as const;
