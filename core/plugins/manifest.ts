import fs from 'node:fs';
import path from 'node:path';
import type { PluginManifest } from '../../plugin-sdk.js';
import { createError } from '../errors.js';
import { createAjv, fieldErrors } from '../validation.js';
import { compilePayloadSchema } from '../outbox/catalog.js';

const localized = { type: 'object', required: ['en'], properties: { ru: { type: 'string' }, en: { type: 'string' }, uk: { type: 'string' } }, additionalProperties: false };

/** The studio zones plugin widgets may fill (plugin-sdk StudioZone). */
export const STUDIO_ZONES = ['client.card', 'booking.details', 'journal.cell', 'settings', 'app.overlay', 'booking.form'] as const;

const studioSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    pages: {
      type: 'array',
      items: {
        type: 'object',
        required: ['id', 'label', 'group'],
        additionalProperties: false,
        properties: {
          id: { type: 'string', pattern: '^[a-z][a-z0-9-]{0,39}$' },
          label: localized,
          group: { enum: ['work', 'setup'] },
          roles: { type: 'array', minItems: 1, uniqueItems: true, items: { enum: ['owner', 'admin', 'manager', 'specialist'] } },
          icon: { type: 'string', minLength: 1, maxLength: 8 },
        },
      },
    },
    zones: { type: 'array', uniqueItems: true, items: { enum: STUDIO_ZONES } },
  },
};

export const manifestSchema = {
  type: 'object',
  required: ['id', 'version', 'name', 'core'],
  additionalProperties: false,
  properties: {
    $schema: { type: 'string' },
    id: { type: 'string', pattern: '^[a-z][a-z0-9-]{1,39}$' },
    version: { type: 'string', pattern: '^\\d+\\.\\d+\\.\\d+(-[0-9A-Za-z.-]+)?$' },
    name: localized,
    description: localized,
    core: { type: 'string', minLength: 1 },
    dependencies: { type: 'object', additionalProperties: { type: 'string', minLength: 1 }, propertyNames: { pattern: '^[a-z][a-z0-9-]{1,39}$' } },
    optionalDependencies: { type: 'object', additionalProperties: { type: 'string', minLength: 1 }, propertyNames: { pattern: '^[a-z][a-z0-9-]{1,39}$' } },
    extensionPoints: {
      type: 'object',
      propertyNames: { pattern: '^[a-z][a-z0-9-]{1,39}\\.[a-zA-Z][a-zA-Z0-9-]*$' },
      additionalProperties: {
        type: 'object',
        required: ['kind'],
        additionalProperties: false,
        properties: { kind: { enum: ['veto', 'pipeline', 'provider'] }, timeoutMs: { type: 'integer', minimum: 1, maximum: 60000 }, description: { type: 'string' } },
      },
    },
    configSchema: { type: 'object', required: ['type'], properties: { type: { const: 'object' } } },
    enabledByDefault: { type: 'boolean' },
    errors: {
      type: 'object',
      propertyNames: { pattern: '^BF_ERR_[A-Z0-9]+_[A-Z0-9_]+$' },
      additionalProperties: {
        type: 'object',
        required: ['status', 'message', 'solve'],
        additionalProperties: false,
        properties: { status: { type: 'integer', minimum: 400, maximum: 599 }, message: { type: 'string' }, solve: { type: 'string' } },
      },
    },
    constraints: {
      type: 'object',
      additionalProperties: {
        type: 'object',
        required: ['code', 'field'],
        additionalProperties: false,
        properties: { code: { type: 'string', pattern: '^BF_ERR_[A-Z0-9]+_[A-Z0-9_]+$' }, field: { type: 'string', minLength: 1 }, params: { type: 'object', additionalProperties: { type: 'string' } } },
      },
    },
    settingsPages: {
      type: 'array',
      items: { type: 'object', required: ['id', 'title'], additionalProperties: false, properties: { id: { type: 'string' }, title: localized, pointer: { type: 'string' } } },
    },
    studio: studioSchema,
    events: {
      type: 'object',
      propertyNames: { pattern: '^[a-z][a-z0-9-]{1,39}\\.[a-z0-9][a-z0-9.-]*$' },
      additionalProperties: {
        type: 'object',
        required: ['description', 'payload'],
        additionalProperties: false,
        properties: { description: { type: 'string', minLength: 1 }, label: localized, payload: { type: 'object', required: ['type'], properties: { type: { const: 'object' } } } },
      },
    },
  },
} as const;

const validate = createAjv({ useDefaults: false }).compile<PluginManifest>(manifestSchema);

/** Reads and validates plugins/<id>/plugin.json without running any plugin code. */
export function readManifest(dir: string): PluginManifest {
  const file = path.join(dir, 'plugin.json');
  let data: unknown;
  try {
    data = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw createError('BF_ERR_PLUGIN_MANIFEST_INVALID', { file, errors: [{ path: '/', message: (e as Error).message }] });
  }
  if (!validate(data)) throw createError('BF_ERR_PLUGIN_MANIFEST_INVALID', { file, errors: fieldErrors(validate.errors) });
  if (data.id !== path.basename(dir)) {
    throw createError('BF_ERR_PLUGIN_MANIFEST_INVALID', { file, errors: [{ path: '/id', message: `must equal the folder name "${path.basename(dir)}"` }] });
  }
  // A point is named after its owner, so two plugins never declare the same one.
  const foreign = Object.keys(data.extensionPoints ?? {}).filter((point) => !point.startsWith(`${data.id}.`));
  if (foreign.length) throw createError('BF_ERR_PLUGIN_MANIFEST_INVALID', { file, errors: foreign.map((point) => ({ path: `/extensionPoints/${point}`, message: `must start with "${data.id}."` })) });
  const eventErrors = Object.entries(data.events ?? {}).flatMap(([type, def]) => eventProblems(data.id, type, def.payload));
  if (eventErrors.length) throw createError('BF_ERR_PLUGIN_MANIFEST_INVALID', { file, errors: eventErrors });
  // A page's id is its address (/studio/<plugin>/<page>) and its component's key: two would shadow each other.
  const pageIds = (data.studio?.pages ?? []).map((p) => p.id);
  const twice = pageIds.flatMap((id, i) => (pageIds.indexOf(id) < i ? [{ path: `/studio/pages/${i}/id`, message: `page "${id}" is declared twice` }] : []));
  if (twice.length) throw createError('BF_ERR_PLUGIN_MANIFEST_INVALID', { file, errors: twice });
  if ((pageIds.length || data.studio?.zones?.length) && !fs.existsSync(path.join(dir, 'studio', 'index.tsx'))) {
    throw createError('BF_ERR_PLUGIN_MANIFEST_INVALID', { file, errors: [{ path: '/studio', message: 'lists pages or zones, but the plugin has no studio/index.tsx' }] });
  }
  return data;
}

/** A plugin owns the types under its id, and each payload schema must compile. */
function eventProblems(pluginId: string, type: string, payload: Record<string, unknown>): Array<{ path: string; message: string }> {
  const at = `/events/${type}`;
  if (!type.startsWith(`${pluginId}.`)) return [{ path: at, message: `must start with the plugin id "${pluginId}."` }];
  try {
    compilePayloadSchema(payload);
    return [];
  } catch (e) {
    return [{ path: `${at}/payload`, message: (e as Error).message }];
  }
}
