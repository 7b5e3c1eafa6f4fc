import fs from 'node:fs';
import path from 'node:path';

/** Plugins declare the core range they need; the core's version is the package's. */
export const CORE_VERSION: string = JSON.parse(fs.readFileSync(path.join(import.meta.dirname, '..', 'package.json'), 'utf8')).version;
