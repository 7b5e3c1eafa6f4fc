import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Migrator, type Migration, type MigrationProvider } from 'kysely';
import type { Db } from '../../plugin-sdk.js';

/** Reads a folder of migrations ordered by file name (0001_x.ts, 0002_y.ts, …). */
class FolderMigrationProvider implements MigrationProvider {
  constructor(private readonly folder: string) {}

  async getMigrations(): Promise<Record<string, Migration>> {
    if (!fs.existsSync(this.folder)) return {};
    const files = fs.readdirSync(this.folder).filter((f) => /\.(ts|js)$/.test(f) && !f.endsWith('.d.ts') && !f.includes('.test.')).sort();
    const out: Record<string, Migration> = {};
    for (const file of files) {
      out[file.replace(/\.(ts|js)$/, '')] = (await import(pathToFileURL(path.join(this.folder, file)).href)) as Migration;
    }
    return out;
  }
}

/** Applies one owner's migrations (core or a plugin); each owner keeps its own history table. */
export async function migrateFolder(db: Db, owner: string, folder: string): Promise<string[]> {
  const migrator = new Migrator({
    db,
    provider: new FolderMigrationProvider(folder),
    migrationTableName: `migrations_${owner.replace(/[^a-z0-9]/gi, '_')}`,
    migrationLockTableName: `migrations_${owner.replace(/[^a-z0-9]/gi, '_')}_lock`,
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw new Error(`Migrations of ${owner} failed: ${(error as Error).message}`, { cause: error });
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
