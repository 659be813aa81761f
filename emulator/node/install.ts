import { randomBytes } from 'node:crypto';
import { networkReason, type ConnectDescriptor } from './descriptor';
import { mintInstallToken, type InstallKeyPair } from '../../src/testing/core';
import type { EmulatedTenant } from './tenant';
import { EMULATED_CLOUD_ID } from '../forge/forge-context';

export interface InstallResult {
  ok: boolean;
  /** The app's answer to the install; absent when nothing was sent (the descriptor has no `installed` route). */
  status?: number;
  /** The app's answer when it refused, for the emulator page to show. */
  detail?: string;
}

/**
 * Confluence's side of installing an app: POST the lifecycle payload to the app's `installed` route (when the
 * descriptor names one), signed RS256 with the emulator's install key (the app looks the public key up by `kid`).
 */
export async function installApp(opts: {
  descriptor: ConnectDescriptor;
  keyPair: InstallKeyPair;
  clientKey: string;
  productBaseUrl: string;
  installingAccountId: string;
  /** Keep the tenant's secret across runs (the app then sees a re-install of the same tenant). Default: a new one. */
  sharedSecret?: string;
}): Promise<{ tenant: EmulatedTenant; result: InstallResult }> {
  const { descriptor } = opts;
  const tenant: EmulatedTenant = {
    clientKey: opts.clientKey,
    sharedSecret: opts.sharedSecret ?? randomBytes(32).toString('base64url'),
    baseUrl: opts.productBaseUrl,
  };
  // A static app (no lifecycle `installed` route) is never told about the install, as in Confluence; it is hosted
  // all the same.
  const installedRoute = descriptor.lifecycle?.installed;
  if (!installedRoute) return { tenant, result: { ok: true, detail: 'no lifecycle "installed" route: nothing sent' } };
  const appBaseUrl = descriptor.baseUrl.replace(/\/$/, '');
  const url = new URL(appBaseUrl + installedRoute);
  const token = await mintInstallToken({
    keyPair: opts.keyPair,
    clientKey: tenant.clientKey,
    accountId: opts.installingAccountId,
    url: url.toString(),
    appBaseUrl,
  });
  const payload = {
    key: descriptor.key,
    clientKey: tenant.clientKey,
    sharedSecret: tenant.sharedSecret,
    baseUrl: tenant.baseUrl,
    displayUrl: tenant.baseUrl,
    productType: 'confluence',
    // The site's id, as Confluence sends it: an app adopted onto Forge links its Forge Invocation Tokens (whose
    // context names this site) to this Connect tenant by it. The FITs the emulator mints carry the same id.
    cloudId: EMULATED_CLOUD_ID,
    description: 'Local Confluence emulator (confluence-iframe-kit)',
    eventType: 'installed',
  };
  let res: Response;
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `JWT ${token}` },
      body: JSON.stringify(payload),
    });
  } catch (error) {
    throw new Error(`install: cannot reach ${url.toString()} (${networkReason(error)})`, { cause: error });
  }
  const result: InstallResult = { ok: res.ok, status: res.status };
  if (!res.ok) result.detail = (await res.text()).slice(0, 500);
  return { tenant, result };
}
