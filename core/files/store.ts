import crypto from 'node:crypto';
import type { Db, FileContent, Files, NewFile, Role, StoredFile, Tx } from '../../plugin-sdk.js';
import type { Clock } from '../clock.js';
import { createError } from '../errors.js';
import { FILE_KINDS, limitOf, sniff } from './sniff.js';
import { fileSignature, signatureMatches } from './signature.js';
import { downloadTelegramFile, type BotApis } from './telegram-download.js';

const DEFAULT_ROLES: Role[] = ['owner', 'admin', 'manager'];
const INFO = ['id', 'content_type', 'size', 'sha256', 'created_at'] as const;

interface InfoRow { id: string; content_type: StoredFile['contentType']; size: number; sha256: string; created_at: Date }
const view = (r: InfoRow): StoredFile => ({ id: r.id, contentType: r.content_type, size: r.size, sha256: r.sha256, createdAt: r.created_at });

/** A file as the studio's route serves it: its bytes and who may open it. */
export interface ServedFile extends FileContent {
  roles: Role[];
}

/**
 * Core's file store: bytes in PostgreSQL (`files`), checked by their signature and size before they are kept.
 * Each plugin sees its own files through `forPlugin` (ctx.files); the studio's route and public links read any.
 */
export class FileStore {
  private bots: BotApis | undefined;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly linkKey: Buffer,
    private readonly opts: { publicUrl?: string; telegramApiRoot: string },
  ) {}

  /** Core's Telegram channel, made after the plugins load. */
  useTelegram(bots: BotApis): void {
    this.bots = bots;
  }

  /** Checks the bytes (type by signature, size) and stores them; the same key again answers the file kept first. */
  async put(q: Db | Tx, tenantId: string, pluginId: string, file: NewFile & { data: Uint8Array }): Promise<StoredFile> {
    const max = limitOf(file.kind, file.maxBytes);
    if (file.data.byteLength > max) throw createError('BF_ERR_FILE_TOO_LARGE', { size: file.data.byteLength, max });
    const type = sniff(file.data);
    const allowed = FILE_KINDS[file.kind].types;
    if (!type || !allowed.includes(type)) throw createError('BF_ERR_FILE_TYPE_UNSUPPORTED', { kind: file.kind, allowed: allowed.join(', ') });
    const row = await q.insertInto('files').values({
      tenant_id: tenantId, plugin_id: pluginId, key: file.key ?? null, content_type: type, size: file.data.byteLength,
      sha256: crypto.createHash('sha256').update(file.data).digest('hex'), roles: file.roles ?? DEFAULT_ROLES, data: Buffer.from(file.data), created_at: this.clock.now(),
    }).onConflict((oc) => oc.constraint('files_key').doNothing()).returning(INFO).executeTakeFirst();
    if (row) return view(row as InfoRow);
    return view(await q.selectFrom('files').select(INFO).where('tenant_id', '=', tenantId).where('plugin_id', '=', pluginId).where('key', '=', file.key!).executeTakeFirstOrThrow() as InfoRow);
  }

  /** A file of the business, whoever stored it (`pluginId`: only that plugin's). */
  async get(q: Db | Tx, tenantId: string, id: string, pluginId?: string): Promise<ServedFile | null> {
    let query = q.selectFrom('files').select([...INFO, 'data', 'roles']).where('tenant_id', '=', tenantId).where('id', '=', id);
    if (pluginId) query = query.where('plugin_id', '=', pluginId);
    const row = await query.executeTakeFirst();
    return row ? { ...view(row as InfoRow), data: row.data as Buffer, roles: row.roles as Role[] } : null;
  }

  async delete(trx: Tx, tenantId: string, pluginId: string, ids: string[]): Promise<number> {
    if (!ids.length) return 0;
    const gone = await trx.deleteFrom('files').where('tenant_id', '=', tenantId).where('plugin_id', '=', pluginId).where('id', 'in', ids).executeTakeFirst();
    return Number(gone.numDeletedRows);
  }

  /** Downloads from one of the business's own bots (a file id of another business's bot is not fetched), then `put`. */
  async fromTelegram(tenantId: string, pluginId: string, source: { botId: string; fileId: string }, file: NewFile): Promise<StoredFile> {
    const own = await this.db.selectFrom('bots').select('id').where('tenant_id', '=', tenantId).where('id', '=', source.botId).where('deleted_at', 'is', null).executeTakeFirst();
    const api = own ? await this.bots?.api(source.botId) : undefined;
    if (!api) throw createError('BF_ERR_BOT_NOT_FOUND', { id: source.botId });
    const data = await downloadTelegramFile(api, this.opts.telegramApiRoot, source.fileId, limitOf(file.kind, file.maxBytes));
    return this.put(this.db, tenantId, pluginId, { ...file, data });
  }

  publicUrl(tenantId: string, id: string): string | undefined {
    return this.opts.publicUrl && `${this.opts.publicUrl}/api/v1/public/${tenantId}/files/${id}/${fileSignature(this.linkKey, tenantId, id)}`;
  }

  /** Whether a public link's signature is the one `publicUrl` gave for this file. */
  linkMatches(tenantId: string, id: string, signature: string): boolean {
    return signatureMatches(this.linkKey, tenantId, id, signature);
  }

  /** `ctx.files` of one plugin. */
  forPlugin(pluginId: string): Files {
    return {
      put: (q, tenantId, file) => this.put(q, tenantId, pluginId, file),
      get: async (q, tenantId, id) => {
        const f = await this.get(q, tenantId, id, pluginId);
        return f && { id: f.id, contentType: f.contentType, size: f.size, sha256: f.sha256, createdAt: f.createdAt, data: f.data };
      },
      delete: (trx, tenantId, ids) => this.delete(trx, tenantId, pluginId, ids),
      fromTelegram: (tenantId, source, file) => this.fromTelegram(tenantId, pluginId, source, file),
      publicUrl: (tenantId, id) => this.publicUrl(tenantId, id),
    };
  }
}
