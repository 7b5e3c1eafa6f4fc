/** Shapes of the API the studio reads (a copy of the contract; the studio never imports server code). */
export type Locale = 'ru' | 'en' | 'uk';
export type LocalizedText = Partial<Record<Locale, string>> & { en: string };
export type JsonSchema = Record<string, any>;

export interface Business { id: string; slug: string; name: string; role: string }
export interface Me { user: { id: string; email: string; name: string | null; locale: Locale | null }; businesses: Business[] }

export interface PluginInfo {
  id: string;
  version: string;
  name: LocalizedText;
  description?: LocalizedText;
  enabled: boolean;
  config: Record<string, unknown>;
  configSchema: JsonSchema;
  settingsPages: Array<{ id: string; title: LocalizedText; pointer?: string }>;
  dependencies: Record<string, string>;
}

export interface NodePort { id: string; label: LocalizedText | string; optional?: boolean }
export interface NodeTypeDef {
  type: string;
  pluginId?: string | null;
  category: string;
  label: LocalizedText;
  description?: LocalizedText;
  settingsSchema: JsonSchema;
  ports: NodePort[];
  dynamicPorts?: { from: string; idKey: string; labelKey: string };
  writes?: Record<string, string>;
}

export interface GraphNode { id: string; type: string; position: { x: number; y: number }; settings: Record<string, unknown> }
export interface GraphEdge { id: string; source: string; sourcePort: string; target: string }
export interface Variable { name: string; type: string }
export interface Graph { schemaVersion: 1; nodes: GraphNode[]; edges: GraphEdge[]; variables: Variable[] }

export interface FlowError { nodeId?: string; edgeId?: string; path: string; code: string; message: string }
export interface FlowSummary { id: string; key: string; name: string; botId: string | null; updatedAt: string; publishedVersion: number | null }
export interface Flow { id: string; key: string; name: string; draft: Graph; publishedVersion: number | null }
export interface FlowVersion { version: number; createdAt?: string; publishedAt?: string; publishedBy?: string | null }
export interface Bot { id: string; name: string; status: 'active' | 'error' | 'off' | string; flowKey: string | null; username: string | null; enabled: boolean; mode?: string; [k: string]: unknown }

export interface ChatButton { label: string; callback: string }
export interface ChatMessage { text: string; buttons?: ChatButton[][]; requestContact?: { label: string }; photo?: string }
