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

/** A signed-install lifecycle JWT: RS256 with `kid`, `aud` = app baseUrl, `iss` = clientKey, qsh of the lifecycle request. */
export async function mintInstallToken(o: InstallTokenOptions): Promise<string> {
  const iat = Math.floor((o.now ?? Date.now)() / 1000);
  const qsh = await queryStringHash(o.method ?? 'POST', o.url, o.appBaseUrl);
  return new SignJWT({ qsh, context: {} })
    .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: o.keyPair.kid })
    .setIssuer(o.clientKey)
    .setAudience(o.appBaseUrl)
    .setSubject(o.accountId ?? 'emulated-installer')
    .setIssuedAt(iat)
    .setExpirationTime(iat + (o.expiresInSeconds ?? 180))
    .sign(o.keyPair.privateKey);
}
