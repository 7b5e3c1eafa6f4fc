/**
 * Every plugin's studio code, bundled into the one studio through an import glob: plugins/<id>/studio/index.tsx.
 * Which of them show is the business's choice (enabled plugins, from GET /plugins), see PluginsContext.
 */
import type { StudioPlugin } from './types.js';

const modules = import.meta.glob<StudioPlugin>('../../../plugins/*/studio/index.tsx', { eager: true, import: 'default' });

/** plugin id → its studio module */
export const studioModules: Record<string, StudioPlugin> = Object.fromEntries(
  Object.entries(modules).map(([file, mod]) => [/plugins\/([^/]+)\/studio\/index\.tsx$/.exec(file)![1], mod]),
);
