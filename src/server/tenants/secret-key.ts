import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** Parses TENANT_SECRET_KEY: 32 bytes as 64 hex characters, or as base64 / base64url. */
export function parseSecretKey(value: string): Uint8Array {
  const trimmed = value.trim();
  if (/^[0-9a-fA-F]{64}$/.test(trimmed)) return Buffer.from(trimmed, 'hex');
  if (/^[A-Za-z0-9+/_-]{43}=?$/.test(trimmed)) {
    const bytes = Buffer.from(trimmed.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
    if (bytes.length === 32) return bytes;
  }
  throw new Error('TENANT_SECRET_KEY must be 32 bytes: 64 hex characters or base64 (openssl rand -hex 32).');
}

/**
 * Parses a TENANT_SECRET_KEY that may list several keys, newest first, separated by commas or whitespace:
 * `TENANT_SECRET_KEY="<new>,<old>"` while rotating. Writes use the first; records written with any listed key
 * still decrypt.
 */
export function parseSecretKeys(value: string): Uint8Array[] {
  const parts = value.split(/[\s,]+/).filter((part) => part !== '');
  if (parts.length === 0) throw new Error('TENANT_SECRET_KEY is empty (generate one with: openssl rand -hex 32).');
  return parts.map(parseSecretKey);
}

export interface LoadSecretKeyOptions {
  /** the configured value (TENANT_SECRET_KEY) */
  value?: string;
  production: boolean;
  /** development only: where a generated key is kept (e.g. ./data/tenant-secret.key) */
  devKeyFile: string;
  warn?: (message: string) => void;
}

/**
 * Production refuses to start without a key: a generated one would be lost with the container and every stored
 * secret with it. Development generates one next to the database so restarts keep working, and says so loudly.
 */
export function loadSecretKey(options: LoadSecretKeyOptions): Uint8Array {
  if (options.value) return parseSecretKey(options.value);
  if (options.production) {
    throw new Error(
      'TENANT_SECRET_KEY is required when NODE_ENV=production (generate one with: openssl rand -hex 32).',
    );
  }
  const warn = options.warn ?? ((message: string) => console.warn(message));
  if (existsSync(options.devKeyFile)) return parseSecretKey(readFileSync(options.devKeyFile, 'utf8'));
  mkdirSync(dirname(options.devKeyFile), { recursive: true });
  const key = randomBytes(32);
  writeFileSync(options.devKeyFile, key.toString('hex') + '\n', { mode: 0o600 });
  chmodSync(options.devKeyFile, 0o600);
  warn(
    '\n!!! TENANT_SECRET_KEY is not set: generated a DEVELOPMENT key in ' +
      options.devKeyFile +
      '.\n!!! Shared secrets are encrypted with it. Set TENANT_SECRET_KEY (openssl rand -hex 32) before deploying.\n',
  );
  return key;
}
