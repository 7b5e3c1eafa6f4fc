import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Secrets } from '../plugin-sdk.js';
import { createError } from './errors.js';

/** AES-256-GCM; a sealed value is "v1:<iv>:<tag>:<ciphertext>" in base64url. */
export function createSecrets(keyHex: string): Secrets {
  const key = Buffer.from(keyHex, 'hex');
  if (key.length !== 32) throw createError('BF_ERR_CONFIG_INVALID', { name: 'BOOKFLOW_SECRET_KEY', reason: 'expected 64 hex characters' });
  return {
    encrypt(plain) {
      const iv = crypto.randomBytes(12);
      const cipher = crypto.createCipheriv('aes-256-gcm', key, iv);
      const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return ['v1', iv, cipher.getAuthTag(), data].map((p) => (typeof p === 'string' ? p : p.toString('base64url'))).join(':');
    },
    decrypt(sealed) {
      const [version, iv, tag, data] = sealed.split(':');
      try {
        if (version !== 'v1') throw new Error(`unknown version ${version}`);
        const decipher = crypto.createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
        decipher.setAuthTag(Buffer.from(tag, 'base64url'));
        return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString('utf8');
      } catch (e) {
        throw createError('BF_ERR_SECRET_UNREADABLE', {}, e);
      }
    },
  };
}

/** The configured key, or one generated once into DATA_DIR/secret.key (mode 600). */
export function loadSecretKey(configured: string | undefined, dataDir: string): string {
  if (configured) return configured;
  const file = path.join(dataDir, 'secret.key');
  if (fs.existsSync(file)) return fs.readFileSync(file, 'utf8').trim();
  fs.mkdirSync(dataDir, { recursive: true });
  const key = crypto.randomBytes(32).toString('hex');
  fs.writeFileSync(file, key, { mode: 0o600 });
  return key;
}

/** A key for one purpose (signing links, …) from the secrets key, so no purpose reuses another's key. */
export function deriveKey(keyHex: string, purpose: string): Buffer {
  return Buffer.from(crypto.hkdfSync('sha256', Buffer.from(keyHex, 'hex'), Buffer.alloc(0), `bookflow ${purpose}`, 32));
}
