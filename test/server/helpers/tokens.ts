import { SignJWT, type CryptoKey, type JWTPayload } from 'jose';
import { createQueryStringHash } from '../../../src/server/index.js';
import type { InstallKeyPair } from './key-server.js';

export const APP_KEY = 'com.example.test-app';
export const now = () => Math.floor(Date.now() / 1000);

export interface SymmetricTokenOptions {
  clientKey: string;
  sharedSecret: string;
  /** method + url for a computed qsh, or 'context' for context-qsh, or an explicit claim value / null to omit */
  qsh?: { method: string; url: string; appBase?: string } | 'context' | string | null;
  sub?: string;
  context?: unknown;
  iat?: number | null;
  exp?: number | null;
  extra?: JWTPayload;
  alg?: string;
}

/** Test-local minting with jose, so the server tests do not depend on another slice's token helpers. */
export async function mintSymmetric(options: SymmetricTokenOptions): Promise<string> {
  const payload: JWTPayload = { iss: options.clientKey, ...options.extra };
  const qsh = options.qsh;
  if (qsh === 'context') payload.qsh = 'context-qsh';
  else if (typeof qsh === 'string') payload.qsh = qsh;
  else if (qsh && typeof qsh === 'object') payload.qsh = createQueryStringHash(qsh.method, qsh.url, qsh.appBase);
  if (options.sub !== undefined) payload.sub = options.sub;
  if (options.context !== undefined) payload.context = options.context;
  const iat = options.iat === undefined ? now() : options.iat;
  const exp = options.exp === undefined ? (iat ?? now()) + 180 : options.exp;
  if (iat !== null) payload.iat = iat;
  if (exp !== null) payload.exp = exp;
  return new SignJWT(payload)
    .setProtectedHeader({ alg: options.alg ?? 'HS256', typ: 'JWT' })
    .sign(new TextEncoder().encode(options.sharedSecret));
}

export interface InstallTokenOptions {
  keys: InstallKeyPair | { kid: string; privateKey: CryptoKey };
  clientKey: string;
  aud: string | string[] | null;
  method?: string;
  url: string;
  appBase: string;
  iat?: number | null;
  exp?: number | null;
  qsh?: string | null;
  kid?: string | null;
}

export async function mintInstall(options: InstallTokenOptions): Promise<string> {
  const iat = options.iat === undefined ? now() : options.iat;
  const payload: JWTPayload = { iss: options.clientKey, sub: 'account-installer', context: {} };
  if (options.aud !== null) payload.aud = options.aud;
  if (options.qsh !== null) {
    payload.qsh = options.qsh ?? createQueryStringHash(options.method ?? 'POST', options.url, options.appBase);
  }
  if (iat !== null) payload.iat = iat;
  const exp = options.exp === undefined ? (iat ?? now()) + 900 : options.exp;
  if (exp !== null) payload.exp = exp;
  const header: { alg: string; typ: string; kid?: string } = { alg: 'RS256', typ: 'JWT' };
  const kid = options.kid === undefined ? options.keys.kid : options.kid;
  if (kid !== null) header.kid = kid;
  return new SignJWT(payload).setProtectedHeader(header).sign(options.keys.privateKey);
}

/** A JWT with an arbitrary header, signed with HMAC over whatever alg it claims (or unsigned for none). */
export async function forgeWithHeader(
  header: Record<string, unknown>,
  payload: JWTPayload,
  secret = 'x'.repeat(32),
): Promise<string> {
  const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const input = `${b64(header)}.${b64(payload)}`;
  if (header.alg === 'none') return `${input}.`;
  const { createHmac } = await import('node:crypto');
  return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
}
