/**
 * Probe kept as a regression check: what a reader or writer of the tenant table can do with the ciphertexts. Every
 * encryption takes a fresh IV (the same secret twice never gives the same record, and AES-GCM never reuses a nonce
 * under one key), and the associated data binds the clientKey and the generation, so a ciphertext moved to another
 * tenant or relabelled with another generation does not decrypt.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createSecretBox } from '../../../src/server/index.js';

const box = createSecretBox(randomBytes(32));
const SECRET = 'shared-secret-0123456789abcdefgh';

const ivOf = (record: string) => Buffer.from(record.split(':')[2]!, 'base64').subarray(0, 12).toString('hex');

describe('the secret box', () => {
  it('never repeats an IV: 2 000 encryptions of one secret for one tenant and generation', () => {
    const ivs = new Set<string>();
    for (let round = 0; round < 2000; round++) ivs.add(ivOf(box.encrypt(SECRET, 'tenant-a', 7)));
    expect(ivs.size).toBe(2000);
  });

  it('a record opens only for its own tenant and generation', () => {
    const record = box.encrypt(SECRET, 'tenant-a', 7);
    expect(box.decrypt(record, 'tenant-a', 7)).toBe(SECRET);
    for (const [clientKey, generation] of [
      ['tenant-b', 7],
      ['tenant-a', 8],
      ['tenant-a', 6],
      ['tenant-a\u0000', 7],
    ] as const) {
      expect(() => box.decrypt(record, clientKey, generation)).toThrow(
        expect.objectContaining({ code: 'STORE_UNAVAILABLE' }),
      );
    }
  });
});
