/**
 * What the example plugin offers other plugins: types only, so dependents `import type` it (the one file of
 * another plugin they may import). A plugin listing example in its manifest's dependencies gets
 * `ctx.service('example')` and may contribute to these extension points in its server.ts `extensions`;
 * their kinds are declared in plugin.json `extensionPoints`.
 */
import type { PipelinePoint, VetoPoint } from '../../plugin-sdk.js';

export interface ExampleNote {
  id: string;
  text: string;
  createdAt: string;
}

export interface ExampleService {
  /** The business's notes, oldest first; deleted ones are left out. */
  notes(tenantId: string): Promise<ExampleNote[]>;
}

/** A note about to be saved, from the API or a flow node. */
export interface NoteDraft {
  text: string;
  source: 'api' | 'flow';
}

declare module '../../plugin-sdk.js' {
  interface PluginServices {
    'example': ExampleService;
  }
  interface ExtensionPoints {
    /** Refuse a note: answer `{ code }` of one of your own 409/422 errors. */
    'example.beforeNote': VetoPoint<NoteDraft>;
    /** Rewrite a note's text before it is saved (each contributor in turn). */
    'example.noteText': PipelinePoint<NoteDraft, string>;
  }
}
