import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import type { VerificationError } from '../errors.js';
import { UnreadableTenantRecordError } from './unreadable-record.js';

/** Written before key ids existed: no id, only the one key. Still read (trying every configured key). */
const LEGACY_VERSION = 'v1';
/** `v2:<key id>:<base64>`, written before generations existed: the clientKey alone is the associated data. */
const UNGENERATED_VERSION = 'v2';
/** `v3:<key id>:<base64 iv | tag | ciphertext>`: the clientKey AND the record's generation are the associated data. */
const VERSION = 'v3';
const IV_BYTES = 12;
const TAG_BYTES = 16;
/** Prefix of the v3 associated data, so it can never equal a v1/v2 one (those are the bare clientKey). */
const GENERATION_AAD_LABEL = Buffer.from('cik-tenant-secret-v3\0', 'utf8');
const GENERATION_BYTES = 8;

/**
 * Generation of a record written before generations existed (v1, v2): such a record is only read while its row
 * still says generation 0, so once `reencryptSecrets()` (or a reinstall) has upgraded it, an old v2 ciphertext
 * copied back over it no longer decrypts.
 */
export const UNGENERATED = 0;

/**
 * AES-256-GCM for shared secrets at rest. The associated data binds the clientKey and the record's generation (a
 * number the store raises on every write of that tenant's secret: install, reinstall, re-encryption). So a
 * ciphertext copied onto another tenant's row does not decrypt, and neither does an OLDER ciphertext of the same
 * tenant copied back over the current one (its generation differs from the row's). Several keys may be configured
 * (newest first): writes use the newest, reads pick the key by the id stored with each record, so a key can be
 * rotated without downtime and `store.reencryptSecrets()` then moves every record to the newest key.
 */
export interface SecretBox {
  /**
   * @param generation the record's generation (≥ 1; the store raises it on every write, see `nextGeneration` in
   *   sql.ts), stored next to the ciphertext
   */
  encrypt(plaintext: string, clientKey: string, generation: number): string;
  /**
   * @param generation the generation stored with the record; a ciphertext written for another generation (or
   *   another clientKey) throws VerificationError('STORE_UNAVAILABLE')
   */
  decrypt(stored: string, clientKey: string, generation: number): string;
  /** whether `stored` is already in the newest format (v3, bound to its generation) under the newest key */
  isCurrent(stored: string): boolean;
}

/** A short, non-secret id of a key: the first 8 hex characters of its SHA-256. */
export function secretKeyId(key: Uint8Array): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 8);
}

/** label | generation (8 bytes, big-endian) | clientKey: fixed widths before the clientKey, so no two inputs collide. */
function generationAad(clientKey: string, generation: number): Buffer {
  const generationBytes = Buffer.alloc(GENERATION_BYTES);
  generationBytes.writeBigUInt64BE(BigInt(generation));
  return Buffer.concat([GENERATION_AAD_LABEL, generationBytes, Buffer.from(clientKey, 'utf8')]);
}

function assertGeneration(generation: number): void {
  if (!Number.isSafeInteger(generation) || generation < UNGENERATED) {
    throw new Error(`A secret generation is a non-negative integer, not ${String(generation)}.`);
  }
}

function open(keyBytes: Buffer, raw: Buffer, associatedData: Buffer): string {
  const decipher = createDecipheriv('aes-256-gcm', keyBytes, raw.subarray(0, IV_BYTES));
  decipher.setAAD(associatedData);
  decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
  return Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
}

/**
 * @param keys one 32-byte key, or several, newest first (see `parseSecretKeys`)
 *
 * @example
 * const box = createSecretBox(parseSecretKeys(process.env.TENANT_SECRET_KEY!));
 * const store = await openTenantStore(process.env.DATABASE_URL!, box);
 */
export function createSecretBox(keys: Uint8Array | readonly Uint8Array[]): SecretBox {
  const list = keys instanceof Uint8Array ? [keys] : [...keys];
  if (list.length === 0) throw new Error('At least one tenant secret key is required.');
  for (const key of list) {
    if (key.length !== 32) throw new Error('The tenant secret key must be 32 bytes (AES-256).');
  }
  const byId = new Map(list.map((key) => [secretKeyId(key), Buffer.from(key)] as const));
  const newestId = secretKeyId(list[0]!);
  const newest = byId.get(newestId)!;

  function cannotDecrypt(cause: unknown): VerificationError {
    return new UnreadableTenantRecordError(
      'A stored shared secret cannot be decrypted: is the key that wrote it still in TENANT_SECRET_KEY, and was ' +
        'the record written for this tenant and generation?',
      { cause },
    );
  }

  function keyById(id: string): Buffer {
    const key = byId.get(id);
    if (!key) throw new Error(`no configured key has id ${id}`);
    return key;
  }

  function openRecord(stored: string, clientKey: string, generation: number): string {
    const [version, second, third] = stored.split(':');
    if (version === VERSION && second !== undefined && third !== undefined) {
      if (generation === UNGENERATED) throw new Error('a v3 record in a row without a generation');
      return open(keyById(second), Buffer.from(third, 'base64'), generationAad(clientKey, generation));
    }
    // Records from before generations: only while the row itself has none, so a row that has been upgraded never
    // takes an old ciphertext back.
    if (generation !== UNGENERATED) throw new Error(`a ${version ?? ''} record in a row of generation ${generation}`);
    const clientKeyAad = Buffer.from(clientKey, 'utf8');
    if (version === UNGENERATED_VERSION && second !== undefined && third !== undefined) {
      return open(keyById(second), Buffer.from(third, 'base64'), clientKeyAad);
    }
    if (version === LEGACY_VERSION && second !== undefined) {
      const raw = Buffer.from(second, 'base64');
      let lastError: unknown;
      for (const key of byId.values()) {
        try {
          return open(key, raw, clientKeyAad);
        } catch (error) {
          lastError = error;
        }
      }
      throw lastError;
    }
    throw new Error('unknown secret format');
  }

  return {
    encrypt(plaintext, clientKey, generation) {
      assertGeneration(generation);
      if (generation === UNGENERATED) throw new Error('New records are written with a generation of 1 or more.');
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', newest, iv);
      cipher.setAAD(generationAad(clientKey, generation));
      const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      const sealed = Buffer.concat([iv, cipher.getAuthTag(), ciphertext]).toString('base64');
      return `${VERSION}:${newestId}:${sealed}`;
    },
    decrypt(stored, clientKey, generation) {
      try {
        assertGeneration(generation);
        return openRecord(stored, clientKey, generation);
      } catch (cause) {
        throw cannotDecrypt(cause);
      }
    },
    isCurrent(stored) {
      return stored.startsWith(`${VERSION}:${newestId}:`);
    },
  };
}
