import type { JWTPayload } from 'jose';
import { VerificationError } from '../errors.js';
import { deepFreeze } from '../jwt/claims.js';
import { CLOUD_ID } from '../tenants/cloud-id.js';
import { appIdOf, FORGE_INVOCATION_ISSUER, IC_LABEL } from './constants.js';

/** A verified Forge Remote call. */
export interface ForgeInvocation {
  /** the bare app id (the ARI `aud` minus `ari:cloud:ecosystem::app/`) */
  appId: string;
  /** `app.installationId`: the tenant key on Forge (what `clientKey` is on Connect) */
  installationId: string;
  /**
   * The site: `context.cloudId`, or else the one `app.installation.contexts[].cloudId` (when the installation names
   * exactly one site); undefined when neither does
   */
  cloudId: string | undefined;
  /** every `app.installation.contexts[].cloudId`, in token order (empty when the token lists none) */
  installationCloudIds: readonly string[];
  /** `icLabel` (Isolated Cloud), checked against `^[a-z0-9_-]{1,50}$`; undefined when the token has none */
  icLabel: string | undefined;
  /** `principal`: the acting user, absent for app-only invocations (events, scheduled triggers) */
  accountId: string | undefined;
  /** `app.environment` (`{ type: 'DEVELOPMENT' | 'STAGING' | 'PRODUCTION' | …, id }`) */
  environment: { type: string; id?: string; [key: string]: unknown };
  /** `app.apiBaseUrl`: where product API calls with the system/user token go */
  apiBaseUrl: string;
  /** `app.module` (`{ key, type }`), when the token names one */
  module: { key?: string; type?: string; [key: string]: unknown } | undefined;
  /** every verified claim, frozen */
  claims: JWTPayload;
  /** `x-forge-oauth-system`, passed through unverified and opaque (Atlassian's API checks it) */
  appSystemToken: string | undefined;
  /** `x-forge-oauth-user`, passed through unverified and opaque */
  appUserToken: string | undefined;
}

const HTTPS_URL = /^https:\/\/[^/?#\s]+/i;
const LOOPBACK_HTTP_URL = /^http:\/\/(localhost|127\.0\.0\.1|\[::1\])(:\d{1,5})?(\/[^?#\s]*)?$/i;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const missing = (claim: string) => new VerificationError('CLAIM_MISSING', `The token has no ${claim} claim.`);
const invalid = (claim: string) => new VerificationError('TOKEN_MALFORMED', `The token's ${claim} claim is invalid.`);

/** `app.installation.contexts[].cloudId`: an absent installation or context list is no site, a malformed one a refusal. */
function installationCloudIdsOf(installation: unknown): string[] {
  if (installation === undefined) return [];
  if (!isRecord(installation)) throw invalid('app.installation');
  const contexts = installation.contexts;
  if (contexts === undefined) return [];
  if (!Array.isArray(contexts) || contexts.length > 100) throw invalid('app.installation.contexts');
  const cloudIds: string[] = [];
  for (const entry of contexts) {
    if (!isRecord(entry)) throw invalid('app.installation.contexts');
    if (entry.cloudId === undefined) continue;
    if (typeof entry.cloudId !== 'string' || !CLOUD_ID.test(entry.cloudId))
      throw invalid('app.installation.contexts[].cloudId');
    if (!cloudIds.includes(entry.cloudId)) cloudIds.push(entry.cloudId);
  }
  return cloudIds;
}

/**
 * The Forge-specific claim checks, on a payload whose signature and clock claims are already verified.
 * `aud` must be exactly the app's ARI as a single string: Atlassian issues one audience per FIT, and accepting an
 * array would let a token minted for several apps open this one.
 */
export function checkForgeClaims(
  payload: JWTPayload,
  appAri: string,
): Omit<ForgeInvocation, 'appSystemToken' | 'appUserToken'> {
  if (payload.iss === undefined) throw missing('iss');
  if (payload.iss !== FORGE_INVOCATION_ISSUER) {
    throw new VerificationError(
      'ISSUER_MISMATCH',
      `The token was not issued by Forge (iss must be "${FORGE_INVOCATION_ISSUER}").`,
    );
  }
  if (payload.aud === undefined) throw missing('aud');
  if (payload.aud !== appAri)
    throw new VerificationError('AUDIENCE_MISMATCH', 'The token was issued for a different app (aud).');

  const app = payload.app;
  if (app === undefined) throw missing('app');
  if (!isRecord(app)) throw invalid('app');
  // app.id is signed next to aud; two different apps in one token means something upstream is wrong.
  if (app.id !== undefined && app.id !== appAri)
    throw new VerificationError('AUDIENCE_MISMATCH', 'The token app.id is not this app.');
  if (app.installationId === undefined) throw missing('app.installationId');
  if (typeof app.installationId !== 'string' || app.installationId === '') throw invalid('app.installationId');
  if (app.apiBaseUrl === undefined) throw missing('app.apiBaseUrl');
  // The app sends its system and user tokens to this URL: anything but https would leak them. Plain http only to a
  // loopback host (the local emulator's REST API), as for the install-keys URL: that never leaves the machine.
  if (typeof app.apiBaseUrl !== 'string' || !(HTTPS_URL.test(app.apiBaseUrl) || LOOPBACK_HTTP_URL.test(app.apiBaseUrl)))
    throw invalid('app.apiBaseUrl');
  if (app.environment === undefined) throw missing('app.environment');
  if (!isRecord(app.environment) || typeof app.environment.type !== 'string') throw invalid('app.environment');
  if (app.module !== undefined && !isRecord(app.module)) throw invalid('app.module');

  // Checked before anything reads it: nothing may build a URL, a key or a log line from an arbitrary label.
  const icLabel = payload.icLabel;
  if (icLabel !== undefined && (typeof icLabel !== 'string' || !IC_LABEL.test(icLabel))) throw invalid('icLabel');

  const context = payload.context;
  if (context !== undefined && !isRecord(context)) throw invalid('context');
  const contextCloudId = context?.cloudId;
  if (contextCloudId !== undefined && (typeof contextCloudId !== 'string' || !CLOUD_ID.test(contextCloudId)))
    throw invalid('context.cloudId');
  const installationCloudIds = installationCloudIdsOf(app.installation);
  // Both are signed by Forge; a token whose call context names a site its installation does not is inconsistent.
  if (
    contextCloudId !== undefined &&
    installationCloudIds.length > 0 &&
    !installationCloudIds.includes(contextCloudId)
  ) {
    throw invalid('context.cloudId');
  }
  let cloudId = contextCloudId;
  if (cloudId === undefined && installationCloudIds.length === 1) cloudId = installationCloudIds[0];
  const principal = payload.principal;
  if (principal !== undefined && typeof principal !== 'string') throw invalid('principal');

  deepFreeze(payload);
  return {
    appId: appIdOf(appAri),
    installationId: app.installationId,
    cloudId,
    installationCloudIds,
    icLabel,
    accountId: principal === '' ? undefined : principal,
    environment: app.environment as ForgeInvocation['environment'],
    apiBaseUrl: app.apiBaseUrl,
    module: app.module as ForgeInvocation['module'],
    claims: payload,
  };
}
