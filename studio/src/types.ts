/**
 * Shapes of the API the studio reads. The graph format and node type definitions are the
 * engine's own (type-only imports: nothing of the server is bundled); the rest mirrors the REST API.
 */
import type { NodePort, NodeTypeDefinition } from '../../plugin-sdk.js';
import type { Graph, ValidationIssue } from '../../core/flow/graph.js';

export type { Locale, LocalizedText, NodePort } from '../../plugin-sdk.js';
export type { Graph, GraphEdge, GraphNode, GraphVariable as Variable } from '../../core/flow/graph.js';
import type { LocalizedText, Locale, StudioPageEntry, StudioZone } from '../../plugin-sdk.js';

/** Schemas are walked freely by the form generator. */
export type JsonSchema = Record<string, any>;

export interface Business { id: string; slug: string; name: string; role: string }
export interface Me { user: { id: string; email: string; name: string | null; locale: Locale | null }; businesses: Business[] }

export interface PluginInfo {
  id: string;
  version: string;
  name: LocalizedText;
  description?: LocalizedText;
  enabled: boolean;
  /** left out for roles that may not change it */
  config?: Record<string, unknown>;
  configSchema: JsonSchema;
  settingsPages: Array<{ id: string; title: LocalizedText; pointer?: string }>;
  dependencies: Record<string, string>;
  /** its pages in the navigation and the zones its widgets fill */
  studio: { pages: StudioPageEntry[]; zones: StudioZone[] };
}

/** A node type as the API serves it: the plugin's definition and which plugin (null: core) it comes from. */
export interface NodeTypeDef extends Omit<NodeTypeDefinition, 'settingsSchema'> { settingsSchema: JsonSchema; pluginId?: string | null }

export type FlowError = ValidationIssue;
export interface FlowSummary { id: string; key: string; name: string; botId: string | null; updatedAt: string; publishedVersion: number | null }
export interface Flow { id: string; key: string; name: string; draft: Graph; publishedVersion: number | null }
export interface FlowVersion { version: number; createdAt?: string; publishedAt?: string; publishedBy?: string | null }
export interface Bot { id: string; name: string; status: 'active' | 'error' | 'off' | string; flowKey: string | null; username: string | null; enabled: boolean; mode?: string; [k: string]: unknown }

export interface ChatButton { label: string; callback: string }
export interface ChatMessage { text: string; buttons?: ChatButton[][]; requestContact?: { label: string }; photo?: string }
