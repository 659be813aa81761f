import { exportSPKI, generateKeyPair, type CryptoKey } from 'jose';
import { randomUUID } from 'node:crypto';

/**
 * The emulator's own "connect-install-keys" service: one RS256 key pair per run.
 * The app fetches `${CONNECT_INSTALL_KEYS_URL}${kid}` to verify the signed install, exactly as it would
 * fetch from https://connect-install-keys.atlassian.com/<kid> in production.
 */
export interface InstallKeys {
  kid: string;
  privateKey: CryptoKey;
  publicKeyPem: string;
}

export async function createInstallKeys(): Promise<InstallKeys> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  return { kid: `emulator-${randomUUID()}`, privateKey, publicKeyPem: await exportSPKI(publicKey) };
}
