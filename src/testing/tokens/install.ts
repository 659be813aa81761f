import { SignJWT, exportSPKI, generateKeyPair } from 'jose';
import { queryStringHash } from './qsh.js';

export interface InstallKeyPair {
  kid: string;
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  /** SPKI PEM, as connect-install-keys.atlassian.com serves it. */
  publicKeyPem: string;
}

/** An RS256 key pair for signed installs. `kid` defaults to a random UUID (the shape Atlassian uses). */
export async function createInstallKeyPair(kid: string = crypto.randomUUID()): Promise<InstallKeyPair> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  return { kid, privateKey, publicKey, publicKeyPem: await exportSPKI(publicKey) };
}

export interface InstallTokenOptions {
  keyPair: Pick<InstallKeyPair, 'kid' | 'privateKey'>;
  /** The tenant's clientKey: `iss`; must equal the payload's clientKey. */
  clientKey: string;
  /** The app's descriptor baseUrl: `aud`, and its path is stripped for the qsh. */
  appBaseUrl: string;
  /** The lifecycle URL being called (absolute, or relative to the app's origin), e.g. `https://app.example.com/installed`. */
  url: string;
  method?: string;
  /** `sub`: the installing user. */
  accountId?: string;
  expiresInSeconds?: number;
  now?: () => number;
}

/**
 * A signed-install lifecycle JWT: RS256 with `kid`, `aud` = app baseUrl, `iss` = clientKey, qsh of the lifecycle
 * request. Serve the public key with `createInstallKeyServer` so the server's verifier can fetch it.
 *
 * @example
 * const keyPair = await createInstallKeyPair();
 * const token = await mintInstallToken({
 *   keyPair,
 *   clientKey: 'tenant-1',
 *   appBaseUrl: 'https://app.example.com',
 *   url: 'https://app.example.com/installed',
 * });
 * await fetch('https://app.example.com/installed', { method: 'POST', headers: { authorization: `JWT ${token}` } });
 */
export async function mintInstallToken(options: InstallTokenOptions): Promise<string> {
  const issuedAt = Math.floor((options.now ?? Date.now)() / 1000);
  const qsh = await queryStringHash(options.method ?? 'POST', options.url, options.appBaseUrl);
  return new SignJWT({ qsh, context: {} })
    .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: options.keyPair.kid })
    .setIssuer(options.clientKey)
    .setAudience(options.appBaseUrl)
    .setSubject(options.accountId ?? 'emulated-installer')
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + (options.expiresInSeconds ?? 180))
    .sign(options.keyPair.privateKey);
}
