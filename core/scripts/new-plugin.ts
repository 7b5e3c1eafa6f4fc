/**
 * `npm run new-plugin <id>`: scaffolds plugins/<id>/ from plugins/example, the
 * documented template, with the id carried into the manifest, table names, routes,
 * event and node types, error codes and the test. `--dir <folder>` writes elsewhere.
 */
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const TEMPLATE = path.join(ROOT, 'plugins', 'example');
export const PLUGIN_ID = /^[a-z][a-z0-9-]{1,39}$/;

/** The example's names, each with its spelling for the new id. Longest first, so prefixes do not clash. */
function renames(id: string): Array<[RegExp, string]> {
  const words = id.split('-');
  return [
    [/BF_ERR_EXAMPLE_/g, `BF_ERR_${words.join('').toUpperCase()}_`],
    [/example_/g, `${words.join('_')}_`],
    [/Example/g, words.map((w) => w[0].toUpperCase() + w.slice(1)).join('')],
    [/example/g, id],
  ];
}

const readme = (id: string) => `# ${id}

Scaffolded by \`npm run new-plugin ${id}\` from [plugins/example](../example/README.md), which explains
every part of a plugin: the manifest, the server surface, flow nodes, migrations, locales, errors, its studio
page and client card widget (\`studio/\`), and tests.

Next: describe the plugin in \`plugin.json\`, replace the notes with your own tables and routes, say in
\`contract.ts\` what other plugins may use (your service, your extension points) or delete it, list your studio
pages and zones in \`plugin.json\` \`studio\` and ship them from \`studio/index.tsx\` (or delete both), run
\`npm run docs:errors\` after changing error codes, and \`npx vitest run plugins/${id}\`.
`;

/** Writes plugins/<id>/ (or <pluginsDir>/<id>/) and returns its path; throws on a bad id or an existing folder. */
export function scaffoldPlugin(id: string, pluginsDir = path.join(ROOT, 'plugins')): string {
  if (!PLUGIN_ID.test(id)) throw new Error(`Plugin id "${id}" must be 2–40 characters: lowercase letters, digits and dashes, starting with a letter`);
  const target = path.join(pluginsDir, id);
  if (fs.existsSync(target)) throw new Error(`${target} already exists; pick another id or remove the folder`);
  const rules = renames(id);
  const rename = (text: string) => rules.reduce((s, [from, to]) => s.replace(from, to), text);

  for (const entry of fs.readdirSync(TEMPLATE, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || entry.parentPath.includes('node_modules')) continue;
    const from = path.join(entry.parentPath, entry.name);
    const relative = path.relative(TEMPLATE, from);
    const to = path.join(target, rename(relative));
    fs.mkdirSync(path.dirname(to), { recursive: true });
    fs.writeFileSync(to, relative === 'README.md' ? readme(id) : rename(fs.readFileSync(from, 'utf8')));
  }

  const manifestFile = path.join(target, 'plugin.json');
  const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8'));
  const name = { en: id, ru: id, uk: id };
  Object.assign(manifest, { version: '0.1.0', name, description: { en: `What ${id} does`, ru: `Что делает ${id}`, uk: `Що робить ${id}` } });
  manifest.settingsPages = (manifest.settingsPages ?? []).map((p: { id: string }) => ({ ...p, title: name }));
  fs.writeFileSync(manifestFile, `${JSON.stringify(manifest, null, 2)}\n`);
  return target;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const args = process.argv.slice(2);
  const dirFlag = args.indexOf('--dir');
  const dir = dirFlag >= 0 ? path.resolve(args.splice(dirFlag, 2)[1] ?? '') : undefined;
  const [id] = args;
  if (!id || args.length > 1) {
    console.error('Usage: npm run new-plugin <id> [-- --dir <plugins folder>]');
    process.exit(1);
  }
  try {
    const created = scaffoldPlugin(id, dir);
    console.log(`Created ${path.relative(process.cwd(), created) || created}. Next: edit plugin.json and server.ts, then run npm run docs:errors and npx vitest run ${path.relative(process.cwd(), created)}`);
  } catch (e) {
    console.error((e as Error).message);
    process.exit(1);
  }
}
