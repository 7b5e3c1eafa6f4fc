import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { untranslatedLabels } from '../src/forms/schema.js';
import { CORE_NODE_TYPES } from '../../core/flow/nodes/definitions.js';
import type { NodeTypeDefinition } from '../../plugin-sdk.js';
import type { JsonSchema } from '../src/types.js';

const pluginsDir = join(import.meta.dirname, '../../plugins');
const plugins = readdirSync(pluginsDir).filter((d) => existsSync(join(pluginsDir, d, 'plugin.json')));
const full = (v: unknown) => !!v && typeof v === 'object' && ['en', 'ru', 'uk'].every((l) => typeof (v as Record<string, unknown>)[l] === 'string' && (v as Record<string, string>)[l] !== '');

async function nodeTypes(): Promise<NodeTypeDefinition[]> {
  const out = [...CORE_NODE_TYPES];
  for (const p of plugins) if (existsSync(join(pluginsDir, p, 'nodes.ts'))) out.push(...((await import(join(pluginsDir, p, 'nodes.ts'))).default as NodeTypeDefinition[]));
  return out;
}

describe('every label a schema-driven form shows is in ru, en and uk', () => {
  it('finds what the checker is for: an English-only title, an unlabelled option', () => {
    expect(untranslatedLabels({ type: 'object', properties: { a: { type: 'integer', title: 'Slot step' }, k: { enum: ['text'], 'x-ui': { label: { en: 'Kind', ru: 'Тип', uk: 'Тип' } } } } }))
      .toEqual(['/a label', '/k option text']);
  });

  it('plugin settings of every installed plugin', () => {
    for (const p of plugins) {
      const manifest = JSON.parse(readFileSync(join(pluginsDir, p, 'plugin.json'), 'utf8')) as { configSchema?: JsonSchema };
      expect(manifest.configSchema ? untranslatedLabels(manifest.configSchema) : [], p).toEqual([]);
    }
  });

  it('node settings, names and ports of core and plugin node types', async () => {
    const types = await nodeTypes();
    expect(types.length).toBeGreaterThan(20);
    for (const def of types) {
      // The event trigger has a form of its own, built from the chosen event's payload.
      if (def.type !== 'trigger.event') expect(untranslatedLabels(def.settingsSchema as JsonSchema), def.type).toEqual([]);
      expect(full(def.label), `${def.type} label`).toBe(true);
      if (def.description) expect(full(def.description), `${def.type} description`).toBe(true);
      for (const port of def.ports) expect(full(port.label), `${def.type} port ${port.id}`).toBe(true);
    }
  });
});
