import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { VerificationError } from '../errors.js';

/** Written before key ids existed: no id, only the one key. Still read (trying every configured key). */
const LEGACY_VERSION = 'v1';
/** `v2:<key id>:<base64 iv | tag | ciphertext>`: the key id says which configured key encrypted it. */
const VERSION = 'v2';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * AES-256-GCM for shared secrets at rest. The clientKey is the additional authenticated data, so a ciphertext
 * copied onto another tenant's row does not decrypt. Several keys may be configured (newest first): writes use the
 * newest, reads pick the key by the id stored with each record, so a key can be rotated without downtime and
 * `store.reencryptSecrets()` then moves every record to the newest key.
 */
export interface SecretBox {
  encrypt(plaintext: string, clientKey: string): string;
  decrypt(stored: string, clientKey: string): string;
  /** whether `stored` is already encrypted with the newest key */
  isCurrent(stored: string): boolean;
}

/** A short, non-secret id of a key: the first 8 hex characters of its SHA-256. */
export function secretKeyId(key: Uint8Array): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 8);
}

function open(keyBytes: Buffer, raw: Buffer, clientKey: string): string {
  const decipher = createDecipheriv('aes-256-gcm', keyBytes, raw.subarray(0, IV_BYTES));
  decipher.setAAD(Buffer.from(clientKey, 'utf8'));
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
    return new VerificationError(
      'STORE_UNAVAILABLE',
      'A stored shared secret cannot be decrypted: is the key that wrote it still in TENANT_SECRET_KEY?',
      { cause },
    );
  }

  return {
    encrypt(plaintext, clientKey) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', newest, iv);
      cipher.setAAD(Buffer.from(clientKey, 'utf8'));
      const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      const sealed = Buffer.concat([iv, cipher.getAuthTag(), ciphertext]).toString('base64');
      return `${VERSION}:${newestId}:${sealed}`;
    },
    decrypt(stored, clientKey) {
      const [version, second, third] = stored.split(':');
      try {
        if (version === VERSION && second !== undefined && third !== undefined) {
          const key = byId.get(second);
          if (!key) throw new Error(`no configured key has id ${second}`);
          return open(key, Buffer.from(third, 'base64'), clientKey);
        }
        if (version === LEGACY_VERSION && second !== undefined) {
          const raw = Buffer.from(second, 'base64');
          let lastError: unknown;
          for (const key of byId.values()) {
            try {
              return open(key, raw, clientKey);
            } catch (error) {
              lastError = error;
            }
          }
          throw lastError;
        }
        throw new Error('unknown secret format');
      } catch (cause) {
        throw cannotDecrypt(cause);
      }
    },
    isCurrent(stored) {
      return stored.startsWith(`${VERSION}:${newestId}:`);
    },
  };
}
