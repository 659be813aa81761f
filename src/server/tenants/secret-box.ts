import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { VerificationError } from '../errors.js';

const VERSION = 'v1';

/**
 * AES-256-GCM for shared secrets at rest. The clientKey is the additional authenticated data, so a ciphertext
 * copied onto another tenant's row does not decrypt.
 */
export interface SecretBox {
  encrypt(plaintext: string, clientKey: string): string;
  decrypt(stored: string, clientKey: string): string;
}

export function createSecretBox(key: Uint8Array): SecretBox {
  if (key.length !== 32) throw new Error('The tenant secret key must be 32 bytes (AES-256).');
  const keyBytes = Buffer.from(key);
  return {
    encrypt(plaintext, clientKey) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', keyBytes, iv);
      cipher.setAAD(Buffer.from(clientKey, 'utf8'));
      const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return `${VERSION}:${Buffer.concat([iv, cipher.getAuthTag(), ciphertext]).toString('base64')}`;
    },
    decrypt(stored, clientKey) {
      try {
        if (!stored.startsWith(VERSION + ':')) throw new Error('unknown secret format');
        const raw = Buffer.from(stored.slice(VERSION.length + 1), 'base64');
        const decipher = createDecipheriv('aes-256-gcm', keyBytes, raw.subarray(0, 12));
        decipher.setAAD(Buffer.from(clientKey, 'utf8'));
        decipher.setAuthTag(raw.subarray(12, 28));
        return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
      } catch (cause) {
        throw new VerificationError(
          'STORE_UNAVAILABLE',
          'A stored shared secret cannot be decrypted: was TENANT_SECRET_KEY changed?',
          { cause },
        );
      }
    },
  };
}
