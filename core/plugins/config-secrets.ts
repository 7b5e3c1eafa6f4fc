import type { JsonSchema, Secrets } from '../../plugin-sdk.js';

type Path = string[];
type Obj = Record<string, unknown>;

/** What a stored secret looks like in tenant_plugins.config: its JSON, sealed with the secrets key. */
interface Sealed { $sealed: string }
/** What clients see in place of a secret; sent back unchanged, it keeps the stored one. */
export interface SecretMask { set: boolean }

const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);
const isSealed = (v: unknown): v is Sealed => isObj(v) && typeof v.$sealed === 'string' && Object.keys(v).length === 1;
const isMask = (v: unknown): v is SecretMask => isObj(v) && typeof v.set === 'boolean' && Object.keys(v).length === 1;
const present = (v: unknown) => v !== undefined && v !== null;

/** Paths of the properties marked `"x-secret": true`, at any depth of `properties`. */
export function secretPaths(schema: JsonSchema | undefined, at: Path = []): Path[] {
  const props = (isObj(schema?.properties) ? schema.properties : {}) as Record<string, JsonSchema>;
  return Object.entries(props).flatMap(([key, s]) => (s['x-secret'] === true ? [[...at, key]] : secretPaths(s, [...at, key])));
}

/** The object holding the value at `path`, or undefined when a step on the way is missing. */
function holder(root: unknown, path: Path): Obj | undefined {
  let o = root;
  for (const step of path.slice(0, -1)) o = isObj(o) ? o[step] : undefined;
  return isObj(o) ? o : undefined;
}

/** A copy of `config` with `fn` applied to the value of each secret whose holding object exists. */
function mapSecrets(paths: Path[], config: unknown, fn: (value: unknown, path: Path) => unknown): Obj {
  const copy = structuredClone(isObj(config) ? config : {});
  for (const path of paths) {
    const o = holder(copy, path);
    if (!o) continue;
    const key = path[path.length - 1];
    const next = fn(o[key], path);
    if (next === undefined) delete o[key];
    else o[key] = next;
  }
  return copy;
}

/**
 * The secret fields of each plugin's config: sealed at rest (AES-GCM), plaintext only to the plugin's
 * server code (`ctx.config`), `{set}` to clients and in the audit log.
 */
export class ConfigSecrets {
  private readonly paths = new Map<string, Path[]>();

  constructor(private readonly secrets: Secrets) {}

  register(pluginId: string, schema: JsonSchema | undefined): void {
    this.paths.set(pluginId, secretPaths(schema));
  }

  private of(pluginId: string): Path[] {
    return this.paths.get(pluginId) ?? [];
  }

  /** The stored config with its secrets decrypted (a value stored before its field became secret is taken as is). */
  open(pluginId: string, stored: unknown): Obj {
    return mapSecrets(this.of(pluginId), stored, (v) => (isSealed(v) ? JSON.parse(this.secrets.decrypt(v.$sealed)) : v));
  }

  /** A plaintext config ready to store: each set secret sealed. */
  seal(pluginId: string, plain: unknown): Obj {
    return mapSecrets(this.of(pluginId), plain, (v) => (present(v) ? { $sealed: this.secrets.encrypt(JSON.stringify(v)) } satisfies Sealed : undefined));
  }

  /** `{set}` in place of every secret, for answers and audit rows; works on stored and plaintext configs alike. */
  mask(pluginId: string, config: unknown): Obj {
    return mapSecrets(this.of(pluginId), config, (v) => ({ set: present(v) }) satisfies SecretMask);
  }

  /**
   * The plaintext config a PUT means: a secret it leaves out (or sends back as its `{set}` mask) keeps the
   * stored value, `null` clears it, anything else replaces it. Stored secrets are decrypted only when kept.
   */
  merge(pluginId: string, incoming: unknown, stored: unknown): Obj {
    return mapSecrets(this.of(pluginId), incoming, (v, path) => {
      if (v === null) return undefined;
      if (v !== undefined && !isMask(v)) return v;
      const kept = holder(stored, path)?.[path[path.length - 1]];
      return isSealed(kept) ? JSON.parse(this.secrets.decrypt(kept.$sealed)) : kept ?? undefined;
    });
  }
}
